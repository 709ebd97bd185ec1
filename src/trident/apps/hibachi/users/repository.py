"""All SQL about a station's users."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Role, Station, User
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant


def users_query(
    station_id: int, *, role: str | None, active: bool | None, search: str | None
) -> Select[Any]:
    # super admins belong to the platform, but one whose home is this station is listed
    stmt = (
        select(User, Station)
        .outerjoin(Station, Station.id == User.station_id)
        .where(in_tenant(User, station_id))
    )
    if role is not None:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if search:
        stmt = stmt.where(or_(contains(User.email, search), contains(User.full_name, search)))
    return stmt.order_by(User.id)


async def user_in_station(
    db: AsyncSession, station_id: int, user_id: int
) -> tuple[User, Station] | None:
    row = (
        await db.execute(
            select(User, Station)
            .join(Station, Station.id == User.station_id)
            .where(User.id == user_id, in_tenant(User, station_id))
        )
    ).first()
    return (row[0], row[1]) if row else None


async def other_super_admins(db: AsyncSession, user_id: int) -> int:
    rows = await db.scalars(
        select(User.id).where(
            User.role == Role.SUPER_ADMIN, User.is_active.is_(True), User.id != user_id
        )
    )
    return len(list(rows))
