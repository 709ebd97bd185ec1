"""The admin area: the error log (rows written by the app's unhandled-error hook,
``HibachiRuntime.record_unhandled``), the audit trail (written by core/audit.py for
every write) and notification groups (who hears about which events, and how).

Who sees what: staff with the permission see their station's rows; a super admin
sees every station's error logs, the station-less ones included, and may read the
whole platform's audit trail (``all_stations=true``).  Another station's id is a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.admin import repository
from trident.apps.hibachi.admin.schemas import (
    AuditLogOut,
    ErrorLogDetail,
    ErrorLogOut,
    NotificationGroupCreate,
    NotificationGroupOut,
    NotificationGroupUpdate,
)
from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.models import AuditLog, ErrorLog, NotificationGroup
from trident.core.clock import utcnow
from trident.core.dates import date_range
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, Forbidden, NotFound, Unprocessable

#: the dates a filter may name (beyond them date arithmetic would overflow)
# -- shared ----------------------------------------------------------------------------


def _visible_station(caller: Caller) -> int | None:
    """None (every station) for a super admin, else the caller's station."""
    return None if caller.principal.is_super_admin else caller.station_id


# -- error logs ------------------------------------------------------------------------


def error_log_out(row: ErrorLog) -> ErrorLogOut:
    return ErrorLogOut(
        id=row.id,
        station_id=row.station_id,
        request_id=row.request_id,
        method=row.method,
        path=row.path,
        status_code=row.status_code,
        level=row.level,
        error_type=row.error_type,
        message=row.message,
        user_id=row.user_id,
        ip_address=row.ip_address,
        user_agent=row.user_agent,
        resolved=row.resolved,
        resolved_at=row.resolved_at,
        resolved_by_id=row.resolved_by_id,
        resolution_notes=row.resolution_notes,
        created_at=row.created_at,
        timestamp=row.created_at,
    )


def error_log_detail(row: ErrorLog) -> ErrorLogDetail:
    return ErrorLogDetail(**error_log_out(row).model_dump(), traceback=row.traceback)


