"""All SQL about users, their credentials and their API keys' identities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import ApiKey, AuthSession, Invitation, Membership, Org, User
from trident.core.clock import utcnow


async def user_by_email(db: AsyncSession, email: str) -> User | None:
    return await db.scalar(select(User).where(User.email == email.lower()))


# Every authenticated request runs this: built once, its SQL is compiled once and its
# cache key memoized, instead of rebuilding the expression per request (bench-profile).
_USER_WITH_SESSION = (
    select(User, AuthSession.revoked_at)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(User.id == bindparam("user_id"), AuthSession.id == bindparam("session_id"))
)


async def user_with_session(
    db: AsyncSession, user_id: int, session_id: str
) -> tuple[User, datetime | None] | None:
    """The user and their login session's revocation time, in one query."""
    params = {"user_id": user_id, "session_id": session_id}
    row = (await db.execute(_USER_WITH_SESSION, params)).first()
    return (row[0], row[1]) if row else None


async def api_key_identity(
    db: AsyncSession, key_hash: str
) -> tuple[ApiKey, User, str | None] | None:
    """The key, its creator and the creator's current role in the key's org."""
    row = (
        await db.execute(
            select(ApiKey, User, Membership.role)
            .join(User, User.id == ApiKey.created_by_id)
            .outerjoin(
                Membership,
                (Membership.org_id == ApiKey.org_id) & (Membership.user_id == User.id),
            )
            .where(ApiKey.key_hash == key_hash)
        )
    ).first()
    return (row[0], row[1], row[2]) if row else None


async def touch_api_key(db: AsyncSession, key_id: int) -> None:
    await db.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))


#: built once: a user's organizations and role in each, as Core rows
_USER_ORGS = (
    select(Org.id, Org.name, Org.slug, Membership.role)
    .join(Membership, Membership.org_id == Org.id)
    .where(Membership.user_id == bindparam("user_id"))
    .order_by(Org.id)
)


async def user_orgs(db: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    """``{id, name, slug, role}`` of each organization the user belongs to."""
    rows = await db.execute(_USER_ORGS, {"user_id": user_id})
    return [dict(row._mapping) for row in rows]


async def pending_invitations(db: AsyncSession, email: str) -> list[Invitation]:
    rows = await db.scalars(
        select(Invitation).where(
            Invitation.email == email.lower(), Invitation.accepted_at.is_(None)
        )
    )
    return list(rows)
