"""Issuing, rotating and revoking token pairs over an app's auth tables."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.core.clock import utcnow
from trident.core.errors import Unauthorized
from trident.core.security.tokens import TokenCodec


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime
    session_id: str
    #: the access token's lifetime in seconds (OAuth 2's expires_in: 1800 for 30
    #: minutes, not what is left of it by the time the response is built)
    expires_in: int
    token_type: str = "bearer"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    session_id: str
    claims: dict[str, Any]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenService:
    """All SQL for the auth tables of one app (they are given as model classes)."""

    def __init__(
        self,
        codec: TokenCodec,
        session_model: type[Any],
        refresh_model: type[Any],
        *,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
    ) -> None:
        self.codec = codec
        self.session_model = session_model
        self.refresh_model = refresh_model
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl

    async def issue(
        self,
        db: AsyncSession,
        user_id: int,
        *,
        user_agent: str | None = None,
        ip_address: str | None = None,
        extra_claims: dict[str, Any] | None = None,
        session_fields: dict[str, Any] | None = None,
    ) -> TokenPair:
        """Start a new login session and return its first token pair.

        ``session_fields`` fills an app's own columns of its auth-session table (the
        station a hibachi session signed in to), which outlive every rotation."""
        auth_session = self.session_model(
            id=secrets.token_hex(16),
            user_id=user_id,
            user_agent=(user_agent or "")[:255] or None,
            ip_address=ip_address,
            **(session_fields or {}),
        )
        db.add(auth_session)
        await db.flush()
        return await self._pair(db, user_id, auth_session.id, extra_claims or {})

    async def _pair(
        self, db: AsyncSession, user_id: int, session_id: str, extra: dict[str, Any]
    ) -> TokenPair:
        access, access_exp = self.codec.encode(
            user_id, "access", self.access_ttl, sid=session_id, **extra
        )
        refresh, refresh_exp = self.codec.encode(
            user_id, "refresh", self.refresh_ttl, sid=session_id
        )
        db.add(
            self.refresh_model(
                session_id=session_id, token_hash=_digest(refresh), expires_at=refresh_exp
            )
        )
        await db.flush()
        lifetime = int(self.access_ttl.total_seconds())
        return TokenPair(access, refresh, access_exp, refresh_exp, session_id, lifetime)

    async def rotate(
        self, db: AsyncSession, refresh_token: str, extra_claims: dict[str, Any] | None = None
    ) -> TokenPair:
        """Exchange a refresh token for a new pair; a reused token revokes its session."""
        claims = self.codec.decode(refresh_token, "refresh")
        R, S = self.refresh_model, self.session_model
        row = (
            await db.execute(
                select(R, S)
                .join(S, S.id == R.session_id)
                .where(R.token_hash == _digest(refresh_token))
                .with_for_update(of=R)
            )
        ).first()
        if row is None:
            raise Unauthorized("The refresh token is not recognised.", code="invalid_token")
        token, auth_session = row
        if auth_session.revoked_at is not None:
            raise Unauthorized("This session has been signed out.", code="session_revoked")
        now = utcnow()
        if token.used_at is not None:
            await self.revoke_session(db, auth_session.id, "reuse_detected")
            raise Unauthorized(
                "This refresh token was already used; the session has been revoked.",
                code="refresh_token_reused",
                commit=True,
            )
        # Conditional update: of two concurrent rotations of one token, one wins.
        claimed = await db.execute(
            update(R).where(R.id == token.id, R.used_at.is_(None)).values(used_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            await self.revoke_session(db, auth_session.id, "reuse_detected")
            raise Unauthorized(
                "This refresh token was already used; the session has been revoked.",
                code="refresh_token_reused",
                commit=True,
            )
        auth_session.last_used_at = now
        return await self._pair(db, int(claims["sub"]), auth_session.id, extra_claims or {})

    async def revoke_session(self, db: AsyncSession, session_id: str, reason: str) -> None:
        S = self.session_model
        await db.execute(
            update(S)
            .where(S.id == session_id, S.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )

    async def revoke_by_refresh_token(self, db: AsyncSession, refresh_token: str) -> bool:
        """Logout: revoke the session a refresh token belongs to. False if unknown."""
        R = self.refresh_model
        session_id = await db.scalar(
            select(R.session_id).where(R.token_hash == _digest(refresh_token))
        )
        if session_id is None:
            return False
        await self.revoke_session(db, session_id, "logout")
        return True

    async def revoke_all_for_user(self, db: AsyncSession, user_id: int, reason: str) -> None:
        S = self.session_model
        await db.execute(
            update(S)
            .where(S.user_id == user_id, S.revoked_at.is_(None))
            .values(revoked_at=utcnow(), revoked_reason=reason)
        )

    @staticmethod
    def session_claims(claims: dict[str, Any]) -> AccessClaims:
        """The user and session an access token's verified claims name."""
        try:
            return AccessClaims(int(claims["sub"]), str(claims["sid"]), claims)
        except (KeyError, ValueError):
            raise Unauthorized("The token is invalid.", code="invalid_token")
