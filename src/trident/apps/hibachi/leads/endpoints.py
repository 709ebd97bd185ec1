from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from trident.apps.hibachi.auth.auth import OPTIONAL_AUTH, PublicStation, station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.leads import repository, service
from trident.apps.hibachi.leads.schemas import (
    SOURCE_PATTERN,
    STATUSES,
    ConvertOut,
    ConvertRequest,
    LeadCreate,
    LeadDetail,
    LeadEventIn,
    LeadEventSaved,
    LeadOut,
    LeadUpdate,
    NurtureSequenceOut,
    Platform,
    PublicLeadOut,
    PublicLeadRequest,
    SocialThreadCreate,
    SocialThreadOut,
)
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.choices import choice_list, split_choices
from trident.core.dates import Day, date_range
from trident.core.errors import Unprocessable
from trident.core.ids import PathId, parse_id
from trident.core.pagination import fetch_page

router = APIRouter(tags=["leads"])
public_router = APIRouter(tags=["public"])

Reader = station_caller("leads:read")
Writer = station_caller("leads:write")
Deleter = station_caller("leads:delete")


StatusFilter = choice_list(STATUSES, description="Lead status")


def _sources(raw: str | None) -> list[str] | None:
    """Sources are open-ended (``web``, ``ig:campaign``): checked by shape, not by name."""
    names = split_choices(raw.lower() if raw else None)
    if names and any(not re.match(SOURCE_PATTERN, name) for name in names):
        raise Unprocessable("Invalid source.", details={"source": "letters, digits, _ : -"})
    return names


@router.get("", response_model=ListResponse[LeadOut], responses=errors(401, 403, 422))
async def list_leads(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: StatusFilter = None,
    source: Annotated[
        str | None, Query(max_length=200, description="One source or several, comma-separated")
    ] = None,
    date_from: Annotated[Day | None, Query(description="Created on or after (station day)")] = None,
    date_to: Annotated[Day | None, Query(description="Created on or before (station day)")] = None,
    assigned_to: Annotated[
        str | None,
        Query(
            pattern=r"^(\d{1,10}|me|none|unassigned)$",
            description="A user id, `me`, or `unassigned`",
        ),
    ] = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Part of the name, email or phone")
    ] = None,
    sort: Literal["created_at", "score", "event_date", "name"] = "created_at",
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    """The station's leads, filtered, sorted, paged."""
    created_from, created_before = date_range(
        date_from, date_to, timezone=caller.station.timezone
    ).bounds()
    assignee: int | None = None
    if assigned_to == "me":
        if caller.user_id is None:
            raise Unprocessable(
                "An API key has no user to match `me`.", details={"assigned_to": "use a user id"}
            )
        assignee = caller.user_id
    elif assigned_to is not None and assigned_to.isdigit():
        assignee = parse_id(assigned_to)
        if assignee is None:
            raise Unprocessable("No such user.", details={"assigned_to": "not a user id"})
    stmt = repository.list_query(
        caller.station_id,
        statuses=split_choices(status),
        sources=_sources(source),
        created_from=created_from,
        created_before=created_before,
        assigned_to=assignee,
        unassigned=assigned_to in ("none", "unassigned"),
        min_score=min_score,
        search=search.strip() if search and search.strip() else None,
        sort=sort,
        descending=order == "desc",
    )
    result = await fetch_page(db, stmt, page)
    return list_response(
        LeadOut, [service.lead_out(lead, name) for lead, name in result.items], result
    )


@router.post("", response_model=LeadOut, status_code=201, responses=errors(401, 403, 422))
async def create_lead(body: LeadCreate, request: Request, caller: Writer, db: DbSession) -> LeadOut:
    """Record a lead by hand (a call, a walk-in, a social message), scored."""
    return await service.create_lead(hibachi_runtime(request), db, caller, body)


# the social-thread paths come before /{lead_id}, which would otherwise take them


@router.get(
    "/social-threads",
    response_model=ListResponse[SocialThreadOut],
    responses=errors(401, 403, 422),
)
async def list_social_threads(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    platform: Platform | None = None,
    status: Literal["open", "closed"] | None = None,
) -> Response:
    """The station's social conversations, latest message first."""
    stmt = repository.threads_query(caller.station_id, platform=platform, status=status)
    result = await fetch_page(db, stmt, page)
    return list_response(SocialThreadOut, [service.thread_out(t) for t in result.items], result)


@router.post(
    "/social-threads",
    response_model=SocialThreadOut,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def create_social_thread(
    body: SocialThreadCreate, caller: Writer, db: DbSession
) -> SocialThreadOut:
    """Record a conversation on a social platform (409 if already recorded)."""
    return await service.create_thread(db, caller, body)


@router.get("/{lead_id}", response_model=LeadDetail, responses=errors(401, 403, 404, 422))
async def get_lead(lead_id: PathId, caller: Reader, db: DbSession) -> LeadDetail:
    """One lead with its score breakdown and most recent events."""
    return await service.get_lead(db, caller, lead_id)


@router.put("/{lead_id}", response_model=LeadOut, responses=errors(401, 403, 404, 409, 422))
async def update_lead(lead_id: PathId, body: LeadUpdate, caller: Writer, db: DbSession) -> LeadOut:
    """Change a lead (only the fields sent); a status change is recorded, the score redone."""
    return await service.update_lead(db, caller, lead_id, body)


@router.delete("/{lead_id}", status_code=204, responses=errors(401, 403, 404, 422))
async def delete_lead(lead_id: PathId, caller: Deleter, db: DbSession) -> Response:
    """Delete a lead and its events."""
    await service.delete_lead(db, caller, lead_id)
    return Response(status_code=204)


@router.post(
    "/{lead_id}/events",
    response_model=LeadEventSaved,
    status_code=201,
    responses=errors(401, 403, 404, 422),
)
async def add_lead_event(
    lead_id: PathId, body: LeadEventIn, caller: Writer, db: DbSession
) -> LeadEventSaved:
    """Log a call, an email, a note...; reaching out marks a new lead contacted."""
    return await service.add_event(db, caller, lead_id, body)


@router.get(
    "/{lead_id}/nurture-sequence",
    response_model=NurtureSequenceOut,
    responses=errors(401, 403, 404, 422),
)
async def nurture_sequence(lead_id: PathId, caller: Reader, db: DbSession) -> NurtureSequenceOut:
    """The lead's follow-up plan and which steps are done, due or upcoming."""
    return await service.nurture(db, caller, lead_id)


@router.post(
    "/{lead_id}/convert",
    response_model=ConvertOut,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def convert_lead(
    lead_id: PathId,
    request: Request,
    caller: Writer,
    db: DbSession,
    body: ConvertRequest | None = None,
) -> ConvertOut:
    """Turn the lead into a customer, optionally booking their event (409 if converted)."""
    rt = hibachi_runtime(request)
    return await service.convert(rt, db, caller, lead_id, body or ConvertRequest())


@public_router.post(
    "/leads",
    response_model=PublicLeadOut,
    status_code=201,
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def public_lead(
    body: PublicLeadRequest, request: Request, station: PublicStation, db: DbSession
) -> PublicLeadOut:
    """Request a quote from the public site; the person joins the newsletter."""
    return await service.public_lead(hibachi_runtime(request), db, station, body)
