"""All SQL about a station's API keys."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import ApiKey
from trident.core.db.tenancy import get_scoped, scoped


def keys_query(station_id: int) -> Select[tuple[ApiKey]]:
    return scoped(select(ApiKey), ApiKey, station_id).order_by(
        ApiKey.created_at.desc(), ApiKey.id.desc()
    )


async def key(db: AsyncSession, station_id: int, key_id: int) -> ApiKey:
    return await get_scoped(db, ApiKey, key_id, station_id, what="API key")
