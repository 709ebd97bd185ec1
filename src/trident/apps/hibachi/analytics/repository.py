"""All SQL of the analytics: every figure is an aggregate the database computes
(GROUP BY event date, status, event type, slot, place; conditional sums), so a
report reads a handful of rows whatever the number of bookings.

Ranges of days filter ``bookings.event_date`` (index station_id, event_date, id);
ranges of instants filter ``created_at`` (indexes station_id, created_at).
A CASE that carries bound values is only ever used inside an aggregate or in a
subquery's select list, never in a GROUP BY: PostgreSQL would not match the
GROUP BY's parameters with the select list's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from trident.apps.hibachi.models import Booking, BookingStatus, Customer, Lead, Review
from trident.core.db.functions import in_period
from trident.core.db.tenancy import scoped

#: constants written into the SQL, not bound: PostgreSQL then knows their type
ZERO: ColumnElement[int] = literal_column("0")
ONE: ColumnElement[int] = literal_column("1")
CANCELLED = BookingStatus.CANCELLED.value
#: the statuses whose total counts as revenue
REVENUE_STATUSES = (BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value)


def _in_days(start: date, end: date) -> ColumnElement[bool]:
    return and_(Booking.event_date >= start, Booking.event_date <= end)


def _is_revenue() -> ColumnElement[bool]:
    return Booking.status.in_(REVENUE_STATUSES)


def _sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, value), else_=ZERO)), ZERO)


@dataclass(frozen=True, slots=True)
class StatusTotals:
    count: int = 0
    total_cents: int = 0
    guests: int = 0
    paid_cents: int = 0
    outstanding_cents: int = 0


def _status_columns() -> tuple[Any, ...]:
    """Per status: bookings, their totals, guests, amounts paid and still due."""
    return (
        func.count(Booking.id),
        func.coalesce(func.sum(Booking.total_cents), ZERO),
        func.coalesce(func.sum(Booking.guest_count), ZERO),
        func.coalesce(func.sum(Booking.amount_paid_cents), ZERO),
        _sum_if(
            Booking.total_cents > Booking.amount_paid_cents,
            Booking.total_cents - Booking.amount_paid_cents,
        ),
    )


async def status_totals(
    db: AsyncSession, station_id: int, start: date, end: date
) -> dict[str, StatusTotals]:
    """Per status: bookings, their totals, guests, amounts paid and still due."""
    stmt = (
        scoped(select(Booking.status, *_status_columns()), Booking, station_id)
        .where(_in_days(start, end))
        .group_by(Booking.status)
    )
    rows = (await db.execute(stmt)).all()
    return {
        status: StatusTotals(int(n), int(total), int(guests), int(paid), int(due))
        for status, n, total, guests, paid, due in rows
    }


async def status_totals_compared(
    db: AsyncSession,
    station_id: int,
    current: tuple[date, date],
    previous: tuple[date, date],
) -> tuple[dict[str, StatusTotals], dict[str, StatusTotals]]:
    """:func:`status_totals` of a period and of the one it is compared with, in one
    statement (each report compares the two): grouped by period, then status."""
    in_current = case((_in_days(*current), 1), else_=0).label("in_current")
    stmt = (
        scoped(select(in_current, Booking.status, *_status_columns()), Booking, station_id)
        .where(or_(_in_days(*current), _in_days(*previous)))
        .group_by(in_current, Booking.status)
    )
    found: tuple[dict[str, StatusTotals], dict[str, StatusTotals]] = ({}, {})
    for is_current, status, n, total, guests, paid, due in (await db.execute(stmt)).all():
        found[0 if is_current else 1][status] = StatusTotals(
            int(n), int(total), int(guests), int(paid), int(due)
        )
    return found


@dataclass(frozen=True, slots=True)
class DayFacts:
    bookings: int
    cancelled: int
    guests: int
    revenue_cents: int
    revenue_bookings: int


async def daily_facts(
    db: AsyncSession, station_id: int, start: date, end: date
) -> dict[date, DayFacts]:
    """Per event date that has bookings: counts, guests (not cancelled), revenue."""
    not_cancelled = Booking.status != CANCELLED
    stmt = (
        scoped(
            select(
                Booking.event_date,
                func.count(Booking.id),
                _sum_if(Booking.status == CANCELLED, ONE),
                _sum_if(not_cancelled, Booking.guest_count),
                _sum_if(_is_revenue(), Booking.total_cents),
                _sum_if(_is_revenue(), ONE),
            ),
            Booking,
            station_id,
        )
        .where(_in_days(start, end))
        .group_by(Booking.event_date)
    )
    rows = (await db.execute(stmt)).all()
    return {
        day: DayFacts(int(n), int(cancelled), int(guests), int(revenue), int(paid_n))
        for day, n, cancelled, guests, revenue, paid_n in rows
    }


async def count_by_event_type(
    db: AsyncSession, station_id: int, start: date, end: date
) -> dict[str | None, int]:
    stmt = (
        scoped(select(Booking.event_type, func.count(Booking.id)), Booking, station_id)
        .where(_in_days(start, end))
        .group_by(Booking.event_type)
    )
    return {kind: int(n) for kind, n in (await db.execute(stmt)).all()}


async def slot_counts(
    db: AsyncSession, station_id: int, start: date, end: date
) -> list[tuple[str, int]]:
    """Slot start times by bookings (not cancelled), most booked first."""
    count = func.count(Booking.id)
    stmt = (
        scoped(select(Booking.slot_time, count), Booking, station_id)
        .where(_in_days(start, end), Booking.status != CANCELLED)
        .group_by(Booking.slot_time)
        .order_by(count.desc(), Booking.slot_time)
    )
    return [(slot, int(n)) for slot, n in (await db.execute(stmt)).all()]


async def top_places(
    db: AsyncSession, station_id: int, start: date, end: date, limit: int = 10
) -> list[tuple[str, int]]:
    """Where events are (the city when the booking has one, else its location text)."""
    place = func.coalesce(Booking.city, Booking.location)
    count = func.count(Booking.id)
    stmt = (
        scoped(select(place, count), Booking, station_id)
        .where(_in_days(start, end), Booking.status != CANCELLED)
        .group_by(place)
        .order_by(count.desc(), place)
        .limit(limit)
    )
    return [(name, int(n)) for name, n in (await db.execute(stmt)).all()]


# -- customers -------------------------------------------------------------------------


async def new_customers(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> int:
    """Customers created in [start, end)."""
    stmt = scoped(select(func.count(Customer.id)), Customer, station_id).where(
        *in_period(Customer.created_at, start, end)
    )
    return int(await db.scalar(stmt) or 0)


async def active_customers(db: AsyncSession, station_id: int, start: date, end: date) -> int:
    """Distinct customers with a booking (not cancelled) dated in the range."""
    stmt = scoped(select(func.count(Booking.customer_id.distinct())), Booking, station_id).where(
        _in_days(start, end), Booking.status != CANCELLED
    )
    return int(await db.scalar(stmt) or 0)


async def returning_customers(db: AsyncSession, station_id: int, start: date, end: date) -> int:
    """Customers with a booking (not cancelled) in the range who had one before it."""
    earlier = aliased(Booking)
    had_one = (
        select(earlier.id)
        .where(
            earlier.customer_id == Booking.customer_id,
            earlier.station_id == station_id,
            earlier.event_date < start,
            earlier.status != CANCELLED,
        )
        .exists()
    )
    stmt = scoped(select(func.count(Booking.customer_id.distinct())), Booking, station_id).where(
        _in_days(start, end), Booking.status != CANCELLED, had_one
    )
    return int(await db.scalar(stmt) or 0)


async def top_spenders(
    db: AsyncSession, station_id: int, start: date, end: date, limit: int = 10
) -> list[tuple[int, str, int, int]]:
    """(customer id, name, cents spent, bookings) over the range's revenue bookings."""
    spent = func.sum(Booking.total_cents)
    stmt = (
        scoped(
            select(Booking.customer_id, Customer.name, spent, func.count(Booking.id)),
            Booking,
            station_id,
        )
        .join(Customer, Customer.id == Booking.customer_id)
        .where(_in_days(start, end), _is_revenue())
        .group_by(Booking.customer_id, Customer.name)
        .order_by(spent.desc(), Booking.customer_id)
        .limit(limit)
    )
    return [(cid, name, int(cents), int(n)) for cid, name, cents, n in await db.execute(stmt)]


