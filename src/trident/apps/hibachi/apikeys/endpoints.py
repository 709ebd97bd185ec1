from __future__ import annotations

from fastapi import APIRouter, Request, Response

from trident.apps.hibachi.apikeys import repository, service
from trident.apps.hibachi.apikeys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.ids import PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["api keys"])

KeyManager = station_caller("apikeys:manage")


@router.get("", response_model=ListResponse[ApiKeyOut], responses=errors(401, 403))
async def list_keys(caller: KeyManager, db: DbSession, page: PageQuery) -> Response:
    """The station's API keys (never their secrets)."""
    result = await fetch_page(db, repository.keys_query(caller.station_id), page)
    return list_response(ApiKeyOut, [service.key_out(k) for k in result.items], result)


@router.post("", response_model=ApiKeyCreated, status_code=201, responses=errors(401, 403, 422))
async def create_key(
    body: ApiKeyCreate, request: Request, caller: KeyManager, db: DbSession
) -> ApiKeyCreated:
    """Create a key for an integration; the secret is in this response only."""
    return await service.create_key(hibachi_runtime(request), db, caller, body)


@router.delete("/{key_id}", status_code=204, responses=errors(401, 403, 404))
async def revoke_key(key_id: PathId, caller: KeyManager, db: DbSession) -> Response:
    """Revoke a key at once; repeating it is 204."""
    await service.revoke_key(db, caller, key_id)
    return Response(status_code=204)
