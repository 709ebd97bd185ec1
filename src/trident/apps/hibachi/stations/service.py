"""Stations: the tenants.  Creating one installs its pricing and menus."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Station, StationStatus
from trident.apps.hibachi.pricing.service import install_defaults
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.apps.hibachi.stations import repository
from trident.apps.hibachi.stations.schemas import StationCreate, StationOut, StationUpdate
from trident.core.errors import Conflict, NotFound
from trident.core.text import free_slug, slugify


def station_out(row: Any) -> StationOut:
    station, user_count, booking_count = row
    return StationOut(
        id=station.id,
        code=station.code,
        name=station.name,
        status=station.status,
        timezone=station.timezone,
        email=station.email,
        phone=station.phone,
        address=station.address,
        city=station.city,
        state=station.state,
        zip_code=station.zip_code,
        user_count=user_count,
        booking_count=booking_count,
        created_at=station.created_at,
        updated_at=station.updated_at,
    )


async def create_station(
    rt: HibachiRuntime,
    db: AsyncSession,
    *,
    name: str,
    code: str | None = None,
    status: str = StationStatus.ACTIVE,
    timezone: str | None = None,
    **details: Any,
) -> Station:
    if code is not None:
        if await repository.code_taken(db, code):
            raise Conflict(f"The station code {code!r} is taken.", code="station_code_taken")
    else:
        base = slugify(name, fallback="station")
        code = free_slug(base, await repository.codes_like(db, base))
    station = Station(
        name=name,
        code=code,
        status=status,
        timezone=timezone or rt.settings.business_timezone,
        **details,
    )
    db.add(station)
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict(f"The station code {code!r} is taken.", code="station_code_taken")
    await install_defaults(db, station.id)
    return station


async def get_station(db: AsyncSession, station_id: int) -> StationOut:
    row = await repository.station_with_counts(db, station_id)
    if row is None or row[0].status == StationStatus.DELETED:
        raise NotFound(f"Station {station_id} was not found.", code="station_not_found")
    return station_out(row)


async def create(rt: HibachiRuntime, db: AsyncSession, body: StationCreate) -> StationOut:
    station = await create_station(rt, db, **body.model_dump())
    return await get_station(db, station.id)


async def _live(db: AsyncSession, station_id: int) -> Station:
    station = await db.get(Station, station_id)
    if station is None or station.status == StationStatus.DELETED:
        raise NotFound(f"Station {station_id} was not found.", code="station_not_found")
    return station


async def update(db: AsyncSession, station_id: int, body: StationUpdate) -> StationOut:
    station = await _live(db, station_id)
    for name, value in body.model_dump(exclude_unset=True).items():
        if value is None and name in ("name", "status", "timezone"):
            continue  # required fields cannot be cleared; null leaves them as they are
        setattr(station, name, value)
    await db.flush()
    return await get_station(db, station_id)


async def delete(rt: HibachiRuntime, db: AsyncSession, station_id: int) -> None:
    """Soft delete: the station closes; its bookings and payments stay on record."""
    station = await _live(db, station_id)
    if station.code == rt.settings.default_station:
        raise Conflict(
            "The default station takes public requests and cannot be deleted.",
            code="default_station",
        )
    station.status = StationStatus.DELETED
    await db.flush()
