"""One-time tokens sent by email: password resets and address verification.

The raw token goes to the user (in a link and as plain text); only its SHA-256 is
stored, so a leaked database does not reset anyone's password.  A token works once
(a conditional update claims it, so two concurrent uses cannot both win) and only
until it expires.  Issuing a new token of a purpose retires the user's older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime


class OneTimeTokenMixin:
    """Columns of a one-time token table. Set ``__user_fk__`` to the users column."""

    __user_fk__: str = "users.id"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey(cls.__user_fk__, ondelete="CASCADE"), nullable=False
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (Index(f"ix_{name}_user_id_purpose", "user_id", "purpose"),)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_one_time_token(
    db: AsyncSession, model: type[Any], user_id: int, purpose: str, ttl: timedelta
) -> str:
    """A new raw token for ``user_id``; the user's unused tokens of ``purpose`` stop working."""
    now = utcnow()
    await db.execute(
        update(model)
        .where(model.user_id == user_id, model.purpose == purpose, model.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.add(
        model(
            user_id=user_id,
            purpose=purpose,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await db.flush()
    return token


async def consume_one_time_token(
    db: AsyncSession, model: type[Any], token: str, purpose: str
) -> int | None:
    """The user id of a live token of ``purpose``, now used up; None if it is unknown,
    used or expired."""
    now = utcnow()
    claimed = await db.execute(
        update(model)
        .where(
            model.token_hash == token_digest(token),
            model.purpose == purpose,
            model.used_at.is_(None),
            model.expires_at > now,
        )
        .values(used_at=now)
        .returning(model.user_id)
    )
    user_id = claimed.scalar_one_or_none()
    return int(user_id) if user_id is not None else None
