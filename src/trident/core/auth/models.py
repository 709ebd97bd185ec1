"""Mixins for the auth tables every app declares on its own base.

An *auth session* is one login on one device; its refresh tokens form a family.
Rotating a refresh token marks the old one used; presenting a used one again is
a theft signal and revokes the session, which also kills its access tokens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime


class AuthSessionMixin:
    """Columns of ``auth_sessions``. Set ``__user_fk__`` to the users table column."""

    __user_fk__: str = "users.id"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        return mapped_column(
            Integer, ForeignKey(cls.__user_fk__, ondelete="CASCADE"), index=True, nullable=False
        )


class RefreshTokenMixin:
    """Columns of ``refresh_tokens``. Set ``__session_fk__`` to the auth sessions column."""

    __session_fk__: str = "auth_sessions.id"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    @declared_attr
    def session_id(cls) -> Mapped[str]:
        return mapped_column(
            String(32),
            ForeignKey(cls.__session_fk__, ondelete="CASCADE"),
            nullable=False,
        )

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        return (Index(f"ix_{cls.__tablename__}_session_id", "session_id"),)  # type: ignore[attr-defined]
