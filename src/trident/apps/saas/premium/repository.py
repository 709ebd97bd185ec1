"""SQL aggregates for premium analytics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import AiUsageEvent, ApiKey, Invitation, Membership
from trident.core.clock import utcnow
from trident.core.db.tenancy import scoped


async def members_by_role(db: AsyncSession, org_id: int) -> dict[str, int]:
    rows = await db.execute(
        scoped(select(Membership.role, func.count(Membership.id)), Membership, org_id).group_by(
            Membership.role
        )
    )
    return {role: int(n) for role, n in rows.all()}


async def pending_invitations(db: AsyncSession, org_id: int) -> int:
    stmt = scoped(select(func.count(Invitation.id)), Invitation, org_id).where(
        Invitation.accepted_at.is_(None)
    )
    return int(await db.scalar(stmt) or 0)


async def api_key_counts(db: AsyncSession, org_id: int, since: datetime) -> tuple[int, int, int]:
    now = utcnow()
    active = (ApiKey.revoked_at.is_(None)) & (
        ApiKey.expires_at.is_(None) | (ApiKey.expires_at > now)
    )
    stmt = scoped(
        select(
            func.count(ApiKey.id).filter(active),
            func.count(ApiKey.id).filter(ApiKey.revoked_at.is_not(None)),
            func.count(ApiKey.id).filter(ApiKey.last_used_at >= since),
        ),
        ApiKey,
        org_id,
    )
    a, r, u = (await db.execute(stmt)).one()
    return int(a), int(r), int(u)


async def ai_requests_between(db: AsyncSession, org_id: int, start: datetime, end: datetime) -> int:
    stmt = scoped(select(func.count(AiUsageEvent.id)), AiUsageEvent, org_id).where(
        AiUsageEvent.created_at >= start,
        AiUsageEvent.created_at < end,
        AiUsageEvent.status != "failed",
    )
    return int(await db.scalar(stmt) or 0)
