"""API keys for integrations: prefixed secrets stored as an HMAC, each limited to
permissions its creator holds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.apikeys import repository
from trident.apps.hibachi.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from trident.apps.hibachi.auth.permissions import ALL_PERMISSIONS
from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.models import ApiKey
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.errors import Forbidden, Unprocessable
from trident.core.security.apikeys import display_prefix, generate_api_key, hash_token


def key_out(key: ApiKey) -> ApiKeyOut:
    now = utcnow()
    return ApiKeyOut(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        permissions=key.permissions,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        is_active=key.revoked_at is None and (key.expires_at is None or key.expires_at > now),
    )


async def create_key(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: ApiKeyCreate
) -> ApiKeyCreated:
    wanted = sorted(set(body.permissions))
    unknown = [p for p in wanted if p not in ALL_PERMISSIONS]
    if unknown:
        raise Unprocessable(
            f"Unknown permissions: {', '.join(unknown)}.",
            details={"permissions": f"choose from {ALL_PERMISSIONS}"},
        )
    beyond = [p for p in wanted if not caller.can(p)]
    if beyond:
        raise Forbidden(
            f"A key cannot do more than you: {', '.join(beyond)}.",
            code="permission_above_yours",
            details={"permissions": beyond},
        )
    token = generate_api_key(rt.settings.api_key_prefix)
    key = ApiKey(
        station_id=caller.station_id,
        created_by_id=caller.user_id,
        name=body.name,
        prefix=display_prefix(token),
        key_hash=hash_token(rt.api_key_secret, token),
        permissions=wanted,
        expires_at=utcnow() + timedelta(days=body.expires_in_days)
        if body.expires_in_days
        else None,
    )
    db.add(key)
    await db.flush()
    return ApiKeyCreated(**key_out(key).model_dump(), key=token)


async def revoke_key(db: AsyncSession, caller: Caller, key_id: int) -> None:
    key = await repository.key(db, caller.station_id, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await db.flush()
