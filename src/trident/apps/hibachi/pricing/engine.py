"""The pricing engine: one pure function from a station's rules and an order to a quote.

Order of operations (the 2025-10-25 document's worked example is the test):
subtotal = per-guest menu price x guests, or the sum of priced menu items, raised to
the station's minimum order; a coupon comes off the subtotal; tax and the service
fee are rates of what remains; the deposit is a fixed amount (never above the
total) or a percentage of the total.  Every step rounds half-up to the cent, in
integer cents: money is never a float here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

FIXED = "fixed"
PERCENT = "percent"
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PricingRules:
    tax_rate: Decimal  # 0.10 = 10%
    service_fee_rate: Decimal
    deposit_type: str  # fixed | percent
    deposit_value: Decimal  # dollars when fixed, percent (50 = 50%) when percent
    minimum_order_cents: int = 0
    currency: str = "usd"


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    quantity: int
    unit_cents: int
    menu_item_id: int | None = None
    menu_code: str | None = None

    @property
    def amount_cents(self) -> int:
        return self.quantity * self.unit_cents


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[Line, ...]
    items_cents: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    service_fee_cents: int
    total_cents: int
    deposit_cents: int
    currency: str = "usd"
    notes: tuple[str, ...] = field(default=())

    @property
    def minimum_applied(self) -> bool:
        return self.subtotal_cents > self.items_cents


def _cents(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rate_of(cents: int, rate: Decimal) -> int:
    return _cents(Decimal(cents) * rate)


def coupon_discount_cents(
    discount_type: str, value: Decimal, subtotal_cents: int, max_discount_cents: int | None = None
) -> int:
    """What a coupon takes off a subtotal: a percentage or a fixed amount, capped."""
    if discount_type == PERCENT:
        discount = rate_of(subtotal_cents, value / HUNDRED)
    else:
        discount = _cents(value * HUNDRED)
    if max_discount_cents is not None:
        discount = min(discount, max_discount_cents)
    return max(0, min(discount, subtotal_cents))


def quote(rules: PricingRules, lines: list[Line], *, discount_cents: int = 0) -> Quote:
    items = sum(line.amount_cents for line in lines)
    subtotal = max(items, rules.minimum_order_cents)
    notes: list[str] = []
    if subtotal > items:
        notes.append(f"The minimum order of {subtotal / 100:.2f} applies.")
    discount = max(0, min(discount_cents, subtotal))
    taxable = subtotal - discount
    tax = rate_of(taxable, rules.tax_rate)
    fee = rate_of(taxable, rules.service_fee_rate)
    total = taxable + tax + fee
    if rules.deposit_type == PERCENT:
        deposit = rate_of(total, rules.deposit_value / HUNDRED)
    else:
        deposit = _cents(rules.deposit_value * HUNDRED)
    deposit = max(0, min(deposit, total))
    return Quote(
        lines=tuple(lines),
        items_cents=items,
        subtotal_cents=subtotal,
        discount_cents=discount,
        tax_cents=tax,
        service_fee_cents=fee,
        total_cents=total,
        deposit_cents=deposit,
        currency=rules.currency,
        notes=tuple(notes),
    )


def payment_status(total_cents: int, paid_cents: int) -> str:
    if paid_cents <= 0:
        return "unpaid"
    return "paid" if paid_cents >= total_cents else "partial"


# -- the calendar ------------------------------------------------------------------


def parse_clock(text: str) -> time:
    hours, minutes = text.split(":")[:2]
    return time(int(hours), int(minutes))


def slot_for(event_time: time, slot_times: list[str], duration_minutes: int) -> str | None:
    """The slot (its start, "HH:MM") whose window holds ``event_time``, or None.

    A chef serves one party per slot, so 18:00 and 19:00 are the same slot when slots
    start at 12:00, 15:00, 18:00 and 21:00 and last three hours."""
    minute = event_time.hour * 60 + event_time.minute
    for start in slot_times:
        clock = parse_clock(start)
        begin = clock.hour * 60 + clock.minute
        if begin <= minute < begin + duration_minutes:
            return start
    return None


def is_closed(day: date, closed_weekdays: list[int]) -> bool:
    return day.weekday() in closed_weekdays
