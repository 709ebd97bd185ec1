"""The pricing engine against each document's worked example, under its own rules."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from trident.apps.hibachi.pricing.engine import (
    Line,
    PricingRules,
    coupon_discount_cents,
    is_closed,
    payment_status,
    quote,
    slot_for,
)

NEWEST = PricingRules(Decimal("0"), Decimal("0"), "fixed", Decimal("100.00"), 55_000)
V1 = PricingRules(Decimal("0.10"), Decimal("0.20"), "percent", Decimal("50"))
CRM = PricingRules(Decimal("0"), Decimal("0"), "percent", Decimal("25"))
SLOTS = ["12:00", "15:00", "18:00", "21:00"]


def test_newest_document_example_eight_adults() -> None:
    result = quote(NEWEST, [Line("Adult", 8, 10_000, menu_code="adult")])
    assert (result.total_cents, result.deposit_cents) == (80_000, 10_000)


def test_v1_document_menu_items_example() -> None:
    lines = [Line("Hibachi Chicken", 15, 2_500), Line("Hibachi Steak", 10, 3_500)]
    result = quote(V1, lines)
    assert result.subtotal_cents == 72_500
    assert result.tax_cents == 7_250
    assert result.service_fee_cents == 14_500
    assert result.total_cents == 94_250
    assert result.deposit_cents == 47_125


def test_v1_public_booking_estimate_twenty_five_guests() -> None:
    rules = PricingRules(Decimal("0"), Decimal("0"), "percent", Decimal("50"))
    result = quote(rules, [Line("Guest", 25, 6_000)])
    assert (result.total_cents, result.deposit_cents) == (150_000, 75_000)


@pytest.mark.parametrize(("guests", "total", "deposit"), [(6, 27_000, 6_750), (8, 36_000, 9_000)])
def test_crm_document_examples(guests: int, total: int, deposit: int) -> None:
    result = quote(CRM, [Line("Guest", guests, 4_500)])
    assert (result.total_cents, result.deposit_cents) == (total, deposit)


def test_minimum_order_raises_the_subtotal() -> None:
    result = quote(NEWEST, [Line("Adult", 2, 10_000)])
    assert result.items_cents == 20_000
    assert result.subtotal_cents == 55_000
    assert result.minimum_applied is True
    assert result.notes == ("The minimum order of 550.00 applies.",)


def test_fixed_deposit_never_exceeds_the_total() -> None:
    rules = PricingRules(Decimal("0"), Decimal("0"), "fixed", Decimal("500"))
    result = quote(rules, [Line("Kids", 4, 5_000)])
    assert (result.total_cents, result.deposit_cents) == (20_000, 20_000)


def test_discount_comes_off_before_tax_and_fee() -> None:
    result = quote(V1, [Line("Steak", 10, 10_000)], discount_cents=10_000)
    assert result.discount_cents == 10_000
    assert result.tax_cents == 9_000  # 10% of 900.00
    assert result.service_fee_cents == 18_000
    assert result.total_cents == 90_000 + 9_000 + 18_000


def test_rounding_is_half_up_to_the_cent() -> None:
    rules = PricingRules(Decimal("0.0825"), Decimal("0"), "percent", Decimal("33.3333"))
    result = quote(rules, [Line("Item", 1, 1_001)])
    assert result.tax_cents == 83  # 82.5825 -> 83
    assert result.deposit_cents == 361  # 1084 * 0.333333 = 361.33 -> 361


@pytest.mark.parametrize(
    ("kind", "value", "subtotal", "cap", "expected"),
    [
        ("percent", Decimal("10"), 80_000, None, 8_000),
        ("percent", Decimal("15"), 33_333, None, 5_000),
        ("fixed", Decimal("50"), 80_000, None, 5_000),
        ("fixed", Decimal("50"), 3_000, None, 3_000),
        ("percent", Decimal("50"), 80_000, 10_000, 10_000),
    ],
)
def test_coupon_discount(
    kind: str, value: Decimal, subtotal: int, cap: int | None, expected: int
) -> None:
    assert coupon_discount_cents(kind, value, subtotal, cap) == expected


@pytest.mark.parametrize(
    ("clock", "slot"),
    [
        (time(12, 0), "12:00"),
        (time(14, 59), "12:00"),
        (time(18, 0), "18:00"),
        (time(19, 0), "18:00"),
        (time(23, 30), "21:00"),
        (time(10, 0), None),
    ],
)
def test_an_event_time_falls_in_the_slot_whose_window_holds_it(
    clock: time, slot: str | None
) -> None:
    assert slot_for(clock, SLOTS, 180) == slot


def test_closed_weekday() -> None:
    assert is_closed(date(2025, 11, 17), [0]) is True  # a Monday
    assert is_closed(date(2025, 11, 15), [0]) is False


@pytest.mark.parametrize(
    ("total", "paid", "status"),
    [(80_000, 0, "unpaid"), (80_000, 10_000, "partial"), (80_000, 80_000, "paid")],
)
def test_payment_status(total: int, paid: int, status: str) -> None:
    assert payment_status(total, paid) == status
