"""Coupons: issuing (recovery coupons for unhappy customers), validating, applying.

A coupon is used at most once per customer (a unique row per coupon and customer in
``coupon_redemptions``) and at most ``max_uses`` times in all (a conditional UPDATE
of ``uses_count``): the database keeps both rules, so two requests at the same
instant cannot break them.  Applying one prices the booking again on the
discounted subtotal (tax, fee and deposit follow).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings import service as bookings
from trident.apps.hibachi.models import (
    Booking,
    BookingStatus,
    Coupon,
    CouponRedemption,
    Customer,
    Review,
)
from trident.apps.hibachi.pricing.engine import coupon_discount_cents
from trident.apps.hibachi.reviews import coupon_repository as repository
from trident.apps.hibachi.reviews import repository as reviews_repository
from trident.apps.hibachi.reviews.schemas import (
    CouponApplied,
    CouponApplyRequest,
    CouponIssued,
    CouponOut,
    CouponTerms,
    CouponUpdate,
    CouponValidateRequest,
    CouponValidation,
)
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, NotFound
from trident.core.money import cents_to_decimal, decimal_to_cents

#: no 0/O, 1/I/L: a code read over the phone is typed right
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "SORRY"
SOURCE_RECOVERY = "review_recovery"
SOURCE_MANUAL = "manual"


def generate_code(prefix: str = CODE_PREFIX, length: int = 6) -> str:
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


# -- output ------------------------------------------------------------------------


def is_usable(coupon: Coupon, now: datetime) -> bool:
    return (
        coupon.is_active
        and (coupon.expires_at is None or coupon.expires_at > now)
        and (coupon.max_uses is None or coupon.uses_count < coupon.max_uses)
    )


def coupon_out(coupon: Coupon, now: datetime | None = None) -> CouponOut:
    now = now or utcnow()
    return CouponOut(
        id=coupon.id,
        station_id=coupon.station_id,
        code=coupon.code,
        description=coupon.description,
        reason=coupon.description,
        discount_type=coupon.discount_type,  # type: ignore[arg-type]
        discount_value=coupon.discount_value,
        min_order_amount=cents_to_decimal(coupon.min_order_cents),
        max_discount_amount=(
            cents_to_decimal(coupon.max_discount_cents)
            if coupon.max_discount_cents is not None
            else None
        ),
        customer_id=coupon.customer_id,
        review_id=coupon.review_id,
        source=coupon.source,
        expires_at=coupon.expires_at,
        max_uses=coupon.max_uses,
        uses_count=coupon.uses_count,
        remaining_uses=(
            max(0, coupon.max_uses - coupon.uses_count) if coupon.max_uses is not None else None
        ),
        is_active=coupon.is_active,
        is_usable=is_usable(coupon, now),
        created_by_id=coupon.created_by_id,
        created_at=coupon.created_at,
    )


# -- the rules ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    reason_code: str
    message: str
    #: how apply answers it
    status: int
    error_code: str


def _money(cents: int) -> str:
    return f"${cents_to_decimal(cents):,.2f}"


def refusal_of(
    coupon: Coupon | None,
    *,
    now: datetime,
    customer_id: int | None,
    already_used: bool,
    order_cents: int | None,
) -> Refusal | None:
    """Why this coupon cannot be used now by this customer on this order (None: it can).

    The customer's own reasons (not theirs, already used) come before "used up": they
    say more to the person asking.

    ``customer_id`` None means "not known yet" (staff checking a code): the per-customer
    rules are then left to the moment it is applied."""
    if coupon is None:
        return Refusal("unknown", "This code is not a valid coupon.", 404, "coupon_not_found")
    if not coupon.is_active:
        return Refusal("inactive", "This coupon is no longer active.", 409, "coupon_inactive")
    if coupon.expires_at is not None and coupon.expires_at <= now:
        return Refusal(
            "expired",
            f"This coupon expired on {coupon.expires_at.date().isoformat()}.",
            409,
            "coupon_expired",
        )
    if customer_id is not None:
        if coupon.customer_id is not None and coupon.customer_id != customer_id:
            return Refusal(
                "other_customer",
                "This coupon belongs to another customer.",
                409,
                "coupon_not_for_customer",
            )
        if already_used:
            return Refusal(
                "already_used",
                "This coupon has already been used by this customer.",
                409,
                "coupon_already_used",
            )
    if coupon.max_uses is not None and coupon.uses_count >= coupon.max_uses:
        return Refusal("used_up", "This coupon has been fully used.", 409, "coupon_used_up")
    if order_cents is not None and order_cents < coupon.min_order_cents:
        return Refusal(
            "below_minimum",
            f"This coupon needs an order of at least {_money(coupon.min_order_cents)}.",
            409,
            "coupon_below_minimum",
        )
    return None


def discount_for(coupon: Coupon, order_cents: int | None) -> int | None:
    """What comes off ``order_cents`` (a fixed coupon's value when the order is unknown)."""
    if order_cents is None:
        if coupon.discount_type != "fixed":
            return None
        cents = decimal_to_cents(coupon.discount_value)
        if coupon.max_discount_cents is not None:
            cents = min(cents, coupon.max_discount_cents)
        return cents
    return coupon_discount_cents(
        coupon.discount_type, coupon.discount_value, order_cents, coupon.max_discount_cents
    )


# -- issuing -----------------------------------------------------------------------


def _describe(coupon: Coupon) -> str:
    if coupon.discount_type == "percent":
        return f"{coupon.discount_value.normalize():f}% off"
    return f"{_money(decimal_to_cents(coupon.discount_value))} off"


async def _notify(rt: HibachiRuntime, db: AsyncSession, coupon: Coupon, station_name: str) -> bool:
    if coupon.customer_id is None:
        return False
    contact = await reviews_repository.customer_contact(db, coupon.station_id, coupon.customer_id)
    if contact is None or not contact[1]:
        return False
    name, email, _ = contact
    expiry = (
        f" It is valid until {coupon.expires_at.date().isoformat()}."
        if coupon.expires_at is not None
        else ""
    )
    await rt.notifier.enqueue(
        db,
        channel="email",
        to=email,
        subject=f"A thank-you from {station_name}: {_describe(coupon)} your next booking",
        body=(
            f"Hi {name},\n\nThank you for telling us about your experience. We are sorry it "
            f"fell short. Please accept {_describe(coupon)} your next booking with the code "
            f"{coupon.code}.{expiry}\n\n{station_name}"
        ),
        tenant_id=coupon.station_id,
        reference=f"coupon:{coupon.id}",
    )
    return True


async def issue(
    rt: HibachiRuntime,
    db: AsyncSession,
    caller: Caller,
    terms: CouponTerms,
    *,
    customer_id: int | None,
    review_id: int | None,
    reason: str | None,
    code: str | None,
    source: str,
) -> CouponIssued:
    """Create a coupon; a taken explicit code is 409, a generated one is drawn again."""
    station_id = caller.station_id
    if review_id is not None:
        review = await get_scoped(db, Review, review_id, station_id, what="Review")
        if customer_id is None:
            customer_id = review.customer_id
    if customer_id is not None:
        await get_scoped(db, Customer, customer_id, station_id, what="Customer")
    now = utcnow()
    max_uses = terms.max_uses
    if max_uses is None and customer_id is not None:
        max_uses = 1  # a customer's own coupon: once
    coupon: Coupon | None = None
    for attempt in range(6):
        wanted = code or generate_code()
        if code is not None and await repository.code_taken(db, station_id, wanted):
            raise _code_taken(wanted)
        candidate = Coupon(
            station_id=station_id,
            code=wanted,
            description=reason,
            discount_type=terms.discount_type,
            discount_value=terms.discount_value,
            min_order_cents=decimal_to_cents(terms.min_order_amount or Decimal(0)),
            max_discount_cents=(
                decimal_to_cents(terms.max_discount_amount)
                if terms.max_discount_amount is not None
                else None
            ),
            customer_id=customer_id,
            review_id=review_id,
            source=source,
            expires_at=(
                now + timedelta(days=terms.expires_in_days)
                if terms.expires_in_days is not None
                else None
            ),
            max_uses=max_uses,
            uses_count=0,
            is_active=True,
            created_by_id=caller.user_id,
        )
        try:
            async with db.begin_nested():
                db.add(candidate)
                await db.flush()
        except IntegrityError:
            if code is not None:
                raise _code_taken(wanted)
            if attempt == 5:
                raise
            continue
        coupon = candidate
        break
    assert coupon is not None
    notified = terms.notify_customer and await _notify(rt, db, coupon, caller.station.name)
    out = coupon_out(coupon, now)
    message = f"Coupon {coupon.code} issued ({_describe(coupon)})."
    if notified:
        message += " The customer was emailed the code."
    return CouponIssued(**out.model_dump(), notified=notified, message=message)


def _code_taken(code: str) -> Conflict:
    return Conflict(
        f"The code {code} is already taken.", code="coupon_code_taken", details={"code": code}
    )


# -- managing ------------------------------------------------------------------------


async def get_coupon(db: AsyncSession, caller: Caller, coupon_id: int) -> CouponOut:
    coupon = await get_scoped(db, Coupon, coupon_id, caller.station_id, what="Coupon")
    return coupon_out(coupon)


async def update_coupon(
    db: AsyncSession, caller: Caller, coupon_id: int, body: CouponUpdate
) -> CouponOut:
    """Switch a coupon off or on, move its expiry, change its use limit."""
    coupon = await get_scoped(db, Coupon, coupon_id, caller.station_id, what="Coupon")
    for name, value in body.model_dump(exclude_unset=True).items():
        if name == "is_active" and value is None:
            continue
        setattr(coupon, name, value)
    await db.flush()
    return coupon_out(coupon)


# -- validating and applying -----------------------------------------------------------


async def _booking(db: AsyncSession, caller: Caller, booking_id: int) -> Booking | None:
    try:
        row = await bookings.visible_row(db, caller, booking_id)
    except NotFound:
        return None
    booking: Booking = row[0]
    return booking


async def validate(
    db: AsyncSession, caller: Caller, body: CouponValidateRequest
) -> CouponValidation:
    """Whether a code can be used (and what it takes off): an answer, never a 404."""
    now = utcnow()
    own = caller.own_customer_id("bookings:read")
    customer_id = own if own is not None else body.customer_id
    order_cents = decimal_to_cents(body.order_amount) if body.order_amount is not None else None
    coupon = await repository.coupon_by_code(db, caller.station_id, body.code)
    booking_refusal: Refusal | None = None
    if body.booking_id is not None:
        booking = await _booking(db, caller, body.booking_id)
        if booking is None:
            booking_refusal = Refusal(
                "booking_not_found",
                f"Booking {body.booking_id} was not found.",
                404,
                "booking_not_found",
            )
        else:
            customer_id = booking.customer_id
            order_cents = booking.subtotal_cents
            if booking.coupon_code:
                booking_refusal = Refusal(
                    "booking_has_coupon",
                    f"This booking already has the coupon {booking.coupon_code}.",
                    409,
                    "booking_has_coupon",
                )
    already = (
        coupon is not None
        and customer_id is not None
        and await repository.has_redeemed(db, coupon.id, customer_id)
    )
    refusal = (
        refusal_of(
            coupon, now=now, customer_id=customer_id, already_used=already, order_cents=order_cents
        )
        or booking_refusal
    )
    discount = discount_for(coupon, order_cents) if coupon is not None else None
    valid = refusal is None
    return CouponValidation(
        valid=valid,
        code=coupon.code if coupon is not None else body.code,
        discount_type=coupon.discount_type if coupon is not None else None,  # type: ignore[arg-type]
        discount_value=coupon.discount_value if coupon is not None else None,
        discount_amount=cents_to_decimal(discount) if valid and discount is not None else None,
        order_amount=cents_to_decimal(order_cents) if order_cents is not None else None,
        min_order_amount=cents_to_decimal(coupon.min_order_cents) if coupon is not None else None,
        expires_at=coupon.expires_at if coupon is not None else None,
        reason=refusal.message if refusal is not None else None,
        reason_code=refusal.reason_code if refusal is not None else None,  # type: ignore[arg-type]
        message=refusal.message if refusal is not None else f"{_describe(coupon)} applies.",  # type: ignore[arg-type]
    )


def _refuse(refusal: Refusal, code: str) -> Exception:
    details: dict[str, Any] = {"code": code, "reason": refusal.reason_code}
    if refusal.status == 404:
        return NotFound(refusal.message, code=refusal.error_code, details=details)
    return Conflict(refusal.message, code=refusal.error_code, details=details)


async def apply(db: AsyncSession, caller: Caller, body: CouponApplyRequest) -> CouponApplied:
    """Redeem a coupon on a booking: record the use, count it, price the booking again."""
    row = await bookings.visible_row(db, caller, body.booking_id)
    booking: Booking = row[0]
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        raise Conflict(
            f"A {booking.status} booking can no longer take a coupon.",
            code="booking_locked",
            details={"status": booking.status},
        )
    if booking.coupon_code:
        raise Conflict(
            f"This booking already has the coupon {booking.coupon_code}.",
            code="booking_has_coupon",
            details={"coupon_code": booking.coupon_code},
        )
    now = utcnow()
    coupon = await repository.coupon_by_code(db, caller.station_id, body.code)
    already = coupon is not None and await repository.has_redeemed(
        db, coupon.id, booking.customer_id
    )
    refusal = refusal_of(
        coupon,
        now=now,
        customer_id=booking.customer_id,
        already_used=already,
        order_cents=booking.subtotal_cents,
    )
    if refusal is not None:
        raise _refuse(refusal, body.code)
    assert coupon is not None
    discount = discount_for(coupon, booking.subtotal_cents) or 0
    # the database decides the races: one redemption per customer, one booking coupon,
    # and no more uses than max_uses
    try:
        async with db.begin_nested():
            db.add(
                CouponRedemption(
                    station_id=caller.station_id,
                    coupon_id=coupon.id,
                    customer_id=booking.customer_id,
                    booking_id=booking.id,
                    discount_cents=discount,
                )
            )
            await db.flush()
    except IntegrityError:
        raise Conflict(
            "This coupon has already been used by this customer.",
            code="coupon_already_used",
            details={"code": body.code, "reason": "already_used"},
        )
    if not await repository.claim_booking(db, booking.id, coupon.code):
        raise Conflict("This booking already has a coupon.", code="booking_has_coupon")
    if not await repository.count_use(db, coupon.id, now):
        raise Conflict(
            "This coupon has been fully used.",
            code="coupon_used_up",
            details={"code": body.code, "reason": "used_up"},
        )
    await bookings.apply_discount(db, caller.station_id, booking, discount, coupon.code)
    return CouponApplied(
        booking_id=booking.id,
        code=coupon.code,
        discount_amount=cents_to_decimal(booking.discount_cents),
        subtotal=cents_to_decimal(booking.subtotal_cents),
        tax=cents_to_decimal(booking.tax_cents),
        service_fee=cents_to_decimal(booking.service_fee_cents),
        total_amount=cents_to_decimal(booking.total_cents),
        deposit_amount=cents_to_decimal(booking.deposit_cents),
        balance_due=cents_to_decimal(max(0, booking.total_cents - booking.amount_paid_cents)),
        message=f"Coupon {coupon.code} applied: {_describe(coupon)}.",
    )
