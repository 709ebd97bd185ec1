"""Authenticators declared per endpoint (who may call)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from trident.apps.saas.auth import service
from trident.apps.saas.auth.service import Principal
from trident.apps.saas.runtime import saas_runtime
from trident.core.app import DbSession
from trident.core.errors import Forbidden, Unauthorized
from trident.core.security.tokens import request_access_claims

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)


async def authenticate(
    request: Request,
    db: DbSession,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    rt = saas_runtime(request)
    if api_key:
        return await service.principal_from_api_key(rt, db, api_key)
    if token:
        claims = request_access_claims(request.scope, rt.tokens.codec, token)
        return await service.principal_from_token(db, claims)
    raise Unauthorized("Not authenticated.", code="not_authenticated")


async def require_user(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
    if principal.api_key is not None:
        raise Forbidden("This endpoint needs a user's token, not an API key.", code="user_required")
    return principal


#: a user token or an API key
AnyPrincipal = Annotated[Principal, Depends(authenticate)]
#: a user token only
UserPrincipal = Annotated[Principal, Depends(require_user)]
