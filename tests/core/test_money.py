from __future__ import annotations

import pytest

from trident.core.money import cents_to_decimal, cents_to_number


@pytest.mark.parametrize("cents", [0, 1, 5, 10, 99, 1999, 94250, 123456789, 2**31 - 1, -1999])
def test_cents_to_number_is_the_json_number_of_the_decimal(cents: int) -> None:
    assert cents_to_number(cents) == float(cents_to_decimal(cents))


def test_cents_to_number_over_every_cent_of_a_thousand_dollars() -> None:
    assert all(cents_to_number(c) == float(cents_to_decimal(c)) for c in range(100_001))
