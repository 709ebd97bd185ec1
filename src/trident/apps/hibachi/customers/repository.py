"""All SQL about customers: lookups by id, provider id and blind index, the list
(with its loyalty-tier filter), and the booking aggregates loyalty is derived from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, cast, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Booking, BookingStatus, Customer
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant, scoped

SORTS = {"created_at": Customer.created_at, "name": Customer.name}

NOT_CANCELLED = Booking.status != BookingStatus.CANCELLED
COMPLETED = Booking.status == BookingStatus.COMPLETED


async def by_email_hash(db: AsyncSession, station_id: int, email_hash: str) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id).where(Customer.email_hash == email_hash)
    )


async def by_phone_hash(db: AsyncSession, station_id: int, phone_hash: str) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id)
        .where(Customer.phone_hash == phone_hash)
        .order_by(Customer.id)
        .limit(1)
    )


async def by_id(db: AsyncSession, station_id: int, customer_id: int) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id).where(Customer.id == customer_id)
    )


async def by_provider_id(db: AsyncSession, station_id: int, provider_id: str) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id)
        .where(Customer.stripe_customer_id == provider_id)
        .order_by(Customer.id)
        .limit(1)
    )


#: what a list row shows: Core rows of these, so no other column is loaded or decrypted
LIST_COLUMNS = (Customer.id, Customer.name, Customer.email, Customer.phone, Customer.created_at)


def list_query(
    station_id: int,
    *,
    search: str | None = None,
    email_hash: str | None = None,
    phone_hash: str | None = None,
    spent_between: tuple[int, int | None] | None = None,
    sort: str = "created_at",
    descending: bool = True,
) -> Select[Any]:
    """The station's customers (rows of :data:`LIST_COLUMNS`): name contains
    ``search`` (any case), or the email or phone is exactly the one whose blind index
    is given; within a spend range."""
    stmt = scoped(select(*LIST_COLUMNS), Customer, station_id)
    if search:
        matches: list[ColumnElement[bool]] = [contains(Customer.name, search)]
        if email_hash:
            matches.append(Customer.email_hash == email_hash)
        if phone_hash:
            matches.append(Customer.phone_hash == phone_hash)
        stmt = stmt.where(or_(*matches))
    if spent_between is not None:
        spent = (
            select(Booking.customer_id, func.sum(Booking.total_cents).label("cents"))
            .where(in_tenant(Booking, station_id), COMPLETED)
            .group_by(Booking.customer_id)
            .subquery()
        )
        total = func.coalesce(spent.c.cents, 0)
        low, high = spent_between
        stmt = stmt.outerjoin(spent, spent.c.customer_id == Customer.id).where(total >= low)
        if high is not None:
            stmt = stmt.where(total < high)
    column = SORTS[sort]
    if descending:
        return stmt.order_by(column.desc(), Customer.id.desc())
    return stmt.order_by(column.asc(), Customer.id.asc())


@dataclass(frozen=True, slots=True)
class Totals:
    """What loyalty and the customer views are derived from."""

    total_bookings: int = 0
    spent_cents: int = 0
    upcoming: int = 0
    last_booking_date: date | None = None


async def totals_for(
    db: AsyncSession, station_id: int, customer_ids: Iterable[int], today: date
) -> dict[int, Totals]:
    """Each customer's totals, in one grouped query (customers without bookings absent)."""
    ids = list(customer_ids)
    if not ids:
        return {}
    rows = await db.execute(
        select(
            Booking.customer_id,
            func.sum(case((NOT_CANCELLED, 1), else_=0)),
            func.sum(case((COMPLETED, Booking.total_cents), else_=0)),
            func.sum(case((and_(NOT_CANCELLED, Booking.event_date >= today), 1), else_=0)),
            func.max(case((and_(NOT_CANCELLED, Booking.event_date < today), Booking.event_date))),
        )
        .where(in_tenant(Booking, station_id), Booking.customer_id.in_(ids))
        .group_by(Booking.customer_id)
    )
    return {
        customer_id: Totals(int(count or 0), int(spent or 0), int(upcoming or 0), last)
        for customer_id, count, spent, upcoming, last in rows.all()
    }


