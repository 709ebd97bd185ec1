"""JWT access and refresh tokens (PyJWT), one algorithm, no ``none``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from trident.core.clock import utcnow
from trident.core.errors import Unauthorized
from trident.core.ids import parse_id


@dataclass(frozen=True, slots=True)
class TokenCodec:
    secret: str
    algorithm: str = "HS256"
    issuer: str = "trident"

    def encode(
        self, subject: str | int, token_type: str, ttl: timedelta, **claims: Any
    ) -> tuple[str, datetime]:
        now = utcnow()
        expires = now + ttl
        payload = {
            "sub": str(subject),
            "typ": token_type,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "iss": self.issuer,
            "jti": secrets.token_urlsafe(12),
            **claims,
        }
        return jwt.encode(payload, self.secret, algorithm=self.algorithm), expires

    def decode(self, token: str, token_type: str) -> dict[str, Any]:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[self.algorithm],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "typ"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("The token has expired.", code="token_expired")
        except jwt.PyJWTError:
            raise Unauthorized("The token is invalid.", code="invalid_token")
        if claims.get("typ") != token_type:
            raise Unauthorized("The token is not valid for this use.", code="invalid_token")
        # the subject is a user id: a signed token naming no possible row is as
        # invalid as a forged one (and must not reach the database to overflow)
        if parse_id(claims["sub"]) is None:
            raise Unauthorized("The token is invalid.", code="invalid_token")
        return claims

    def peek_subject(self, token: str) -> str | None:
        """The verified subject of an access token, or None; used by rate limiting."""
        try:
            return str(self.decode(token, "access")["sub"])
        except Unauthorized:
            return None
