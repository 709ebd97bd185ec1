"""Loyalty is derived from the total spent on completed bookings (integer cents)."""

from __future__ import annotations

import pytest

from trident.apps.hibachi.customers import loyalty


def test_points_are_one_per_whole_ten_dollars() -> None:
    # the 2025-10-25 document's example: 4,500.00 spent, 450 points
    assert loyalty.points(450_000) == 450


@pytest.mark.parametrize(("cents", "expected"), [(0, 0), (999, 0), (1_000, 1), (1_999, 1)])
def test_points_round_down(cents: int, expected: int) -> None:
    assert loyalty.points(cents) == expected


@pytest.mark.parametrize(
    ("cents", "tier"),
    [
        (0, "bronze"),
        (199_999, "bronze"),
        (200_000, "silver"),
        (450_000, "silver"),  # the document's example
        (499_999, "silver"),
        (500_000, "gold"),
        (999_999, "gold"),
        (1_000_000, "platinum"),
        (50_000_000, "platinum"),
    ],
)
def test_tier_follows_total_spent(cents: int, tier: str) -> None:
    assert loyalty.tier(cents) == tier


@pytest.mark.parametrize(
    ("tier", "bounds"),
    [
        ("bronze", (0, 200_000)),
        ("silver", (200_000, 500_000)),
        ("gold", (500_000, 1_000_000)),
        ("platinum", (1_000_000, None)),
    ],
)
def test_tier_bounds_are_the_spend_range(
    tier: loyalty.Tier, bounds: tuple[int, int | None]
) -> None:
    assert loyalty.tier_bounds(tier) == bounds


def test_every_total_falls_in_its_own_tier_bounds() -> None:
    for cents in (0, 1, 199_999, 200_000, 777_777, 1_000_000, 3_000_000):
        low, high = loyalty.tier_bounds(loyalty.tier(cents))
        assert low <= cents and (high is None or cents < high)


def test_standing_names_the_next_tier_and_the_distance() -> None:
    assert loyalty.standing(450_000) == loyalty.Standing(
        tier="silver",
        points=450,
        total_spent_cents=450_000,
        next_tier="gold",
        cents_to_next_tier=50_000,
    )


def test_standing_at_the_top_has_no_next_tier() -> None:
    top = loyalty.standing(1_200_000)
    assert (top.tier, top.next_tier, top.cents_to_next_tier) == ("platinum", None, None)