async def tier_distribution(
    db: AsyncSession, station_id: int, tiers: Sequence[tuple[str, int]]
) -> dict[str, int]:
    """Customers per loyalty tier, the tier following each one's completed spend.

    ``tiers`` is (name, floor in cents), lowest first; a customer who has completed
    nothing is in the lowest tier."""
    spent = (
        scoped(
            select(
                Booking.customer_id.label("customer_id"),
                func.sum(Booking.total_cents).label("spent"),
            ),
            Booking,
            station_id,
        )
        .where(Booking.status == BookingStatus.COMPLETED.value)
        .group_by(Booking.customer_id)
        .subquery()
    )
    amount = func.coalesce(spent.c.spent, ZERO)
    (lowest, _), *higher = tiers
    tier = case(*[(amount >= floor, name) for name, floor in reversed(higher)], else_=lowest)
    tiered = (
        scoped(select(tier.label("tier")), Customer, station_id)
        .select_from(Customer)
        .outerjoin(spent, spent.c.customer_id == Customer.id)
        .subquery()
    )
    stmt = select(tiered.c.tier, func.count()).group_by(tiered.c.tier)
    return {name: int(n) for name, n in (await db.execute(stmt)).all()}


# -- leads and reviews -----------------------------------------------------------------


async def lead_conversion(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> tuple[int, int]:
    """(leads created in [start, end), how many of them are converted)."""
    converted = or_(Lead.converted_at.is_not(None), Lead.status == "converted")
    stmt = scoped(select(func.count(Lead.id), _sum_if(converted, ONE)), Lead, station_id).where(
        *in_period(Lead.created_at, start, end)
    )
    created, won = (await db.execute(stmt)).one()
    return int(created or 0), int(won or 0)


async def ratings(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> tuple[int, int]:
    """(reviews created in [start, end), the sum of their ratings)."""
    stmt = scoped(
        select(func.count(Review.id), func.coalesce(func.sum(Review.rating), ZERO)),
        Review,
        station_id,
    ).where(*in_period(Review.created_at, start, end))
    count, total = (await db.execute(stmt)).one()
    return int(count or 0), int(total or 0)


# -- booking stats ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusStats:
    count: int
    guests: int
    total_cents: int
    upcoming: int
    today: int
    this_month: int
    month_cents: int


async def booking_stats(
    db: AsyncSession, station_id: int, today: date, month_start: date, month_end: date
) -> dict[str, StatusStats]:
    """Per status over all time: counts, guests, totals, and the upcoming, today's and
    this month's share (conditional sums: one pass over the station's bookings)."""
    in_month = _in_days(month_start, month_end)
    stmt = scoped(
        select(
            Booking.status,
            func.count(Booking.id),
            func.coalesce(func.sum(Booking.guest_count), ZERO),
            func.coalesce(func.sum(Booking.total_cents), ZERO),
            _sum_if(Booking.event_date >= today, ONE),
            _sum_if(Booking.event_date == today, ONE),
            _sum_if(in_month, ONE),
            _sum_if(in_month, Booking.total_cents),
        ),
        Booking,
        station_id,
    ).group_by(Booking.status)
    rows = (await db.execute(stmt)).all()
    return {status: StatusStats(*(int(v) for v in values)) for status, *values in rows}
