"""API keys: created per org, secret shown once, stored as an HMAC."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.apikeys import repository
from trident.apps.saas.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from trident.apps.saas.billing import repository as billing_repository
from trident.apps.saas.billing.plans import effective_plan
from trident.apps.saas.models import ApiKey
from trident.apps.saas.orgs.auth import OrgContext
from trident.core.clock import utcnow
from trident.core.errors import Forbidden
from trident.core.security.apikeys import display_prefix, generate_api_key, hash_token


def key_fields(key: Any, now: datetime) -> dict[str, Any]:
    """A key as the API shows it (never its secret), as plain values: ``key`` is the
    ORM row or a Core row of the list's columns.  :class:`ApiKeyOut` documents it."""
    active = key.revoked_at is None and (key.expires_at is None or key.expires_at > now)
    return {
        "id": key.id,
        "org_id": key.org_id,
        "name": key.name,
        "prefix": key.prefix,
        "created_by_id": key.created_by_id,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "expires_at": key.expires_at,
        "revoked_at": key.revoked_at,
        "is_active": active,
    }


def key_out(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut.model_validate(key_fields(key, utcnow()))


async def create_key(
    db: AsyncSession, ctx: OrgContext, body: ApiKeyCreate, *, prefix: str, secret: str
) -> ApiKeyCreated:
    sub = await billing_repository.subscription_for_org(db, ctx.org.id)
    plan = effective_plan(sub.plan, sub.status)
    if await repository.count_active(db, ctx.org.id) >= plan.limits.max_api_keys:
        raise Forbidden(
            f"The {plan.name} plan allows {plan.limits.max_api_keys} active API keys; revoke one "
            "or upgrade.",
            code="plan_limit_reached",
            details={"limit": plan.limits.max_api_keys, "plan": plan.type.value},
        )
    token = generate_api_key(prefix)
    key = ApiKey(
        org_id=ctx.org.id,
        created_by_id=ctx.user_id,
        name=body.name,
        prefix=display_prefix(token),
        key_hash=hash_token(secret, token),
        expires_at=utcnow() + timedelta(days=body.expires_in_days)
        if body.expires_in_days
        else None,
    )
    db.add(key)
    await db.flush()
    return ApiKeyCreated(**key_out(key).model_dump(), key=token)


async def revoke_key(db: AsyncSession, ctx: OrgContext, key_id: int) -> None:
    key = await repository.get_key(db, ctx.org.id, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await db.flush()


async def delete_key(db: AsyncSession, ctx: OrgContext, key_id: int) -> None:
    key = await repository.get_key(db, ctx.org.id, key_id)
    await db.delete(key)
    await db.flush()
