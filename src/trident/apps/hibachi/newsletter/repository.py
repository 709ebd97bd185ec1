"""All SQL about newsletter subscribers, campaigns and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Campaign, CampaignDelivery, Subscriber
from trident.core.db.base import UTCDateTime
from trident.core.db.functions import contains
from trident.core.db.tenancy import in_tenant, scoped

SUBSCRIBED = "subscribed"
UNSUBSCRIBED = "unsubscribed"

# -- subscribers ------------------------------------------------------------------


async def subscriber_by_email(db: AsyncSession, station_id: int, email: str) -> Subscriber | None:
    return await db.scalar(
        scoped(select(Subscriber), Subscriber, station_id).where(Subscriber.email == email)
    )


async def subscriber_by_phone(db: AsyncSession, station_id: int, phone: str) -> Subscriber | None:
    return await db.scalar(
        scoped(select(Subscriber), Subscriber, station_id).where(Subscriber.phone == phone)
    )


async def subscriber_by_token(db: AsyncSession, token: str) -> Subscriber | None:
    """The token is the secret of an unsubscribe link; it names its station itself."""
    return await db.scalar(select(Subscriber).where(Subscriber.unsubscribe_token == token))


def subscribers_query(
    station_id: int,
    *,
    status: str | None = None,
    source: str | None = None,
    search: str | None = None,
) -> Select[Any]:
    stmt = scoped(select(Subscriber), Subscriber, station_id)
    if status is not None:
        stmt = stmt.where(Subscriber.status == status)
    if source is not None:
        stmt = stmt.where(Subscriber.source == source)
    if search:
        digits = "".join(c for c in search if c.isdigit())
        matches = [contains(Subscriber.email, search), contains(Subscriber.name, search)]
        if len(digits) >= 3:  # a phone fragment, not the digit of a name
            matches.append(contains(Subscriber.phone, digits))
        stmt = stmt.where(or_(*matches))
    return stmt.order_by(Subscriber.created_at.desc(), Subscriber.id.desc())


def _audience(station_id: int, channel: str, source: str | None) -> Select[Any]:
    address = Subscriber.email if channel == "email" else Subscriber.phone
    stmt = scoped(select(Subscriber.id, address), Subscriber, station_id).where(
        Subscriber.status == SUBSCRIBED, address.is_not(None)
    )
    return stmt if source is None else stmt.where(Subscriber.source == source)


async def audience_size(db: AsyncSession, station_id: int, channel: str, source: str | None) -> int:
    """How many subscribers a campaign would reach now."""
    audience = _audience(station_id, channel, source).subquery()
    return int(await db.scalar(select(func.count()).select_from(audience)) or 0)


async def recipients_after(
    db: AsyncSession,
    station_id: int,
    channel: str,
    *,
    after_id: int,
    limit: int,
    source: str | None = None,
) -> list[tuple[int, str]]:
    """The next ``limit`` subscribed subscribers (id, address) with an address for
    ``channel``, by id after ``after_id`` (keyset pages: no OFFSET over a long list)."""
    stmt = (
        _audience(station_id, channel, source)
        .where(Subscriber.id > after_id)
        .order_by(Subscriber.id)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await db.execute(stmt)).all()]


# -- campaigns --------------------------------------------------------------------


def campaigns_query(
    station_id: int, *, status: str | None = None, channel: str | None = None
) -> Select[Any]:
    stmt = scoped(select(Campaign), Campaign, station_id)
    if status is not None:
        stmt = stmt.where(Campaign.status == status)
    if channel is not None:
        stmt = stmt.where(Campaign.channel == channel)
    return stmt.order_by(Campaign.created_at.desc(), Campaign.id.desc())


async def recipient_counts(db: AsyncSession, campaign_ids: list[int]) -> dict[int, int]:
    """Deliveries per campaign, for one page of campaigns, in one grouped query."""
    if not campaign_ids:
        return {}
    rows = await db.execute(
        select(CampaignDelivery.campaign_id, func.count(CampaignDelivery.id))
        .where(CampaignDelivery.campaign_id.in_(campaign_ids))
        .group_by(CampaignDelivery.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in rows.all()}


async def claim(
    db: AsyncSession, station_id: int, campaign_id: int, source: str, target: str, at: datetime
) -> bool:
    """Move a campaign from ``source`` to ``target`` status, only if it still is in
    ``source``: of two requests or ticks at once, one wins."""
    result = await db.execute(
        update(Campaign)
        .where(
            Campaign.id == campaign_id,
            in_tenant(Campaign, station_id),
            Campaign.status == source,
        )
        .values(status=target, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def due_campaigns(db: AsyncSession, now: datetime, limit: int) -> list[tuple[int, int]]:
    """Scheduled campaigns whose time has come (id, station id), oldest first; every
    station's, for the job that sends them."""
    rows = await db.execute(
        select(Campaign.id, Campaign.station_id)
        .where(Campaign.status == "scheduled", Campaign.scheduled_at <= now)
        .order_by(Campaign.scheduled_at, Campaign.id)
        .limit(limit)
    )
    return [(campaign_id, station_id) for campaign_id, station_id in rows.all()]


