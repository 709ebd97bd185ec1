"""All SQL about AI usage: quota counts and aggregates, computed in the database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import AiUsageEvent, Org, User
from trident.core.db.functions import in_period
from trident.core.db.tenancy import scoped

COUNTED = AiUsageEvent.status != "failed"


async def lock_org(db: AsyncSession, org_id: int) -> None:
    """Serialise quota checks of one org on PostgreSQL (SQLite writers already queue)."""
    if db.get_bind().dialect.name == "postgresql":
        await db.execute(select(Org.id).where(Org.id == org_id).with_for_update())


async def used_since(db: AsyncSession, org_id: int, since: datetime) -> tuple[int, int]:
    stmt = scoped(
        select(func.count(AiUsageEvent.id), func.coalesce(func.sum(AiUsageEvent.total_tokens), 0)),
        AiUsageEvent,
        org_id,
    ).where(AiUsageEvent.created_at >= since, COUNTED)
    requests, tokens = (await db.execute(stmt)).one()
    return int(requests), int(tokens)


async def finish(
    db: AsyncSession, event_id: int, *, status: str, prompt: int, completion: int
) -> None:
    await db.execute(
        update(AiUsageEvent)
        .where(AiUsageEvent.id == event_id)
        .values(
            status=status,
            prompt_tokens=prompt,
            completion_tokens=completion,
            total_tokens=prompt + completion,
        )
    )


def _day() -> Any:
    return func.date(AiUsageEvent.created_at)


async def totals(db: AsyncSession, org_id: int, start: datetime, end: datetime) -> Any:
    stmt = scoped(
        select(
            func.count(AiUsageEvent.id),
            func.coalesce(func.sum(AiUsageEvent.prompt_tokens), 0),
            func.coalesce(func.sum(AiUsageEvent.completion_tokens), 0),
            func.coalesce(func.sum(AiUsageEvent.total_tokens), 0),
        ),
        AiUsageEvent,
        org_id,
    ).where(*in_period(AiUsageEvent.created_at, start, end), COUNTED)
    return (await db.execute(stmt)).one()


async def by_day(
    db: AsyncSession, org_id: int, start: datetime | None, end: datetime | None
) -> list[Any]:
    day = _day().label("day")
    stmt = (
        scoped(
            select(
                day,
                func.count(AiUsageEvent.id),
                func.coalesce(func.sum(AiUsageEvent.prompt_tokens), 0),
                func.coalesce(func.sum(AiUsageEvent.completion_tokens), 0),
                func.coalesce(func.sum(AiUsageEvent.total_tokens), 0),
            ),
            AiUsageEvent,
            org_id,
        )
        .where(*in_period(AiUsageEvent.created_at, start, end), COUNTED)
        .group_by(day)
        .order_by(day)
    )
    return list((await db.execute(stmt)).all())


async def by_model(
    db: AsyncSession, org_id: int, start: datetime | None, end: datetime | None
) -> list[Any]:
    requests = func.count(AiUsageEvent.id)
    stmt = (
        scoped(
            select(
                AiUsageEvent.model,
                AiUsageEvent.provider,
                requests,
                func.coalesce(func.sum(AiUsageEvent.total_tokens), 0),
            ),
            AiUsageEvent,
            org_id,
        )
        .where(*in_period(AiUsageEvent.created_at, start, end), COUNTED)
        .group_by(AiUsageEvent.model, AiUsageEvent.provider)
        .order_by(requests.desc(), AiUsageEvent.model)
    )
    return list((await db.execute(stmt)).all())


async def by_user(
    db: AsyncSession, org_id: int, start: datetime, end: datetime, limit: int = 10
) -> list[Any]:
    requests = func.count(AiUsageEvent.id)
    stmt = (
        scoped(
            select(
                AiUsageEvent.user_id,
                User.email,
                requests,
                func.coalesce(func.sum(AiUsageEvent.total_tokens), 0),
            ),
            AiUsageEvent,
            org_id,
        )
        .join(User, User.id == AiUsageEvent.user_id)
        .where(*in_period(AiUsageEvent.created_at, start, end), COUNTED)
        .group_by(AiUsageEvent.user_id, User.email)
        .order_by(requests.desc(), AiUsageEvent.user_id)
        .limit(limit)
    )
    return list((await db.execute(stmt)).all())