def error_logs_query(
    caller: Caller,
    *,
    station_id: int | None,
    resolved: bool | None,
    level: str | None,
    path: str | None,
    status_code: int | None,
    request_id: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    since, until = date_range(date_from, date_to, timezone=caller.station.timezone).bounds()
    scope = _visible_station(caller)
    if scope is None:
        scope = station_id  # a super admin may narrow to one station
    elif station_id is not None and station_id != scope:
        raise NotFound("That station was not found.", code="station_not_found")
    return repository.error_logs_query(
        scope,
        resolved=resolved,
        level=level,
        path=path,
        status_code=status_code,
        request_id=request_id,
        since=since,
        until=until,
    )


async def _error_log(db: AsyncSession, caller: Caller, log_id: int) -> ErrorLog:
    row = await repository.error_log(db, _visible_station(caller), log_id)
    if row is None:
        raise NotFound(f"Error log {log_id} was not found.", code="error_log_not_found")
    return row


async def get_error_log(db: AsyncSession, caller: Caller, log_id: int) -> ErrorLogDetail:
    return error_log_detail(await _error_log(db, caller, log_id))


async def resolve_error_log(
    db: AsyncSession, caller: Caller, log_id: int, notes: str | None
) -> ErrorLogDetail:
    row = await _error_log(db, caller, log_id)
    if row.resolved:
        raise Conflict(
            f"Error log {log_id} is already resolved.",
            code="already_resolved",
            details={
                "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
                "resolved_by_id": row.resolved_by_id,
            },
        )
    row.resolved = True
    row.resolved_at = utcnow()
    row.resolved_by_id = caller.user_id
    row.resolution_notes = notes or None
    await db.flush()
    return error_log_detail(row)


async def delete_error_log(db: AsyncSession, caller: Caller, log_id: int) -> None:
    await db.delete(await _error_log(db, caller, log_id))
    await db.flush()


# -- audit log -------------------------------------------------------------------------


def audit_log_out(row: AuditLog) -> AuditLogOut:
    return AuditLogOut(
        id=row.id,
        created_at=row.created_at,
        actor_type=row.actor_type,
        actor_id=row.actor_id,
        actor_email=row.actor_email,
        station_id=row.tenant_id,
        tenant_id=row.tenant_id,
        method=row.method,
        path=row.path,
        action=row.action,
        changes=row.changes or {},
        ip_address=row.ip_address,
        user_agent=row.user_agent,
        request_id=row.request_id,
    )


def audit_logs_query(
    caller: Caller,
    *,
    all_stations: bool,
    actor_id: int | None,
    actor_type: str | None,
    method: str | None,
    path: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    if all_stations and not caller.principal.is_super_admin:
        raise Forbidden(
            "Only a super admin may read every station's audit log.",
            code="insufficient_permissions",
            details={"all_stations": "super admin only"},
        )
    since, until = date_range(date_from, date_to, timezone=caller.station.timezone).bounds()
    return repository.audit_logs_query(
        None if all_stations else caller.station_id,
        actor_id=actor_id,
        actor_type=actor_type,
        method=method,
        path=path,
        since=since,
        until=until,
    )


async def get_audit_log(db: AsyncSession, caller: Caller, entry_id: int) -> AuditLogOut:
    row = await repository.audit_log(db, _visible_station(caller), entry_id)
    if row is None:
        raise NotFound(f"Audit log entry {entry_id} was not found.", code="audit_log_not_found")
    return audit_log_out(row)


# -- notification groups ---------------------------------------------------------------


def group_out(group: NotificationGroup) -> NotificationGroupOut:
    return NotificationGroupOut(
        id=group.id,
        station_id=group.station_id,
        name=group.name,
        description=group.description,
        event_types=list(group.event_types),
        channels=list(group.channels),
        user_ids=list(group.user_ids),
        emails=list(group.emails),
        phones=list(group.phones),
        is_active=group.is_active,
        created_at=group.created_at,
        updated_at=group.updated_at,
    )


def _name_taken(name: str) -> Conflict:
    return Conflict(
        f"A notification group named {name!r} already exists.",
        code="notification_group_exists",
        details={"name": "already used in this station"},
    )


async def _check_users(db: AsyncSession, caller: Caller, user_ids: Sequence[int]) -> None:
    found = await repository.staff_ids(db, caller.station_id, user_ids)
    missing = [uid for uid in user_ids if uid not in found]
    if missing:
        raise Unprocessable(
            f"Not staff of this station: {', '.join(map(str, missing))}.",
            code="unknown_users",
            details={"user_ids": f"not staff of this station: {missing}"},
        )


async def _save(db: AsyncSession, group: NotificationGroup) -> None:
    try:
        async with db.begin_nested():
            db.add(group)
            await db.flush()
    except IntegrityError:
        raise _name_taken(group.name) from None


async def _group(db: AsyncSession, caller: Caller, group_id: int) -> NotificationGroup:
    try:
        return await get_scoped(db, NotificationGroup, group_id, caller.station_id)
    except NotFound:
        raise NotFound(
            f"Notification group {group_id} was not found.", code="notification_group_not_found"
        ) from None


async def get_group(db: AsyncSession, caller: Caller, group_id: int) -> NotificationGroupOut:
    return group_out(await _group(db, caller, group_id))


async def create_group(
    db: AsyncSession, caller: Caller, body: NotificationGroupCreate
) -> NotificationGroupOut:
    if await repository.group_named(db, caller.station_id, body.name) is not None:
        raise _name_taken(body.name)
    await _check_users(db, caller, body.user_ids)
    group = NotificationGroup(
        station_id=caller.station_id,
        name=body.name,
        description=body.description or None,
        event_types=list(body.event_types),
        channels=list(body.channels),
        user_ids=list(body.user_ids),
        emails=[str(e) for e in body.emails],
        phones=list(body.phones),
        is_active=body.is_active,
    )
    await _save(db, group)
    return group_out(group)


async def update_group(
    db: AsyncSession, caller: Caller, group_id: int, body: NotificationGroupUpdate
) -> NotificationGroupOut:
    group = await _group(db, caller, group_id)
    changes = body.model_dump(exclude_unset=True)
    required = ("name", "event_types", "channels", "user_ids", "emails", "phones", "is_active")
    nulls = [name for name in required if name in changes and changes[name] is None]
    if nulls:
        raise Unprocessable(
            f"{', '.join(nulls)} cannot be null.",
            details={name: "cannot be null" for name in nulls},
        )
    if "name" in changes and changes["name"] != group.name:
        if await repository.group_named(
            db, caller.station_id, body.name or "", other_than=group.id
        ):
            raise _name_taken(body.name or "")
        group.name = changes["name"]
    if "user_ids" in changes:
        await _check_users(db, caller, changes["user_ids"])
    if "emails" in changes:
        changes["emails"] = [str(e) for e in changes["emails"]]
    if "description" in changes:
        changes["description"] = changes["description"] or None
    for name in ("description", "event_types", "channels", "user_ids", "emails", "phones"):
        if name in changes:
            setattr(
                group,
                name,
                list(changes[name]) if isinstance(changes[name], list) else changes[name],
            )
    if "is_active" in changes:
        group.is_active = changes["is_active"]
    await _save(db, group)
    return group_out(group)


async def delete_group(db: AsyncSession, caller: Caller, group_id: int) -> None:
    await db.delete(await _group(db, caller, group_id))
    await db.flush()


@dataclass(frozen=True, slots=True)
class Recipients:
    """Where to send one event's notification: addresses and numbers, deduplicated."""

    emails: list[str]
    phones: list[str]


async def recipients_for(db: AsyncSession, station_id: int, event_type: str) -> Recipients:
    """Who the station's active notification groups route ``event_type`` to: each
    group's emails and phones by its channels, plus its (active) users' email and
    phone.  The notification senders call this."""
    groups = [
        g for g in await repository.active_groups(db, station_id) if event_type in g.event_types
    ]
    user_ids = sorted({uid for g in groups for uid in g.user_ids})
    contacts = {
        uid: (email, phone, active)
        for uid, email, phone, active in await repository.user_contacts(db, user_ids)
    }
    emails: dict[str, None] = {}
    phones: dict[str, None] = {}
    for group in groups:
        members = [contacts[uid] for uid in group.user_ids if uid in contacts and contacts[uid][2]]
        if "email" in group.channels:
            emails.update(dict.fromkeys(group.emails))
            emails.update(dict.fromkeys(email for email, _, _ in members))
        if "sms" in group.channels:
            phones.update(dict.fromkeys(group.phones))
            phones.update(dict.fromkeys(phone for _, phone, _ in members if phone))
    return Recipients(emails=list(emails), phones=list(phones))
