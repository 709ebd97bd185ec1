from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.apps.hibachi.waitlist import repository, service
from trident.apps.hibachi.waitlist.schemas import (
    Status,
    WaitlistConvert,
    WaitlistConverted,
    WaitlistCreate,
    WaitlistOut,
)
from trident.core.app import DbSession
from trident.core.dates import Day
from trident.core.ids import IdFilter, PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["waitlist"])

Reader = station_caller("waitlist:read")
Writer = station_caller("waitlist:write")
#: converting books the entry, so it takes both
Converter = station_caller("waitlist:write", "bookings:write")


@router.get("", response_model=ListResponse[WaitlistOut], responses=errors(401, 403, 422))
async def list_waitlist(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: Status | None = None,
    date_from: Annotated[Day | None, Query(description="Preferred date from")] = None,
    date_to: Annotated[Day | None, Query(description="Preferred date to")] = None,
    customer_id: IdFilter = None,
) -> Response:
    """The station's waitlist in queue order (by preferred date, first come first)."""
    stmt = repository.list_query(
        caller.station_id,
        status=status,
        date_from=date_from,
        date_to=date_to,
        customer_id=customer_id,
    )
    result = await fetch_page(db, stmt, page)
    return list_response(WaitlistOut, [service.entry_out(r) for r in result.items], result)


@router.post(
    "", response_model=WaitlistOut, status_code=201, responses=errors(401, 403, 404, 409, 422)
)
async def add_to_waitlist(
    body: WaitlistCreate, request: Request, caller: Writer, db: DbSession
) -> WaitlistOut:
    """Put a customer (found or created) on the waitlist for a date."""
    return await service.add_entry(hibachi_runtime(request), db, caller, body)


@router.get("/{entry_id}", response_model=WaitlistOut, responses=errors(401, 403, 404, 422))
async def get_waitlist_entry(entry_id: PathId, caller: Reader, db: DbSession) -> WaitlistOut:
    """One waitlist entry with its customer and queue position."""
    return await service.get_entry(db, caller, entry_id)


@router.delete("/{entry_id}", status_code=204, responses=errors(401, 403, 404, 409, 422))
async def cancel_waitlist_entry(entry_id: PathId, caller: Writer, db: DbSession) -> Response:
    """Take an entry off the waitlist (it stays on record as cancelled); repeating is 204."""
    await service.cancel_entry(db, caller, entry_id)
    return Response(status_code=204)


@router.post(
    "/{entry_id}/convert",
    response_model=WaitlistConverted,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def convert_waitlist_entry(
    entry_id: PathId,
    request: Request,
    caller: Converter,
    db: DbSession,
    body: WaitlistConvert | None = None,
) -> WaitlistConverted:
    """Book the entry (409 slot_unavailable if the slot is taken) and mark it converted."""
    return await service.convert_entry(
        hibachi_runtime(request), db, caller, entry_id, body or WaitlistConvert()
    )