async def insert_deliveries(db: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Many deliveries in one executemany (a campaign has thousands)."""
    if rows:
        await db.execute(insert(CampaignDelivery), rows)


async def campaign_by_id(db: AsyncSession, campaign_id: int) -> Campaign | None:
    """A campaign by id alone: for its send job, which the campaign's own id scopes."""
    return await db.scalar(select(Campaign).where(Campaign.id == campaign_id))


async def finish_campaign(db: AsyncSession, campaign_id: int, at: datetime) -> None:
    await db.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.status == "sending")
        .values(status="sent", sent_at=at, updated_at=at)
        .execution_options(synchronize_session=False)
    )


# -- deliveries -----------------------------------------------------------------


async def queued_batch(
    db: AsyncSession, station_id: int, campaign_id: int, limit: int
) -> list[Any]:
    """The next queued deliveries (id, channel, to_address, token) with their
    subscriber's status and unsubscribe token.  On PostgreSQL the rows are locked and
    rows another run holds are skipped: two runs of the job never send one twice."""
    stmt = (
        scoped(
            select(
                CampaignDelivery.id,
                CampaignDelivery.channel,
                CampaignDelivery.to_address,
                CampaignDelivery.token,
                Subscriber.status.label("subscriber_status"),
                Subscriber.unsubscribe_token,
            ),
            CampaignDelivery,
            station_id,
        )
        .outerjoin(Subscriber, Subscriber.id == CampaignDelivery.subscriber_id)
        .where(CampaignDelivery.campaign_id == campaign_id, CampaignDelivery.status == "queued")
        .order_by(CampaignDelivery.id)
        .limit(limit)
        .with_for_update(of=CampaignDelivery, skip_locked=True)
    )
    return list((await db.execute(stmt)).all())


async def queued_left(db: AsyncSession, station_id: int, campaign_id: int) -> int:
    count = await db.scalar(
        scoped(select(func.count(CampaignDelivery.id)), CampaignDelivery, station_id).where(
            CampaignDelivery.campaign_id == campaign_id, CampaignDelivery.status == "queued"
        )
    )
    return int(count or 0)


async def mark_deliveries(db: AsyncSession, changes: list[dict[str, Any]]) -> None:
    """Update many deliveries by primary key in one executemany."""
    if changes:
        await db.execute(update(CampaignDelivery), changes)


def deliveries_query(station_id: int, campaign_id: int, *, status: str | None) -> Select[Any]:
    stmt = scoped(select(CampaignDelivery), CampaignDelivery, station_id).where(
        CampaignDelivery.campaign_id == campaign_id
    )
    if status is not None:
        stmt = stmt.where(CampaignDelivery.status == status)
    return stmt.order_by(CampaignDelivery.id)


def _count_where(condition: Any) -> Any:
    return func.count(case((condition, 1)))


async def campaign_stats(db: AsyncSession, station_id: int, campaign_id: int) -> dict[str, int]:
    status = CampaignDelivery.status
    stmt = scoped(
        select(
            func.count(CampaignDelivery.id).label("recipients"),
            _count_where(status == "sent").label("sent"),
            _count_where(status == "failed").label("failed"),
            _count_where(status == "queued").label("queued"),
            _count_where(status == "skipped").label("skipped"),
            func.count(CampaignDelivery.opened_at).label("opened"),
            func.count(CampaignDelivery.clicked_at).label("clicked"),
            func.coalesce(func.sum(CampaignDelivery.click_count), 0).label("total_clicks"),
        ),
        CampaignDelivery,
        station_id,
    ).where(CampaignDelivery.campaign_id == campaign_id)
    row = (await db.execute(stmt)).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


# -- tracking -------------------------------------------------------------------


async def mark_opened(db: AsyncSession, token: str, at: datetime) -> None:
    await db.execute(
        update(CampaignDelivery)
        .where(CampaignDelivery.token == token, CampaignDelivery.opened_at.is_(None))
        .values(opened_at=at)
        .execution_options(synchronize_session=False)
    )


async def delivery_content(db: AsyncSession, token: str) -> tuple[int, str] | None:
    """The delivery's id and its campaign's content (whose links it may follow)."""
    row = (
        await db.execute(
            select(CampaignDelivery.id, Campaign.content)
            .join(
                Campaign,
                and_(
                    Campaign.id == CampaignDelivery.campaign_id,
                    Campaign.station_id == CampaignDelivery.station_id,
                ),
            )
            .where(CampaignDelivery.token == token)
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def mark_clicked(db: AsyncSession, delivery_id: int, at: datetime) -> None:
    """Count a click in the database itself (two clicks at once both count); a click
    also proves the message was opened (images may have been blocked)."""
    await db.execute(
        update(CampaignDelivery)
        .where(CampaignDelivery.id == delivery_id)
        .values(
            click_count=CampaignDelivery.click_count + 1,
            clicked_at=func.coalesce(CampaignDelivery.clicked_at, literal(at, UTCDateTime())),
            opened_at=func.coalesce(CampaignDelivery.opened_at, literal(at, UTCDateTime())),
        )
        .execution_options(synchronize_session=False)
    )
