"""Bookings: availability, creation (every document's form), the status machine,
repricing on change, cancellation.

A slot holds one party.  The database keeps it so: a partial unique index on
(station, date, slot) over bookings that are not cancelled.  Two requests for one
slot at the same instant both insert; the second insert fails and answers 409.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings import repository
from trident.apps.hibachi.bookings.presenter import booking_out
from trident.apps.hibachi.bookings.schemas import (
    BookedDatesOut,
    BookingCreate,
    BookingOut,
    BookingUpdate,
    LocationIn,
    PublicBookingOut,
    PublicBookingRequest,
)
from trident.apps.hibachi.customers.service import find_or_create_customer
from trident.apps.hibachi.models import Booking, BookingStatus, Customer, PricingConfig, Station
from trident.apps.hibachi.pricing import service as pricing
from trident.apps.hibachi.pricing.engine import (
    Line,
    is_closed,
    parse_clock,
    quote,
    slot_for,
)
from trident.apps.hibachi.reviews import coupon_repository
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import today_in, utcnow, zone
from trident.core.dates import add_days, date_range
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from trident.core.ids import parse_id
from trident.core.money import cents_to_decimal

WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")

#: where each status may go next; completed and cancelled are final
TRANSITIONS: dict[str, set[str]] = {
    BookingStatus.PENDING: {BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.CONFIRMED: {BookingStatus.COMPLETED, BookingStatus.CANCELLED},
    BookingStatus.COMPLETED: set(),
    BookingStatus.CANCELLED: set(),
}


# -- the calendar ---------------------------------------------------------------


def check_bookable(
    config: PricingConfig,
    station: Station,
    day: date,
    *,
    same_day_allowed: bool,
    horizon_days: int,
) -> None:
    """Refuse a date in the past, too soon for the public, beyond the booking horizon
    (``BOOKING_HORIZON_DAYS``, five years by default), or on a closed weekday."""
    today = today_in(station.timezone)
    earliest = today if same_day_allowed else today + timedelta(days=config.min_days_ahead)
    if day < earliest:
        what = "today or later" if earliest == today else f"on or after {earliest.isoformat()}"
        raise Unprocessable(
            f"The event date must be {what}.",
            code="invalid_event_date",
            details={"event_date": f"must be {what}"},
        )
    latest = add_days(today, horizon_days)
    if day > latest:
        raise Unprocessable(
            f"We take bookings up to {latest.isoformat()}; please choose an earlier date.",
            code="invalid_event_date",
            details={"event_date": f"must be on or before {latest.isoformat()}"},
        )
    if is_closed(day, config.closed_weekdays):
        closed = ", ".join(WEEKDAYS[d] for d in config.closed_weekdays)
        raise Unprocessable(
            f"We are closed on {closed}; please choose another date.",
            code="closed_date",
            details={"event_date": f"closed on {closed}"},
        )


def _reason_unbookable(
    config: PricingConfig, station: Station, day: date, *, horizon_days: int
) -> str | None:
    try:
        check_bookable(config, station, day, same_day_allowed=False, horizon_days=horizon_days)
    except Unprocessable as exc:
        return exc.message
    return None


async def availability(
    db: AsyncSession, station: Station, day: date, *, horizon_days: int
) -> dict[str, Any]:
    """The slots of a day and which are free, as plain values (a hot public read:
    :class:`AvailabilityOut` documents the shape and the tests check it)."""
    config = await pricing.station_config(db, station.id)
    reason = _reason_unbookable(config, station, day, horizon_days=horizon_days)
    taken = await repository.taken_slots(db, station.id, day) if reason is None else set()
    slots = [
        {"time": start, "available": reason is None and start not in taken}
        for start in config.slot_times
    ]
    free = [slot["time"] for slot in slots if slot["available"]]
    if reason is None and not free:
        reason = "Every slot on this date is booked."
    return {
        "date": day,
        "available": bool(free),
        "is_closed": is_closed(day, config.closed_weekdays),
        "reason": reason,
        "timezone": station.timezone,
        "slots": slots,
        "available_slots": free,
    }


async def booked_dates(
    db: AsyncSession, station: Station, start: date | None, end: date | None
) -> BookedDatesOut:
    config = await pricing.station_config(db, station.id)
    start = start or today_in(station.timezone)
    end = end or add_days(start, 365)
    date_range(start, end, timezone=station.timezone, names=("from", "to"), max_days=732)
    per_day = await repository.bookings_per_day(db, station.id, start, end)
    capacity = len(config.slot_times)
    return BookedDatesOut(
        from_date=start,
        to_date=end,
        booked_dates=[day for day, _ in per_day],
        fully_booked_dates=[day for day, count in per_day if count >= capacity],
        bookings_by_date={day.isoformat(): count for day, count in per_day},
    )


def _slot(config: PricingConfig, event_time: time) -> str:
    slot = slot_for(event_time, config.slot_times, config.slot_duration_minutes)
    if slot is None:
        raise Unprocessable(
            f"{event_time.strftime('%H:%M')} is outside our service hours; slots start at "
            f"{', '.join(config.slot_times)}.",
            code="outside_service_hours",
            details={"event_time": f"slots start at {', '.join(config.slot_times)}"},
        )
    return slot


async def _choose_time(
    db: AsyncSession, config: PricingConfig, station_id: int, day: date, requested: str | None
) -> tuple[time, str]:
    if requested is not None:
        event_time = parse_clock(requested)
        return event_time, _slot(config, event_time)
    taken = await repository.taken_slots(db, station_id, day)
    free = [s for s in config.slot_times if s not in taken]
    if not free:
        raise Conflict(
            f"Every slot on {day.isoformat()} is booked.",
            code="slot_unavailable",
            details={"date": day.isoformat(), "available_slots": []},
        )
    return parse_clock(free[0]), free[0]


def _is_slot_conflict(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return "uq_bookings_active_slot" in text or "bookings.slot_time" in text


async def _slot_taken(
    db: AsyncSession, station_id: int, config: PricingConfig, day: date, slot: str
) -> Conflict:
    taken = await repository.taken_slots(db, station_id, day)
    free = [s for s in config.slot_times if s not in taken]
    return Conflict(
        f"The {slot} slot on {day.isoformat()} is already booked.",
        code="slot_unavailable",
        details={"date": day.isoformat(), "time": slot, "available_slots": free},
    )


# -- creating -------------------------------------------------------------------


async def _customer_for(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: BookingCreate
) -> Customer:
    own = caller.own_customer_id("bookings:write")
    if own is not None:
        # a customer books for themselves, whatever the body names
        return await get_scoped(db, Customer, own, caller.station_id, what="Customer")
    if body.customer_id is not None:
        return await get_scoped(db, Customer, body.customer_id, caller.station_id, what="Customer")
    if body.customer is not None:
        name, email, phone = body.customer.name, body.customer.email, body.customer.phone
    else:
        name, email, phone = body.customer_name, body.customer_email, body.customer_phone
    if not (email or phone):
        raise Unprocessable(
            "Name the customer: customer_id, a customer object, or customer_email/customer_phone.",
            code="customer_required",
            details={"customer": "customer_id, customer{name,email,phone} or customer_email"},
        )
    if name is None:
        existing_name = (email or phone or "").split("@")[0]
        name = existing_name
    return await find_or_create_customer(
        rt, db, caller.station_id, name=name, email=email, phone=phone, source="booking"
    )


def _location_fields(location: str | LocationIn) -> dict[str, Any]:
    if isinstance(location, LocationIn):
        text = location.text()
        if not text:
            raise Unprocessable(
                "The location needs an address or a city.", details={"location": "is empty"}
            )
        return {
            "location": text[:300],
            "address": location.address,
            "city": location.city,
            "state": location.state,
            "zip_code": location.zip_code,
        }
    return {"location": location, "address": None, "city": None, "state": None, "zip_code": None}


def _stored_lines(lines: list[Line], choices: list[str]) -> list[dict[str, Any]]:
    stored: list[dict[str, Any]] = [
        {
            "menu_item_id": line.menu_item_id,
            "menu": line.menu_code,
            "name": line.name,
            "quantity": line.quantity,
            "unit_cents": line.unit_cents,
        }
        for line in lines
    ]
    stored.extend({"name": name} for name in choices)
    return stored


def _lines_of(booking: Booking) -> list[Line]:
    return [
        Line(
            name=line["name"],
            quantity=line["quantity"],
            unit_cents=line["unit_cents"],
            menu_item_id=line.get("menu_item_id"),
            menu_code=line.get("menu"),
        )
        for line in booking.menu_items
        if line.get("unit_cents") is not None
    ]


def _apply_quote(booking: Booking, config: PricingConfig, lines: list[Line]) -> None:
    result = quote(pricing.rules_of(config), lines, discount_cents=booking.discount_cents or 0)
    booking.subtotal_cents = result.subtotal_cents
    booking.discount_cents = result.discount_cents
    booking.tax_cents = result.tax_cents
    booking.service_fee_cents = result.service_fee_cents
    booking.total_cents = result.total_cents
    booking.deposit_cents = result.deposit_cents


async def _insert(
    db: AsyncSession, booking: Booking, config: PricingConfig, timezone: str
) -> Booking:
    try:
        async with db.begin_nested():
            db.add(booking)
            await db.flush()
    except IntegrityError as exc:
        if not _is_slot_conflict(exc):
            raise
        raise await _slot_taken(
            db, booking.station_id, config, booking.event_date, booking.slot_time
        )
    # the year on the reference is the business's year, not UTC's (31 December, 17:00)
    year = booking.created_at.astimezone(zone(timezone)).year
    booking.reference_number = f"BK-{year}-{booking.id:05d}"
    await db.flush()
    return booking


async def create_booking(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: BookingCreate
) -> BookingOut:
    config = await pricing.station_config(db, caller.station_id)
    staff = caller.can("bookings:write")
    check_bookable(
        config,
        caller.station,
        body.event_date,
        same_day_allowed=staff,
        horizon_days=rt.settings.booking_horizon_days,
    )
    pricing.check_guest_count(config, body.guest_count)
    if body.status is not None and body.status != BookingStatus.PENDING and not staff:
        raise Forbidden(
            "Only staff can create a confirmed booking.", code="insufficient_permissions"
        )
    customer = await _customer_for(rt, db, caller, body)
    event_time, slot = await _choose_time(
        db, config, caller.station_id, body.event_date, body.event_time
    )
    lines, choices = await pricing.order_lines(
        db, caller.station_id, body.guest_count, body.menu, body.menu_items
    )
    status = body.status or BookingStatus.PENDING
    booking = Booking(
        station_id=caller.station_id,
        customer_id=customer.id,
        event_date=body.event_date,
        event_time=event_time,
        slot_time=slot,
        status=status,
        guest_count=body.guest_count,
        menu_code=lines[0].menu_code if lines and lines[0].menu_code else None,
        event_type=body.event_type,
        menu_items=_stored_lines(lines, choices),
        notes=body.notes,
        special_requests=body.special_requests,
        source=body.source or ("customer" if not staff else "admin"),
        discount_cents=0,
        amount_paid_cents=0,
        created_by_id=caller.user_id,
        confirmed_at=utcnow() if status == BookingStatus.CONFIRMED else None,
        **_location_fields(body.location),
    )
    _apply_quote(booking, config, lines)
    await _insert(db, booking, config, caller.station.timezone)
    rt.counters["bookings"].labels(booking.source).inc()
    return booking_out((booking, customer.name, customer.email, customer.phone))


async def public_booking(
    rt: HibachiRuntime, db: AsyncSession, station: Station, body: PublicBookingRequest
) -> PublicBookingOut:
    """The public booking request: a pending booking, and the customer it is for."""
    config = await pricing.station_config(db, station.id)
    check_bookable(
        config,
        station,
        body.event_date,
        same_day_allowed=False,
        horizon_days=rt.settings.booking_horizon_days,
    )
    pricing.check_guest_count(config, body.guest_count)
    customer = await find_or_create_customer(
        rt, db, station.id, name=body.name, email=body.email, phone=body.phone, source=body.source
    )
    event_time, slot = await _choose_time(db, config, station.id, body.event_date, body.event_time)
    lines, _ = await pricing.order_lines(db, station.id, body.guest_count, body.menu, None)
    booking = Booking(
        station_id=station.id,
        customer_id=customer.id,
        event_date=body.event_date,
        event_time=event_time,
        slot_time=slot,
        status=BookingStatus.PENDING,
        guest_count=body.guest_count,
        menu_code=lines[0].menu_code,
        event_type=body.event_type,
        menu_items=_stored_lines(lines, []),
        special_requests=body.message,
        source=body.source,
        discount_cents=0,
        amount_paid_cents=0,
        **_location_fields(body.location),
    )
    _apply_quote(booking, config, lines)
    await _insert(db, booking, config, station.timezone)
    rt.counters["bookings"].labels(booking.source).inc()
    deposit = cents_to_decimal(booking.deposit_cents)
    if config.deposit_type == "percent":
        deposit_step = f"Confirm your booking with a {config.deposit_value.normalize():f}% deposit"
    else:
        deposit_step = f"Confirm your booking with a ${deposit:,.2f} deposit"
    return PublicBookingOut(
        success=True,
        booking_id=booking.id,
        reference_number=booking.reference_number or "",
        status=booking.status,
        event_date=booking.event_date,
        event_time=booking.event_time.strftime("%H:%M"),
        estimated_cost=cents_to_decimal(booking.total_cents),
        deposit_amount=deposit,
        message="Booking request received. We'll confirm within 48 hours.",
        next_steps=[
            "We'll review your request",
            "You'll receive a quote via email",
            deposit_step,
        ],
    )


# -- reading and changing -------------------------------------------------------------


async def booking_id_from(db: AsyncSession, caller: Caller, ref: str) -> int:
    """A booking's id from the path: its id, or its reference number (BK-2025-00123)."""
    if (booking_id := parse_id(ref)) is not None:
        return booking_id
    if ref.upper().startswith("BK-"):
        found = await repository.id_by_reference(db, caller.station_id, ref)
        if found is not None:
            return found
    raise NotFound(f"Booking {ref} was not found.", code="booking_not_found")


