"""All SQL about API keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import ApiKey
from trident.core.clock import utcnow
from trident.core.db.tenancy import get_scoped, scoped

#: what a listed key shows: Core rows of these (the hash and the rest stay unread)
LIST_COLUMNS = (
    ApiKey.id,
    ApiKey.org_id,
    ApiKey.name,
    ApiKey.prefix,
    ApiKey.created_by_id,
    ApiKey.created_at,
    ApiKey.last_used_at,
    ApiKey.expires_at,
    ApiKey.revoked_at,
)


def keys_query(org_id: int) -> Select[Any]:
    """The org's keys, newest first, as rows of :data:`LIST_COLUMNS`."""
    return scoped(select(*LIST_COLUMNS), ApiKey, org_id).order_by(
        ApiKey.created_at.desc(), ApiKey.id.desc()
    )


async def get_key(db: AsyncSession, org_id: int, key_id: int) -> ApiKey:
    return await get_scoped(db, ApiKey, key_id, org_id, what="API key")


async def count_active(db: AsyncSession, org_id: int) -> int:
    now = utcnow()
    stmt = scoped(select(func.count(ApiKey.id)), ApiKey, org_id).where(
        ApiKey.revoked_at.is_(None), (ApiKey.expires_at.is_(None)) | (ApiKey.expires_at > now)
    )
    return int(await db.scalar(stmt) or 0)
