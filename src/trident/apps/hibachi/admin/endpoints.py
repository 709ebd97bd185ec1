"""Admin routes under ``/api/admin`` (and ``/api/v1/admin``): error logs
(``errors:manage``), the audit log (``audit:read``) and notification groups
(``notifications:manage``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from trident.apps.hibachi.admin import repository, service
from trident.apps.hibachi.admin.schemas import (
    AuditLogOut,
    ErrorLogDetail,
    ErrorLogOut,
    NotificationGroupCreate,
    NotificationGroupOut,
    NotificationGroupUpdate,
    ResolveRequest,
)
from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.core.app import DbSession
from trident.core.dates import Day
from trident.core.ids import MAX_ID, IdFilter, PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["admin"])

ErrorManager = station_caller("errors:manage")
AuditReader = station_caller("audit:read")
GroupManager = station_caller("notifications:manage")

DateFrom = Annotated[Day | None, Query(description="From this station-local day")]
PathFilter = Annotated[
    str | None,
    Query(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$", description="Path contains"),
]
DateTo = Annotated[Day | None, Query(description="Up to this station-local day (inclusive)")]


# -- error logs ------------------------------------------------------------------------


@router.get(
    "/error-logs", response_model=ListResponse[ErrorLogOut], responses=errors(401, 403, 404, 422)
)
async def list_error_logs(
    caller: ErrorManager,
    db: DbSession,
    page: PageQuery,
    resolved: bool | None = None,
    level: Annotated[str | None, Query(max_length=16, pattern=r"^[A-Za-z]+$")] = None,
    path: PathFilter = None,
    status_code: Annotated[int | None, Query(ge=100, le=599)] = None,
    request_id: Annotated[str | None, Query(max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    station_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Super admin: one station only")
    ] = None,
) -> Response:
    """Unhandled errors, newest first (a super admin sees every station's)."""
    stmt = service.error_logs_query(
        caller,
        station_id=station_id,
        resolved=resolved,
        level=level.lower() if level else None,
        path=path,
        status_code=status_code,
        request_id=request_id,
        date_from=date_from,
        date_to=date_to,
    )
    result = await fetch_page(db, stmt, page)
    return list_response(ErrorLogOut, [service.error_log_out(r) for r in result.items], result)


@router.get(
    "/error-logs/{log_id}", response_model=ErrorLogDetail, responses=errors(401, 403, 404, 422)
)
async def get_error_log(log_id: PathId, caller: ErrorManager, db: DbSession) -> ErrorLogDetail:
    """One error with its traceback."""
    return await service.get_error_log(db, caller, log_id)


@router.post(
    "/error-logs/{log_id}/resolve",
    response_model=ErrorLogDetail,
    responses=errors(401, 403, 404, 409, 422),
)
async def resolve_error_log(
    log_id: PathId, caller: ErrorManager, db: DbSession, body: ResolveRequest | None = None
) -> ErrorLogDetail:
    """Mark an error resolved, with optional notes (409 if it already is)."""
    notes = (body.resolution_notes or body.notes) if body else None
    return await service.resolve_error_log(db, caller, log_id, notes)


@router.delete("/error-logs/{log_id}", status_code=204, responses=errors(401, 403, 404, 422))
async def delete_error_log(log_id: PathId, caller: ErrorManager, db: DbSession) -> Response:
    """Delete an error log entry."""
    await service.delete_error_log(db, caller, log_id)
    return Response(status_code=204)


# -- audit log -------------------------------------------------------------------------


@router.get(
    "/audit-logs", response_model=ListResponse[AuditLogOut], responses=errors(401, 403, 422)
)
async def list_audit_logs(
    caller: AuditReader,
    db: DbSession,
    page: PageQuery,
    actor_id: IdFilter = None,
    actor_type: Literal["user", "api_key", "anonymous"] | None = None,
    method: Annotated[str | None, Query(max_length=8, pattern=r"^[A-Za-z]+$")] = None,
    path: PathFilter = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    all_stations: Annotated[bool, Query(description="Super admin: every station")] = False,
) -> Response:
    """Who changed what, when and from where, newest first."""
    stmt = service.audit_logs_query(
        caller,
        all_stations=all_stations,
        actor_id=actor_id,
        actor_type=actor_type,
        method=method.upper() if method else None,
        path=path,
        date_from=date_from,
        date_to=date_to,
    )
    result = await fetch_page(db, stmt, page)
    return list_response(AuditLogOut, [service.audit_log_out(r) for r in result.items], result)


@router.get(
    "/audit-logs/{entry_id}", response_model=AuditLogOut, responses=errors(401, 403, 404, 422)
)
async def get_audit_log(entry_id: PathId, caller: AuditReader, db: DbSession) -> AuditLogOut:
    """One audit entry with the rows it changed."""
    return await service.get_audit_log(db, caller, entry_id)


# -- notification groups ---------------------------------------------------------------


@router.get(
    "/notification-groups",
    response_model=ListResponse[NotificationGroupOut],
    responses=errors(401, 403, 422),
)
async def list_notification_groups(
    caller: GroupManager,
    db: DbSession,
    page: PageQuery,
    is_active: bool | None = None,
) -> Response:
    """The station's notification groups, by name."""
    result = await fetch_page(
        db, repository.groups_query(caller.station_id, active=is_active), page
    )
    return list_response(NotificationGroupOut, [service.group_out(g) for g in result.items], result)


@router.post(
    "/notification-groups",
    response_model=NotificationGroupOut,
    status_code=201,
    responses=errors(401, 403, 409, 422),
)
async def create_notification_group(
    body: NotificationGroupCreate, caller: GroupManager, db: DbSession
) -> NotificationGroupOut:
    """Create a group: which events it hears about, by which channels, and who."""
    return await service.create_group(db, caller, body)


@router.get(
    "/notification-groups/{group_id}",
    response_model=NotificationGroupOut,
    responses=errors(401, 403, 404, 422),
)
async def get_notification_group(
    group_id: PathId, caller: GroupManager, db: DbSession
) -> NotificationGroupOut:
    """One notification group."""
    return await service.get_group(db, caller, group_id)


@router.put(
    "/notification-groups/{group_id}",
    response_model=NotificationGroupOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def update_notification_group(
    group_id: PathId, body: NotificationGroupUpdate, caller: GroupManager, db: DbSession
) -> NotificationGroupOut:
    """Change a group (only the fields sent)."""
    return await service.update_group(db, caller, group_id, body)


@router.delete(
    "/notification-groups/{group_id}", status_code=204, responses=errors(401, 403, 404, 422)
)
async def delete_notification_group(
    group_id: PathId, caller: GroupManager, db: DbSession
) -> Response:
    """Delete a group."""
    await service.delete_group(db, caller, group_id)
    return Response(status_code=204)
