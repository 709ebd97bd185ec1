"""JWT access and refresh tokens (PyJWT), one algorithm, no ``none``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from starlette.types import Scope

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


#: where a request keeps its decoded bearer token: (token, claims or the refusal)
_CLAIMS_STATE_KEY = "access_claims"


def request_access_claims(scope: Scope, codec: TokenCodec, token: str) -> dict[str, Any]:
    """The verified claims of a request's access token, decoded once per request.

    The rate limiter reads them before routing and the endpoint's authenticator
    again after; both call this, so the signature is checked once and a refused
    token is refused the same way twice.
    """
    state = scope.setdefault("state", {})
    cached = state.get(_CLAIMS_STATE_KEY)
    if cached is None or cached[0] != token:
        try:
            cached = (token, codec.decode(token, "access"))
        except Unauthorized as refusal:
            cached = (token, refusal)
        state[_CLAIMS_STATE_KEY] = cached
    outcome = cached[1]
    if isinstance(outcome, Unauthorized):
        raise outcome
    return outcome
