"""All SQL about reviews: lists, look-ups and the analytics aggregates (each one
statement, computed by the database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Customer, Review
from trident.core.db.tenancy import in_tenant, scoped

#: the customer columns a staff view of a review shows (decrypted as they load)
CUSTOMER_COLUMNS = (Customer.name, Customer.email, Customer.phone)


# -- reviews -------------------------------------------------------------------------


def with_customer(stmt: Select[Any]) -> Select[Any]:
    return stmt.outerjoin(Customer, Customer.id == Review.customer_id).add_columns(
        *CUSTOMER_COLUMNS
    )


def list_query(
    station_id: int,
    *,
    statuses: list[str] | None,
    rating: int | None = None,
    min_rating: int | None = None,
    source: str | None = None,
    customer_id: int | None = None,
    staff: bool = False,
) -> Select[Any]:
    """Newest first; staff rows carry the customer's name and contact."""
    stmt = scoped(select(Review), Review, station_id)
    if statuses:
        stmt = stmt.where(Review.status.in_(statuses))
    if rating is not None:
        stmt = stmt.where(Review.rating == rating)
    if min_rating is not None:
        stmt = stmt.where(Review.rating >= min_rating)
    if source is not None:
        stmt = stmt.where(Review.source == source)
    if customer_id is not None:
        stmt = stmt.where(Review.customer_id == customer_id)
    if staff:
        stmt = with_customer(stmt)
    return stmt.order_by(Review.created_at.desc(), Review.id.desc())


def escalated_query(station_id: int, *, include_resolved: bool) -> Select[Any]:
    """Escalations, oldest first (the longest-waiting customer at the top)."""
    stmt = scoped(select(Review), Review, station_id).where(Review.escalated_at.is_not(None))
    if not include_resolved:
        stmt = stmt.where(Review.resolved_at.is_(None))
    return with_customer(stmt).order_by(Review.escalated_at.asc(), Review.id.asc())


async def review_row(db: AsyncSession, station_id: int, review_id: int) -> Any:
    """(review, customer name, email, phone) or None."""
    stmt = with_customer(scoped(select(Review), Review, station_id)).where(Review.id == review_id)
    return (await db.execute(stmt)).first()


async def review_for_booking(db: AsyncSession, booking_id: int) -> int | None:
    return await db.scalar(select(Review.id).where(Review.booking_id == booking_id))


async def external_review(
    db: AsyncSession, station_id: int, source: str, external_id: str
) -> Review | None:
    return await db.scalar(
        scoped(select(Review), Review, station_id).where(
            Review.source == source, Review.external_id == external_id
        )
    )


async def customer_contact(db: AsyncSession, station_id: int, customer_id: int) -> Any:
    """(name, email, phone) of a station's customer, or None."""
    columns: Select[Any] = select(*CUSTOMER_COLUMNS)  # type: ignore[assignment]
    stmt = scoped(columns, Customer, station_id).where(Customer.id == customer_id)
    return (await db.execute(stmt)).first()


async def delete_review(db: AsyncSession, review: Review) -> None:
    await db.delete(review)
    await db.flush()


# -- analytics --------------------------------------------------------------------------


def _window(station_id: int, start: datetime | None, end: datetime | None) -> list[Any]:
    conditions: list[Any] = [in_tenant(Review, station_id)]
    if start is not None:
        conditions.append(Review.created_at >= start)
    if end is not None:
        conditions.append(Review.created_at < end)
    return conditions


def _hours_between(dialect: str, start: Any, end: Any) -> Any:
    if dialect == "postgresql":
        return extract("epoch", end - start) / 3600.0
    # SQLite keeps datetimes as text; julianday() reads it as days
    return (func.julianday(end) - func.julianday(start)) * 24.0


async def totals(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> Any:
    """count, average, published, hidden, responded, escalated, open, resolved,
    average resolution hours: one row."""
    dialect = db.get_bind().dialect.name
    escalated = Review.escalated_at.is_not(None)
    resolved = and_(escalated, Review.resolved_at.is_not(None))
    stmt = select(
        func.count(Review.id),
        func.avg(Review.rating),
        func.coalesce(func.sum(case((Review.status == "published", 1), else_=0)), 0),
        func.coalesce(func.sum(case((Review.status == "hidden", 1), else_=0)), 0),
        func.coalesce(func.sum(case((Review.response.is_not(None), 1), else_=0)), 0),
        func.coalesce(func.sum(case((escalated, 1), else_=0)), 0),
        func.coalesce(
            func.sum(case((and_(escalated, Review.resolved_at.is_(None)), 1), else_=0)), 0
        ),
        func.coalesce(func.sum(case((resolved, 1), else_=0)), 0),
        func.avg(
            case(
                (resolved, _hours_between(dialect, Review.escalated_at, Review.resolved_at)),
                else_=None,
            )
        ),
    ).where(*_window(station_id, start, end))
    return (await db.execute(stmt)).one()


async def rating_counts(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> list[tuple[int, int]]:
    rows = await db.execute(
        select(Review.rating, func.count(Review.id))
        .where(*_window(station_id, start, end))
        .group_by(Review.rating)
    )
    return [(rating, count) for rating, count in rows.all()]


async def source_stats(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> list[tuple[str, int, Any]]:
    rows = await db.execute(
        select(Review.source, func.count(Review.id), func.avg(Review.rating))
        .where(*_window(station_id, start, end))
        .group_by(Review.source)
        .order_by(Review.source)
    )
    return [(source, count, avg) for source, count, avg in rows.all()]


async def monthly(
    db: AsyncSession, station_id: int, start: datetime | None, end: datetime | None
) -> list[tuple[int, int, int, Any]]:
    year = extract("year", Review.created_at)
    month = extract("month", Review.created_at)
    rows = await db.execute(
        select(year, month, func.count(Review.id), func.avg(Review.rating))
        .where(*_window(station_id, start, end))
        .group_by(year, month)
        .order_by(year, month)
    )
    return [(int(y), int(m), count, avg) for y, m, count, avg in rows.all()]