async def visible_row(db: AsyncSession, caller: Caller, booking_id: int) -> Any:
    """(booking, customer name, email, phone) if the caller may see it, else 404."""
    row = await repository.get_with_customer(db, caller.station_id, booking_id)
    own = caller.own_customer_id("bookings:read")
    if row is None or (own is not None and row[0].customer_id != own):
        raise NotFound(f"Booking {booking_id} was not found.", code="booking_not_found")
    return row


async def get_booking(db: AsyncSession, caller: Caller, ref: str) -> BookingOut:
    return booking_out(await visible_row(db, caller, await booking_id_from(db, caller, ref)))


def _transition(booking: Booking, status: str, today: date, reason: str | None = None) -> None:
    if status == booking.status:
        return
    if status not in TRANSITIONS[booking.status]:
        raise Conflict(
            f"A {booking.status} booking cannot become {status}.",
            code="invalid_status_transition",
            details={
                "from": booking.status,
                "to": status,
                "allowed": sorted(TRANSITIONS[booking.status]),
            },
        )
    now = utcnow()
    if status == BookingStatus.COMPLETED and booking.event_date > today:
        raise Conflict(
            "A booking is completed on or after its event date.",
            code="invalid_status_transition",
            details={"from": booking.status, "to": status},
        )
    booking.status = status
    if status == BookingStatus.CONFIRMED:
        booking.confirmed_at = now
    elif status == BookingStatus.COMPLETED:
        booking.completed_at = now
    elif status == BookingStatus.CANCELLED:
        booking.cancelled_at = now
        booking.cancellation_reason = reason


