from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from trident.apps.hibachi.auth.auth import SuperAdmin
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.apps.hibachi.stations import repository, service
from trident.apps.hibachi.stations.schemas import StationCreate, StationOut, StationUpdate
from trident.core.app import DbSession
from trident.core.ids import PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["stations"])


@router.get("", response_model=ListResponse[StationOut], responses=errors(401, 403))
async def list_stations(
    _admin: SuperAdmin,
    db: DbSession,
    page: PageQuery,
    status: Annotated[Literal["active", "pending", "suspended", "deleted"] | None, Query()] = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Every station, with its user and booking counts (super admin)."""
    result = await fetch_page(db, repository.stations_query(status, search), page)
    return list_response(StationOut, [service.station_out(r) for r in result.items], result)


@router.post("", response_model=StationOut, status_code=201, responses=errors(401, 403, 409, 422))
async def create_station(
    body: StationCreate, request: Request, _admin: SuperAdmin, db: DbSession
) -> StationOut:
    """Open a station, with the default pricing, menus and slots (super admin)."""
    return await service.create(hibachi_runtime(request), db, body)


@router.get("/{station_id}", response_model=StationOut, responses=errors(401, 403, 404))
async def get_station(station_id: PathId, _admin: SuperAdmin, db: DbSession) -> StationOut:
    """One station (super admin)."""
    return await service.get_station(db, station_id)


@router.put("/{station_id}", response_model=StationOut, responses=errors(401, 403, 404, 422))
async def update_station(
    station_id: PathId, body: StationUpdate, _admin: SuperAdmin, db: DbSession
) -> StationOut:
    """Change a station; ``status: active`` approves a registered one (super admin)."""
    return await service.update(db, station_id, body)


@router.delete("/{station_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def delete_station(
    station_id: PathId, request: Request, _admin: SuperAdmin, db: DbSession
) -> Response:
    """Close a station (soft delete: its records stay) (super admin)."""
    await service.delete(hibachi_runtime(request), db, station_id)
    return Response(status_code=204)
