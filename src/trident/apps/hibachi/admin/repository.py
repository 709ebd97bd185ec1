"""All SQL of the admin area: error logs, the audit log and notification groups.

Error logs and the audit log are not ordinary tenant tables: an error may come
before any station is known (``station_id`` null), and the audit trail names its
station ``tenant_id``.  So their station filter is explicit here: ``station_id``
None means "every station" (a super admin), anything else exactly that station.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import AuditLog, ErrorLog, NotificationGroup, Role, User
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant, scoped

# -- error logs ------------------------------------------------------------------------


def error_logs_query(
    station_id: int | None,
    *,
    resolved: bool | None = None,
    level: str | None = None,
    path: str | None = None,
    status_code: int | None = None,
    request_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """Newest first; ``station_id`` None: every station's rows and the station-less."""
    stmt = select(ErrorLog)
    if station_id is not None:
        stmt = stmt.where(in_tenant(ErrorLog, station_id))
    if resolved is not None:
        stmt = stmt.where(ErrorLog.resolved.is_(resolved))
    if level is not None:
        stmt = stmt.where(ErrorLog.level == level)
    if path:
        stmt = stmt.where(contains(ErrorLog.path, path))
    if status_code is not None:
        stmt = stmt.where(ErrorLog.status_code == status_code)
    if request_id is not None:
        stmt = stmt.where(ErrorLog.request_id == request_id)
    if since is not None:
        stmt = stmt.where(ErrorLog.created_at >= since)
    if until is not None:
        stmt = stmt.where(ErrorLog.created_at < until)
    return stmt.order_by(ErrorLog.created_at.desc(), ErrorLog.id.desc())


async def error_log(db: AsyncSession, station_id: int | None, log_id: int) -> ErrorLog | None:
    stmt = select(ErrorLog).where(ErrorLog.id == log_id)
    if station_id is not None:
        stmt = stmt.where(in_tenant(ErrorLog, station_id))
    return await db.scalar(stmt)


# -- audit log -------------------------------------------------------------------------


def audit_logs_query(
    station_id: int | None,
    *,
    actor_id: int | None = None,
    actor_type: str | None = None,
    method: str | None = None,
    path: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """Newest first; ``station_id`` None: every station's entries."""
    stmt = select(AuditLog)
    if station_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == station_id)
    if actor_id is not None:
        stmt = stmt.where(AuditLog.actor_id == actor_id)
    if actor_type is not None:
        stmt = stmt.where(AuditLog.actor_type == actor_type)
    if method is not None:
        stmt = stmt.where(AuditLog.method == method)
    if path:
        stmt = stmt.where(contains(AuditLog.path, path))
    if since is not None:
        stmt = stmt.where(AuditLog.created_at >= since)
    if until is not None:
        stmt = stmt.where(AuditLog.created_at < until)
    return stmt.order_by(AuditLog.created_at.desc(), AuditLog.id.desc())


async def audit_log(db: AsyncSession, station_id: int | None, entry_id: int) -> AuditLog | None:
    stmt = select(AuditLog).where(AuditLog.id == entry_id)
    if station_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == station_id)
    return await db.scalar(stmt)


# -- notification groups ---------------------------------------------------------------


def groups_query(station_id: int, *, active: bool | None = None) -> Select[Any]:
    stmt = scoped(select(NotificationGroup), NotificationGroup, station_id)
    if active is not None:
        stmt = stmt.where(NotificationGroup.is_active.is_(active))
    return stmt.order_by(NotificationGroup.name, NotificationGroup.id)


async def group_named(
    db: AsyncSession, station_id: int, name: str, *, other_than: int | None = None
) -> int | None:
    stmt = scoped(select(NotificationGroup.id), NotificationGroup, station_id).where(
        func.lower(NotificationGroup.name) == name.lower()
    )
    if other_than is not None:
        stmt = stmt.where(NotificationGroup.id != other_than)
    return await db.scalar(stmt.limit(1))


async def active_groups(db: AsyncSession, station_id: int) -> Sequence[NotificationGroup]:
    return (await db.scalars(groups_query(station_id, active=True))).all()


async def staff_ids(db: AsyncSession, station_id: int, user_ids: Sequence[int]) -> set[int]:
    """Which of ``user_ids`` are staff accounts of the station (not customer accounts)."""
    if not user_ids:
        return set()
    rows = await db.scalars(
        select(User.id).where(
            User.id.in_(list(user_ids)),
            in_tenant(User, station_id),
            User.role != Role.CUSTOMER.value,
        )
    )
    return set(rows)


async def user_contacts(
    db: AsyncSession, user_ids: Sequence[int]
) -> list[tuple[int, str, str | None, bool]]:
    """(id, email, phone, is active) of the users named."""
    if not user_ids:
        return []
    rows = await db.execute(
        select(User.id, User.email, User.phone, User.is_active).where(User.id.in_(list(user_ids)))
    )
    return [(uid, email, phone, active) for uid, email, phone, active in rows.all()]