async def _change_status(
    db: AsyncSession, booking: Booking, status: str, today: date, reason: str | None
) -> None:
    """Move a booking along the status machine; a cancellation gives its coupon's use
    back."""
    cancelling = status == BookingStatus.CANCELLED and booking.status != status
    _transition(booking, status, today, reason)
    if cancelling:
        await coupon_repository.release_for_booking(db, booking.id)


async def update_booking(
    db: AsyncSession, caller: Caller, ref: str, body: BookingUpdate, *, horizon_days: int
) -> BookingOut:
    row = await visible_row(db, caller, await booking_id_from(db, caller, ref))
    booking: Booking = row[0]
    staff = caller.can("bookings:write")
    changes = body.model_dump(exclude_unset=True)
    if not staff:
        if booking.status != BookingStatus.PENDING:
            raise Conflict(
                "Only a pending booking can be changed online; please contact us.",
                code="booking_locked",
            )
        if body.status not in (None, BookingStatus.CANCELLED, BookingStatus.PENDING):
            raise Forbidden(
                "Only staff can confirm or complete a booking.", code="insufficient_permissions"
            )
    if booking.status in (BookingStatus.COMPLETED, BookingStatus.CANCELLED) and set(changes) - {
        "status",
        "notes",
        "cancellation_reason",
    }:
        raise Conflict(
            f"A {booking.status} booking can no longer be changed.", code="booking_locked"
        )
    config = await pricing.station_config(db, caller.station_id)
    for name in ("notes", "special_requests", "event_type"):
        if name in changes:
            setattr(booking, name, changes[name])
    if body.location is not None:
        for name, value in _location_fields(body.location).items():
            setattr(booking, name, value)
    moved: tuple[date, time, str] | None = None
    if body.event_date is not None or body.event_time is not None:
        day = body.event_date or booking.event_date
        if day != booking.event_date:
            check_bookable(
                config, caller.station, day, same_day_allowed=staff, horizon_days=horizon_days
            )
        event_time = parse_clock(body.event_time) if body.event_time else booking.event_time
        moved = (day, event_time, _slot(config, event_time))
    reprice = any(k in changes for k in ("guest_count", "menu", "menu_items"))
    if body.guest_count is not None:
        pricing.check_guest_count(config, body.guest_count)
        booking.guest_count = body.guest_count
    if reprice:
        if body.menu_items is not None or body.menu is not None or booking.menu_code:
            lines, choices = await pricing.order_lines(
                db,
                caller.station_id,
                booking.guest_count,
                body.menu or booking.menu_code,
                body.menu_items if body.menu_items is not None else None,
            )
            booking.menu_code = lines[0].menu_code if lines and lines[0].menu_code else None
            booking.menu_items = _stored_lines(lines, choices)
        else:
            lines = _lines_of(booking)
        _apply_quote(booking, config, lines)
    if body.status is not None:
        await _change_status(
            db, booking, body.status, today_in(caller.station.timezone), body.cancellation_reason
        )
    if moved is not None:
        # begin_nested() flushes everything else first; only the move is in the savepoint
        try:
            async with db.begin_nested():
                booking.event_date, booking.event_time, booking.slot_time = moved
                await db.flush()
        except IntegrityError as exc:
            if not _is_slot_conflict(exc):
                raise
            raise await _slot_taken(db, caller.station_id, config, moved[0], moved[2])
    await db.flush()
    return booking_out(row)


async def cancel_booking(
    db: AsyncSession, caller: Caller, ref: str, reason: str | None
) -> BookingOut:
    row = await visible_row(db, caller, await booking_id_from(db, caller, ref))
    booking: Booking = row[0]
    if booking.status == BookingStatus.CANCELLED:
        return booking_out(row)
    if not caller.can("bookings:write") and booking.status != BookingStatus.PENDING:
        raise Conflict(
            "A confirmed booking is cancelled by our staff; please contact us.",
            code="booking_locked",
        )
    await _change_status(
        db, booking, BookingStatus.CANCELLED, today_in(caller.station.timezone), reason
    )
    await db.flush()
    return booking_out(row)


async def apply_discount(
    db: AsyncSession, station_id: int, booking: Booking, discount_cents: int, coupon_code: str
) -> None:
    """Take a coupon's discount off a booking and price it again (tax, fee, deposit)."""
    config = await pricing.station_config(db, station_id)
    booking.discount_cents = discount_cents
    booking.coupon_code = coupon_code
    _apply_quote(booking, config, _lines_of(booking))
    await db.flush()
