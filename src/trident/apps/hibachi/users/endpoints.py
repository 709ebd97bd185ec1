from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.auth.schemas import UserOut
from trident.apps.hibachi.auth.service import user_out
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.users import repository, service
from trident.apps.hibachi.users.schemas import UserCreate, UserUpdate
from trident.core.app import DbSession
from trident.core.ids import PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["users"])

Reader = station_caller("users:read")
Manager = station_caller("users:manage")


@router.get("", response_model=ListResponse[UserOut], responses=errors(401, 403, 422))
async def list_users(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    role: Annotated[str | None, Query(max_length=20)] = None,
    active: bool | None = None,
    search: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The station's users, filtered by role and active status."""
    stmt = repository.users_query(
        caller.station_id, role=role.lower() if role else None, active=active, search=search
    )
    result = await fetch_page(db, stmt, page)
    return list_response(UserOut, [user_out(u, s) for u, s in result.items], result)


@router.post("", response_model=UserOut, status_code=201, responses=errors(401, 403, 404, 409, 422))
async def create_user(body: UserCreate, caller: Manager, db: DbSession) -> UserOut:
    """Create a staff account in the station (up to the caller's own role)."""
    return await service.create_user(db, caller, body)


@router.get("/{user_id}", response_model=UserOut, responses=errors(401, 403, 404, 422))
async def get_user(user_id: PathId, caller: Reader, db: DbSession) -> UserOut:
    """One user of the station."""
    return await service.get_user(db, caller, user_id)


@router.put("/{user_id}", response_model=UserOut, responses=errors(401, 403, 404, 409, 422))
async def update_user(user_id: PathId, body: UserUpdate, caller: Manager, db: DbSession) -> UserOut:
    """Change a user's role, name, phone, password or active status."""
    return await service.update_user(db, caller, user_id, body)


@router.delete("/{user_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def delete_user(user_id: PathId, caller: Manager, db: DbSession) -> Response:
    """Delete a user (their bookings and records stay)."""
    await service.delete_user(db, caller, user_id)
    return Response(status_code=204)
