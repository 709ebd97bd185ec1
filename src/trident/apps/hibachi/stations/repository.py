"""All SQL about stations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Booking, Station, StationStatus, User
from trident.core.db.functions import contains, starts_with


async def active_station_zones(db: AsyncSession) -> list[tuple[int, str]]:
    """Each active station's id and time zone, for jobs that run station by station."""
    rows = await db.execute(
        select(Station.id, Station.timezone)
        .where(Station.status == StationStatus.ACTIVE)
        .order_by(Station.id)
    )
    return [(station_id, zone) for station_id, zone in rows.all()]


async def codes_like(db: AsyncSession, base: str) -> set[str]:
    return set(await db.scalars(select(Station.code).where(starts_with(Station.code, base))))


async def code_taken(db: AsyncSession, code: str) -> bool:
    return await db.scalar(select(Station.id).where(Station.code == code)) is not None


def _counted() -> Select[Any]:
    users = (
        select(func.count(User.id))
        .where(User.station_id == Station.id)
        .correlate(Station)
        .scalar_subquery()
    )
    bookings = (
        select(func.count(Booking.id))
        .where(Booking.station_id == Station.id)
        .correlate(Station)
        .scalar_subquery()
    )
    return select(Station, users.label("user_count"), bookings.label("booking_count"))


def stations_query(status: str | None, search: str | None) -> Select[Any]:
    stmt = _counted()
    if status is not None:
        stmt = stmt.where(Station.status == status)
    else:
        stmt = stmt.where(Station.status != StationStatus.DELETED)
    if search:
        stmt = stmt.where(contains(Station.name, search) | contains(Station.code, search))
    return stmt.order_by(Station.id)


async def station_with_counts(db: AsyncSession, station_id: int) -> Any:
    return (await db.execute(_counted().where(Station.id == station_id))).first()
