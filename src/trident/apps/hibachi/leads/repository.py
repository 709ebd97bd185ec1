"""All SQL about leads: the page of a list, one lead with its assignee, its events,
the station's users a lead may be assigned to, and social threads."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Lead, LeadEvent, Role, SocialThread, User
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant, scoped

SORTS = {
    "created_at": Lead.created_at,
    "score": Lead.score,
    "event_date": Lead.event_date,
    "name": Lead.name,
}
#: events that are bookkeeping, not an interaction with the prospect
BOOKKEEPING_EVENTS = ("status_change",)


def with_assignee(stmt: Select[Any]) -> Select[Any]:
    return stmt.outerjoin(User, User.id == Lead.assigned_to_id).add_columns(User.full_name)


def list_query(
    station_id: int,
    *,
    statuses: list[str] | None = None,
    sources: list[str] | None = None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
    assigned_to: int | None = None,
    unassigned: bool = False,
    min_score: int | None = None,
    search: str | None = None,
    sort: str = "created_at",
    descending: bool = True,
) -> Select[Any]:
    stmt = scoped(select(Lead), Lead, station_id)
    if statuses:
        stmt = stmt.where(Lead.status.in_(statuses))
    if sources:
        stmt = stmt.where(Lead.source.in_(sources))
    if created_from is not None:
        stmt = stmt.where(Lead.created_at >= created_from)
    if created_before is not None:
        stmt = stmt.where(Lead.created_at < created_before)
    if unassigned:
        stmt = stmt.where(Lead.assigned_to_id.is_(None))
    elif assigned_to is not None:
        stmt = stmt.where(Lead.assigned_to_id == assigned_to)
    if min_score is not None:
        stmt = stmt.where(Lead.score >= min_score)
    if search:
        matches = [contains(Lead.name, search), contains(Lead.email, search)]
        digits = re.sub(r"\D", "", search)
        if len(digits) >= 3:
            # phones are stored as E.164: match the digits whatever the typed format
            matches.append(contains(Lead.phone, digits))
        stmt = stmt.where(or_(*matches))
    column = SORTS[sort]
    primary = column.desc() if descending else column.asc()
    if sort == "event_date":
        primary = primary.nulls_last()
    tie = Lead.id.desc() if descending else Lead.id.asc()
    return with_assignee(stmt).order_by(primary, tie)


async def get_with_assignee(db: AsyncSession, station_id: int, lead_id: int) -> Any:
    """(lead, assignee's name) or None."""
    stmt = with_assignee(scoped(select(Lead), Lead, station_id).where(Lead.id == lead_id))
    return (await db.execute(stmt)).first()


async def assignable_user(db: AsyncSession, station_id: int, user_id: int) -> User | None:
    """An active staff member of the station (a customer account is not one)."""
    return await db.scalar(
        select(User).where(
            User.id == user_id,
            in_tenant(User, station_id),
            User.is_active.is_(True),
            User.role != Role.CUSTOMER,
        )
    )


async def user_name(db: AsyncSession, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return await db.scalar(select(User.full_name).where(User.id == user_id))


def _events(station_id: int, lead_id: int) -> Select[Any]:
    return scoped(select(LeadEvent), LeadEvent, station_id).where(LeadEvent.lead_id == lead_id)


async def event_counts(db: AsyncSession, station_id: int, lead_id: int) -> tuple[int, int]:
    """(all events, interactions), in one query."""
    is_interaction = case((LeadEvent.event_type.in_(BOOKKEEPING_EVENTS), 0), else_=1)
    stmt = scoped(
        select(func.count(LeadEvent.id), func.coalesce(func.sum(is_interaction), 0)),
        LeadEvent,
        station_id,
    ).where(LeadEvent.lead_id == lead_id)
    total, interactions = (await db.execute(stmt)).one()
    return int(total), int(interactions)


async def interaction_counts(
    db: AsyncSession, station_id: int, lead_ids: list[int]
) -> dict[int, int]:
    """Each lead's interactions (events but the bookkeeping ones), in one grouped query."""
    stmt = (
        scoped(select(LeadEvent.lead_id, func.count(LeadEvent.id)), LeadEvent, station_id)
        .where(LeadEvent.lead_id.in_(lead_ids), LeadEvent.event_type.not_in(BOOKKEEPING_EVENTS))
        .group_by(LeadEvent.lead_id)
    )
    return {lead_id: int(count) for lead_id, count in (await db.execute(stmt)).all()}


async def leads_with_event_between(
    db: AsyncSession, station_id: int, first: date, last: date
) -> list[Lead]:
    return list(
        await db.scalars(
            scoped(select(Lead), Lead, station_id).where(Lead.event_date.between(first, last))
        )
    )


async def set_scores(db: AsyncSession, scores: dict[int, int]) -> None:
    """Update many leads' scores by primary key in one executemany."""
    if scores:
        await db.execute(update(Lead), [{"id": i, "score": s} for i, s in scores.items()])


async def recent_events(
    db: AsyncSession, station_id: int, lead_id: int, limit: int
) -> list[LeadEvent]:
    stmt = _events(station_id, lead_id).order_by(LeadEvent.created_at.desc(), LeadEvent.id.desc())
    return list(await db.scalars(stmt.limit(limit)))


async def interactions(
    db: AsyncSession, station_id: int, lead_id: int, event_types: list[str]
) -> list[tuple[str, datetime]]:
    stmt = (
        scoped(select(LeadEvent.event_type, LeadEvent.created_at), LeadEvent, station_id)
        .where(LeadEvent.lead_id == lead_id, LeadEvent.event_type.in_(event_types))
        .order_by(LeadEvent.created_at, LeadEvent.id)
    )
    return [(kind, at) for kind, at in (await db.execute(stmt)).all()]


async def delete_lead(db: AsyncSession, lead: Lead) -> None:
    """The lead and its events; social threads it came from stay, unlinked."""
    await db.execute(
        delete(LeadEvent).where(in_tenant(LeadEvent, lead.station_id), LeadEvent.lead_id == lead.id)
    )
    await db.execute(
        update(SocialThread)
        .where(in_tenant(SocialThread, lead.station_id), SocialThread.lead_id == lead.id)
        .values(lead_id=None)
    )
    await db.delete(lead)
    await db.flush()


# -- social threads -------------------------------------------------------------------


def threads_query(
    station_id: int, *, platform: str | None = None, status: str | None = None
) -> Select[Any]:
    stmt = scoped(select(SocialThread), SocialThread, station_id)
    if platform is not None:
        stmt = stmt.where(SocialThread.platform == platform)
    if status is not None:
        stmt = stmt.where(SocialThread.status == status)
    return stmt.order_by(SocialThread.last_message_at.desc().nulls_last(), SocialThread.id.desc())


async def thread_by_external_id(
    db: AsyncSession, station_id: int, platform: str, external_thread_id: str
) -> SocialThread | None:
    return await db.scalar(
        scoped(select(SocialThread), SocialThread, station_id).where(
            SocialThread.platform == platform,
            SocialThread.external_thread_id == external_thread_id,
        )
    )
