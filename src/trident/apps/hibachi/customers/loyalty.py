"""Loyalty: derived from what a customer has spent on completed bookings, never stored.

One point per whole ten dollars spent (4,500.00 spent: 450 points, the 2025-10-25
document's example).  The tier follows the total spent: bronze under 2,000.00,
silver from 2,000.00, gold from 5,000.00, platinum from 10,000.00 (4,500.00: silver,
the same example).  Amounts are integer cents throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Tier = Literal["bronze", "silver", "gold", "platinum"]

#: (tier, the total spent in cents from which it applies), lowest first
TIERS: tuple[tuple[Tier, int], ...] = (
    ("bronze", 0),
    ("silver", 200_000),
    ("gold", 500_000),
    ("platinum", 1_000_000),
)
TIER_NAMES: tuple[Tier, ...] = tuple(name for name, _ in TIERS)
CENTS_PER_POINT = 1_000


def points(total_spent_cents: int) -> int:
    """Loyalty points: one per whole ten dollars spent."""
    return max(0, total_spent_cents) // CENTS_PER_POINT


def tier(total_spent_cents: int) -> Tier:
    """The tier a total spent earns."""
    earned: Tier = "bronze"
    for name, floor in TIERS:
        if total_spent_cents >= floor:
            earned = name
    return earned


def tier_bounds(name: Tier) -> tuple[int, int | None]:
    """The spend range of a tier in cents: ``low <= spent < high`` (no high for the top)."""
    index = TIER_NAMES.index(name)
    low = TIERS[index][1] if index else 0
    high = TIERS[index + 1][1] if index + 1 < len(TIERS) else None
    return low, high


@dataclass(frozen=True, slots=True)
class Standing:
    tier: Tier
    points: int
    total_spent_cents: int
    next_tier: Tier | None
    #: what is left to spend to reach the next tier (None at the top)
    cents_to_next_tier: int | None


def standing(total_spent_cents: int) -> Standing:
    """The tier, the points and the distance to the next tier of a total spent."""
    current = tier(total_spent_cents)
    _, high = tier_bounds(current)
    index = TIER_NAMES.index(current)
    return Standing(
        tier=current,
        points=points(total_spent_cents),
        total_spent_cents=total_spent_cents,
        next_tier=TIER_NAMES[index + 1] if high is not None else None,
        cents_to_next_tier=high - max(0, total_spent_cents) if high is not None else None,
    )
