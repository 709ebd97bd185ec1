"""The waitlist: people who want a date that is taken (or not open yet), first come
first served per date.  Converting an entry books it through the bookings service,
so the same availability, pricing and slot rules apply; an entry converts once."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings import service as bookings
from trident.apps.hibachi.bookings.schemas import BookingCreate, CustomerBrief, LocationIn
from trident.apps.hibachi.customers import repository as customers
from trident.apps.hibachi.customers.service import find_or_create_customer
from trident.apps.hibachi.models import Customer, WaitlistEntry
from trident.apps.hibachi.pricing.engine import parse_clock
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.apps.hibachi.waitlist import repository
from trident.apps.hibachi.waitlist.schemas import (
    WaitlistConvert,
    WaitlistConverted,
    WaitlistCreate,
    WaitlistOut,
)
from trident.core.clock import today_in
from trident.core.errors import Conflict, NotFound, Unprocessable

WAITING, CONVERTED, CANCELLED = "waiting", "converted", "cancelled"


def entry_out(row: Any) -> WaitlistOut:
    entry, name, email, phone, position = row
    return WaitlistOut(
        id=entry.id,
        station_id=entry.station_id,
        customer_id=entry.customer_id,
        customer=CustomerBrief(id=entry.customer_id, name=name, email=email, phone=phone),
        preferred_date=entry.preferred_date,
        date=entry.preferred_date,
        preferred_time=entry.preferred_time.strftime("%H:%M") if entry.preferred_time else None,
        guest_count=entry.guest_count,
        guests=entry.guest_count,
        location=entry.location,
        city=entry.city,
        state=entry.state,
        notes=entry.notes,
        status=entry.status,
        position=int(position) if position is not None else None,
        booking_id=entry.booking_id,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


def _not_found(entry_id: int) -> NotFound:
    return NotFound(f"Waitlist entry {entry_id} was not found.", code="waitlist_entry_not_found")


async def _entry(db: AsyncSession, station_id: int, entry_id: int) -> WaitlistEntry:
    entry = await repository.by_id(db, station_id, entry_id)
    if entry is None:
        raise _not_found(entry_id)
    return entry


async def _row(db: AsyncSession, station_id: int, entry_id: int) -> Any:
    row = await repository.get_row(db, station_id, entry_id)
    if row is None:
        raise _not_found(entry_id)
    return row


async def get_entry(db: AsyncSession, caller: Caller, entry_id: int) -> WaitlistOut:
    return entry_out(await _row(db, caller.station_id, entry_id))


async def _customer_for(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: WaitlistCreate
) -> Customer:
    if body.customer_id is not None:
        customer = await customers.by_id(db, caller.station_id, body.customer_id)
        if customer is None:
            raise NotFound(f"Customer {body.customer_id} was not found.", code="customer_not_found")
        return customer
    if body.customer is None or not (body.customer.email or body.customer.phone):
        raise Unprocessable(
            "Name the customer: customer_id, or customer{name, email or phone}.",
            code="customer_required",
            details={"customer": "customer_id, or customer{name, email, phone}"},
        )
    return await find_or_create_customer(
        rt,
        db,
        caller.station_id,
        name=body.customer.name,
        email=body.customer.email,
        phone=body.customer.phone,
        source="waitlist",
    )


def _location(location: str | LocationIn | None) -> dict[str, str | None]:
    if isinstance(location, LocationIn):
        return {
            "location": location.text()[:300] or None,
            "city": location.city,
            "state": location.state,
        }
    return {"location": location, "city": None, "state": None}


async def add_entry(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: WaitlistCreate
) -> WaitlistOut:
    if body.preferred_date < today_in(caller.station.timezone):
        raise Unprocessable(
            "The preferred date must be today or later.",
            code="invalid_preferred_date",
            details={"preferred_date": "must be today or later"},
        )
    customer = await _customer_for(rt, db, caller, body)
    duplicate = await repository.waiting_entry_id(
        db, caller.station_id, customer.id, body.preferred_date
    )
    if duplicate is not None:
        raise Conflict(
            "This customer is already waiting for that date.",
            code="already_waitlisted",
            details={"entry_id": duplicate},
        )
    entry = WaitlistEntry(
        station_id=caller.station_id,
        customer_id=customer.id,
        preferred_date=body.preferred_date,
        preferred_time=parse_clock(body.preferred_time) if body.preferred_time else None,
        guest_count=body.guest_count,
        notes=body.notes,
        status=WAITING,
        **_location(body.location),
    )
    db.add(entry)
    await db.flush()
    return entry_out(await _row(db, caller.station_id, entry.id))


def _closed(entry: WaitlistEntry) -> Conflict:
    return Conflict(
        f"This waitlist entry is {entry.status}.",
        code=f"waitlist_entry_{entry.status}",
        details={"status": entry.status, "booking_id": entry.booking_id},
    )


async def cancel_entry(db: AsyncSession, caller: Caller, entry_id: int) -> None:
    """Cancel a waiting entry; cancelling it again is a no-op, a converted one is 409."""
    entry = await _entry(db, caller.station_id, entry_id)
    if entry.status == CANCELLED:
        return
    if entry.status == CONVERTED or not await repository.claim(
        db, caller.station_id, entry.id, CANCELLED
    ):
        await db.refresh(entry)
        if entry.status == CANCELLED:
            return
        raise _closed(entry)
    entry.status = CANCELLED
    await db.flush()


def _booking_request(entry: WaitlistEntry, body: WaitlistConvert) -> BookingCreate:
    location: str | LocationIn | None = body.location or entry.location
    if not location:
        raise Unprocessable(
            "Give the event's location to book it.",
            code="location_required",
            details={"location": "is required (the entry has none)"},
        )
    preferred = entry.preferred_time.strftime("%H:%M") if entry.preferred_time else None
    fields: dict[str, Any] = {
        "customer_id": entry.customer_id,
        "event_date": body.event_date or entry.preferred_date,
        "event_time": body.event_time or preferred,
        "guest_count": body.guest_count or entry.guest_count,
        "location": location,
        "menu": body.menu,
        "event_type": body.event_type,
        "special_requests": body.special_requests or entry.notes,
        "status": body.status,
        "source": "waitlist",
    }
    try:
        return BookingCreate.model_validate(fields)
    except ValidationError as exc:
        details = {".".join(map(str, e["loc"])) or "request": e["msg"] for e in exc.errors()}
        raise Unprocessable("The booking this entry makes is invalid.", details=details)


async def convert_entry(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, entry_id: int, body: WaitlistConvert
) -> WaitlistConverted:
    """Book the entry (the booking service's rules, 409 ``slot_unavailable`` if taken)
    and mark it converted; the whole request rolls back if the booking fails."""
    entry = await _entry(db, caller.station_id, entry_id)
    if entry.status != WAITING:
        raise _closed(entry)
    wanted = _booking_request(entry, body)
    if not await repository.claim(db, caller.station_id, entry.id, CONVERTED):
        await db.refresh(entry)
        raise _closed(entry)
    booking = await bookings.create_booking(rt, db, caller, wanted)
    entry.status = CONVERTED
    entry.booking_id = booking.id
    await db.flush()
    return WaitlistConverted(
        entry=entry_out(await _row(db, caller.station_id, entry.id)),
        booking=booking,
        message="Waitlist entry converted to a booking",
    )
