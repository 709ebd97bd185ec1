"""All SQL about bookings: the page of a list, one booking with its customer, the
slots a day has taken, and the days a range has booked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.bookings.presenter import OUTPUT_COLUMNS
from trident.apps.hibachi.models import Booking, Customer
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant, scoped

SORTS = {
    "event_date": (Booking.event_date, Booking.event_time),
    "created_at": (Booking.created_at,),
    "guest_count": (Booking.guest_count,),
    "total_amount": (Booking.total_cents,),
    "status": (Booking.status,),
}

#: the customer columns a booking shows (decrypted as they load)
CUSTOMER_COLUMNS = (Customer.name, Customer.email, Customer.phone)


def with_customer(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(Customer, Customer.id == Booking.customer_id).add_columns(*CUSTOMER_COLUMNS)


def list_keys(
    station_id: int,
    *,
    statuses: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    customer_id: int | None = None,
    event_type: str | None = None,
    search: str | None = None,
    sort: str = "event_date",
    descending: bool = True,
) -> Select[Any]:
    """The ids of the station's bookings that match, in list order (the customer is
    joined only when the search needs their name)."""
    stmt = scoped(select(Booking.id), Booking, station_id)
    if statuses:
        stmt = stmt.where(Booking.status.in_(statuses))
    if date_from is not None:
        stmt = stmt.where(Booking.event_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Booking.event_date <= date_to)
    if customer_id is not None:
        stmt = stmt.where(Booking.customer_id == customer_id)
    if event_type is not None:
        stmt = stmt.where(Booking.event_type == event_type)
    if search:
        stmt = stmt.join(Customer, Customer.id == Booking.customer_id).where(
            or_(
                contains(Booking.reference_number, search),
                contains(Customer.name, search),
                contains(Booking.location, search),
            )
        )
    columns = SORTS[sort]
    order = [c.desc() if descending else c.asc() for c in columns]
    order.append(Booking.id.desc() if descending else Booking.id.asc())
    return stmt.order_by(*order)


#: built once: the hot list's second statement only binds its ids
_OUTPUT_ROWS = with_customer(select(*OUTPUT_COLUMNS)).where(
    Booking.id.in_(bindparam("booking_ids", expanding=True))
)


async def output_rows(db: AsyncSession, booking_ids: Sequence[int]) -> list[Any]:
    """Core rows of the output columns and the customer's contact (decrypted as they
    load) for each of ``booking_ids``: the hot list loads no ORM entity."""
    return list((await db.execute(_OUTPUT_ROWS, {"booking_ids": list(booking_ids)})).all())


async def get_with_customer(db: AsyncSession, station_id: int, booking_id: int) -> Any:
    stmt = with_customer(scoped(select(Booking), Booking, station_id)).where(
        Booking.id == booking_id
    )
    return (await db.execute(stmt)).first()


async def id_by_reference(db: AsyncSession, station_id: int, reference: str) -> int | None:
    return await db.scalar(
        scoped(select(Booking.id), Booking, station_id).where(
            Booking.reference_number == reference.upper()
        )
    )


async def taken_slots(db: AsyncSession, station_id: int, day: date) -> set[str]:
    rows = await db.scalars(
        select(Booking.slot_time).where(
            in_tenant(Booking, station_id),
            Booking.event_date == day,
            Booking.status != "cancelled",
        )
    )
    return set(rows)


async def bookings_per_day(
    db: AsyncSession, station_id: int, start: date, end: date
) -> list[tuple[date, int]]:
    rows = await db.execute(
        select(Booking.event_date, func.count(Booking.id))
        .where(
            in_tenant(Booking, station_id),
            Booking.event_date >= start,
            Booking.event_date <= end,
            Booking.status != "cancelled",
        )
        .group_by(Booking.event_date)
        .order_by(Booking.event_date)
    )
    return [(day, count) for day, count in rows.all()]
