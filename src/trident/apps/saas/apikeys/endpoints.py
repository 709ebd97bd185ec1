from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from trident.apps.saas.apikeys import repository, service
from trident.apps.saas.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from trident.apps.saas.envelope import errors
from trident.apps.saas.orgs.auth import header_org
from trident.apps.saas.runtime import saas_runtime
from trident.core.app import DbSession
from trident.core.clock import utcnow
from trident.core.ids import PathId
from trident.core.jsonbody import dumps, json_response
from trident.core.pagination import PageParams, fetch_page, page_params

router = APIRouter(prefix="/api/v1/apikeys", tags=["api keys"])

KeyReader = header_org("apikeys:read")
KeyManager = header_org("apikeys:manage")


@router.post(
    "", response_model=ApiKeyCreated, status_code=201, responses=errors(401, 403, 404, 422)
)
async def create_key(
    body: ApiKeyCreate, ctx: KeyManager, request: Request, db: DbSession
) -> ApiKeyCreated:
    """Create a key for the current org. The secret is in this response only."""
    rt = saas_runtime(request)
    return await service.create_key(
        db, ctx, body, prefix=rt.settings.api_key_prefix, secret=rt.api_key_secret
    )


@router.get("", response_model=list[ApiKeyOut], responses=errors(401, 403, 404, 422))
async def list_keys(
    ctx: KeyReader,
    db: DbSession,
    page: Annotated[PageParams, Depends(page_params)],
) -> Response:
    """The org's keys, newest first, without their secrets."""
    result = await fetch_page(db, repository.keys_query(ctx.org.id), page)
    now = utcnow()
    # a hot read: plain values encoded once (the tests validate them against ApiKeyOut)
    response = json_response(dumps([service.key_fields(k, now) for k in result.items]))
    response.headers["X-Total-Count"] = str(result.total)
    return response


@router.delete("/{key_id}", status_code=204, responses=errors(401, 403, 404, 422))
async def revoke_key(key_id: PathId, ctx: KeyManager, db: DbSession) -> Response:
    """Revoke a key: it stops working at once and stays listed as revoked."""
    await service.revoke_key(db, ctx, key_id)
    return Response(status_code=204)


@router.delete("/{key_id}/permanent", status_code=204, responses=errors(401, 403, 404, 422))
async def delete_key(key_id: PathId, ctx: KeyManager, db: DbSession) -> Response:
    """Delete a key and its record for good."""
    await service.delete_key(db, ctx, key_id)
    return Response(status_code=204)
