"""Money: integer cents in the database, exact ``Decimal`` in Python, and a JSON
number in major units on the wire (``942.5``), as every document shows it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import PlainSerializer

CENT = Decimal("0.01")

#: an amount of money: exact in Python, a JSON number on the wire
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def decimal_to_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_to_number(cents: int) -> float:
    """The JSON number of an amount, straight from cents, for bodies encoded without a
    model.  Equal to ``float(cents_to_decimal(cents))``: both are the float nearest
    the exact quotient (IEEE division rounds correctly), without a ``Decimal``."""
    return cents / 100