@dataclass(frozen=True, slots=True)
class History:
    """One customer's bookings summed up (analytics and the dashboard)."""

    by_status: dict[str, int]
    spent_cents: int
    upcoming: int
    first_date: date | None
    last_date: date | None
    next_date: date | None


async def history(db: AsyncSession, station_id: int, customer_id: int, today: date) -> History:
    future = and_(NOT_CANCELLED, Booking.event_date >= today)
    past = and_(NOT_CANCELLED, Booking.event_date < today)
    row = (
        await db.execute(
            select(
                func.sum(case((Booking.status == BookingStatus.PENDING, 1), else_=0)),
                func.sum(case((Booking.status == BookingStatus.CONFIRMED, 1), else_=0)),
                func.sum(case((COMPLETED, 1), else_=0)),
                func.sum(case((Booking.status == BookingStatus.CANCELLED, 1), else_=0)),
                func.sum(case((COMPLETED, Booking.total_cents), else_=0)),
                func.sum(case((future, 1), else_=0)),
                func.min(case((NOT_CANCELLED, Booking.event_date))),
                func.max(case((past, Booking.event_date))),
                func.min(case((future, Booking.event_date))),
            ).where(in_tenant(Booking, station_id), Booking.customer_id == customer_id)
        )
    ).one()
    pending, confirmed, completed, cancelled, spent, upcoming, first, last, nxt = row
    return History(
        by_status={
            BookingStatus.PENDING: int(pending or 0),
            BookingStatus.CONFIRMED: int(confirmed or 0),
            BookingStatus.COMPLETED: int(completed or 0),
            BookingStatus.CANCELLED: int(cancelled or 0),
        },
        spent_cents=int(spent or 0),
        upcoming=int(upcoming or 0),
        first_date=first,
        last_date=last,
        next_date=nxt,
    )


async def favorite_event_type(db: AsyncSession, station_id: int, customer_id: int) -> str | None:
    """The event type booked most often (ties: the most recently booked)."""
    times = func.count(Booking.id)
    return await db.scalar(
        select(Booking.event_type)
        .where(
            in_tenant(Booking, station_id),
            Booking.customer_id == customer_id,
            NOT_CANCELLED,
            Booking.event_type.is_not(None),
        )
        .group_by(Booking.event_type)
        .order_by(times.desc(), func.max(Booking.event_date).desc(), Booking.event_type)
        .limit(1)
    )


async def spend_by_month(
    db: AsyncSession, station_id: int, customer_id: int
) -> list[tuple[int, int, int, int]]:
    """(year, month, completed bookings, cents spent) by event month, oldest first."""
    year = cast(extract("year", Booking.event_date), Integer)
    month = cast(extract("month", Booking.event_date), Integer)
    rows = await db.execute(
        select(year, month, func.count(Booking.id), func.sum(Booking.total_cents))
        .where(in_tenant(Booking, station_id), Booking.customer_id == customer_id, COMPLETED)
        .group_by(year, month)
        .order_by(year, month)
    )
    return [(int(y), int(m), int(n), int(c or 0)) for y, m, n, c in rows.all()]


async def bookings_of(
    db: AsyncSession,
    station_id: int,
    customer_id: int,
    *,
    upcoming_from: date | None = None,
    before: date | None = None,
    limit: int = 5,
) -> list[Booking]:
    """Upcoming bookings (not cancelled, soonest first) or past ones (latest first)."""
    stmt = scoped(select(Booking), Booking, station_id).where(Booking.customer_id == customer_id)
    if upcoming_from is not None:
        stmt = stmt.where(NOT_CANCELLED, Booking.event_date >= upcoming_from).order_by(
            Booking.event_date, Booking.event_time, Booking.id
        )
    else:
        stmt = stmt.where(Booking.event_date < before).order_by(  # type: ignore[operator]
            Booking.event_date.desc(), Booking.event_time.desc(), Booking.id.desc()
        )
    return list(await db.scalars(stmt.limit(limit)))
