"""Registration, login, token rotation and resolving who is calling."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.auth import repository
from trident.apps.saas.auth.schemas import RegisterRequest
from trident.apps.saas.models import ApiKey, Membership, User
from trident.apps.saas.runtime import SaasRuntime
from trident.core.auth.tokens import TokenPair, TokenService
from trident.core.clock import utcnow
from trident.core.errors import Conflict, Unauthorized
from trident.core.jobs import queue_job
from trident.core.payments import PaymentError
from trident.core.security.apikeys import hash_token
from trident.core.security.passwords import (
    hash_password,
    needs_rehash,
    verify_password_unlocked,
)

log = logging.getLogger("trident.saas.auth")

#: how stale ``last_used_at`` may get before a request refreshes it (saves a write per call)
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a user with a token, or an API key acting for its creator."""

    user: User
    session_id: str | None = None
    api_key: ApiKey | None = None
    api_key_role: str | None = None

    @property
    def kind(self) -> str:
        return "api_key" if self.api_key else "user"


async def register(rt: SaasRuntime, db: AsyncSession, body: RegisterRequest) -> User:
    email = body.email.lower()
    if await repository.user_by_email(db, email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    user = User(
        email=email,
        hashed_password=await hash_password(body.password),
        full_name=body.full_name,
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:  # a concurrent registration of the same email won
        raise Conflict("An account with this email already exists.", code="email_taken")
    try:
        user.stripe_customer_id = await rt.payments.bind(db).create_customer(
            email=email,
            name=body.full_name,
            metadata={"user_id": str(user.id), "app": "saas"},
            idempotency_key=f"saas-user-{user.id}-customer",
        )
    except PaymentError as exc:
        # An account without a customer can still pay later (created lazily at checkout).
        log.warning("payment customer for user %s not created: %s", user.id, exc.message)
    for invitation in await repository.pending_invitations(db, email):
        db.add(Membership(org_id=invitation.org_id, user_id=user.id, role=invitation.role))
        invitation.accepted_at = utcnow()
    await db.flush()
    return user


async def login(
    rt: SaasRuntime, db: AsyncSession, email: str, password: str, *, user_agent: str | None, ip: str
) -> TokenPair:
    user = await repository.user_by_email(db, email.strip())
    valid = await verify_password_unlocked(db, user.hashed_password if user else None, password)
    if user is None or not valid:
        raise Unauthorized("Incorrect email or password.", code="invalid_credentials")
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    if needs_rehash(user.hashed_password):
        user.hashed_password = await hash_password(password)
    return await rt.tokens.issue(db, user.id, user_agent=user_agent, ip_address=ip)


async def refresh(rt: SaasRuntime, db: AsyncSession, refresh_token: str) -> TokenPair:
    return await rt.tokens.rotate(db, refresh_token)


async def logout(rt: SaasRuntime, db: AsyncSession, refresh_token: str) -> None:
    if not await rt.tokens.revoke_by_refresh_token(db, refresh_token):
        raise Unauthorized("The refresh token is not recognised.", code="invalid_token")


async def principal_from_token(db: AsyncSession, access_claims: dict[str, Any]) -> Principal:
    """The principal of a verified access token, if its session is still live."""
    claims = TokenService.session_claims(access_claims)
    found = await repository.user_with_session(db, claims.user_id, claims.session_id)
    if found is None:
        raise Unauthorized("The token is invalid.", code="invalid_token")
    user, revoked_at = found
    if revoked_at is not None:
        raise Unauthorized("This session has been signed out.", code="session_revoked")
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    return Principal(user=user, session_id=claims.session_id)


async def principal_from_api_key(rt: SaasRuntime, db: AsyncSession, raw_key: str) -> Principal:
    found = await repository.api_key_identity(db, hash_token(rt.api_key_secret, raw_key))
    if found is None:
        raise Unauthorized("The API key is invalid.", code="invalid_api_key")
    key, user, role = found
    now = utcnow()
    if key.revoked_at is not None:
        raise Unauthorized("The API key has been revoked.", code="api_key_revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("The API key has expired.", code="api_key_expired")
    if role is None or not user.is_active:
        # The key acts with its creator's permissions; a creator who left has none.
        raise Unauthorized(
            "The API key's creator is no longer a member of its organization.",
            code="api_key_orphaned",
        )
    if key.last_used_at is None or now - key.last_used_at > API_KEY_TOUCH_INTERVAL:
        queue_job(db, "saas.touch_api_key", key_id=key.id)
    return Principal(user=user, api_key=key, api_key_role=role)
