"""All SQL about users' credentials, sessions, API keys and station lookups."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import ApiKey, AuthSession, Station, User
from trident.core.clock import utcnow
from trident.core.ids import parse_id


async def user_by_email(db: AsyncSession, email: str) -> User | None:
    return await db.scalar(select(User).where(User.email == email.strip().lower()))


async def user_by_id(db: AsyncSession, user_id: int) -> User | None:
    return await db.get(User, user_id)


# Every authenticated request runs this; built once so its SQL is compiled once.
_USER_WITH_SESSION = (
    select(User, AuthSession, Station)
    .join(AuthSession, AuthSession.user_id == User.id)
    .outerjoin(Station, Station.id == User.station_id)
    .where(User.id == bindparam("user_id"), AuthSession.id == bindparam("session_id"))
)


async def user_with_session(
    db: AsyncSession, user_id: int, session_id: str
) -> tuple[User, AuthSession, Station | None] | None:
    """The user, their login session and their station, in one query."""
    row = (
        await db.execute(_USER_WITH_SESSION, {"user_id": user_id, "session_id": session_id})
    ).first()
    return (row[0], row[1], row[2]) if row else None


_API_KEY_IDENTITY = (
    select(ApiKey, Station)
    .join(Station, Station.id == ApiKey.station_id)
    .where(ApiKey.key_hash == bindparam("key_hash"))
)


async def api_key_identity(db: AsyncSession, key_hash: str) -> tuple[ApiKey, Station] | None:
    row = (await db.execute(_API_KEY_IDENTITY, {"key_hash": key_hash})).first()
    return (row[0], row[1]) if row else None


async def touch_api_key(db: AsyncSession, key_id: int) -> None:
    await db.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=utcnow()))


async def station_by_id(db: AsyncSession, station_id: int) -> Station | None:
    return await db.get(Station, station_id)


async def station_by_code(db: AsyncSession, code: str) -> Station | None:
    return await db.scalar(select(Station).where(Station.code == code.strip().lower()))


async def station_by_ref(db: AsyncSession, ref: str | int) -> Station | None:
    """A station by id (digits) or code."""
    text = str(ref).strip()
    if text.isdigit():
        station_id = parse_id(text)
        return await station_by_id(db, station_id) if station_id is not None else None
    return await station_by_code(db, text)
