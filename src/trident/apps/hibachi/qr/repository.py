"""All SQL about QR campaigns and their scans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import QrCampaign, QrScan
from trident.core.db.functions import contains, local_day
from trident.core.db.tenancy import in_tenant, scoped

#: an optional bound of a time range
When = datetime | None


def campaigns_query(
    station_id: int, *, is_active: bool | None = None, search: str | None = None
) -> Select[Any]:
    stmt = scoped(select(QrCampaign), QrCampaign, station_id)
    if is_active is not None:
        stmt = stmt.where(QrCampaign.is_active == is_active)
    if search:
        stmt = stmt.where(or_(contains(QrCampaign.name, search), contains(QrCampaign.code, search)))
    return stmt.order_by(QrCampaign.created_at.desc(), QrCampaign.id.desc())


async def campaign(db: AsyncSession, station_id: int, campaign_id: int) -> QrCampaign | None:
    return await db.scalar(
        scoped(select(QrCampaign), QrCampaign, station_id).where(QrCampaign.id == campaign_id)
    )


async def campaign_by_code(db: AsyncSession, code: str) -> QrCampaign | None:
    """The code is printed on paper and names its station itself."""
    return await db.scalar(select(QrCampaign).where(QrCampaign.code == code))


async def code_taken(db: AsyncSession, code: str) -> bool:
    return await db.scalar(select(QrCampaign.id).where(QrCampaign.code == code)) is not None


async def scan_counts(
    db: AsyncSession, station_id: int, campaign_ids: list[int]
) -> dict[int, tuple[int, datetime | None]]:
    """(scans, last scan) per campaign, for one page of campaigns, in one grouped query."""
    if not campaign_ids:
        return {}
    rows = await db.execute(
        scoped(
            select(QrScan.campaign_id, func.count(QrScan.id), func.max(QrScan.scanned_at)),
            QrScan,
            station_id,
        )
        .where(QrScan.campaign_id.in_(campaign_ids))
        .group_by(QrScan.campaign_id)
    )
    return {campaign_id: (count, last) for campaign_id, count, last in rows.all()}


def _scans(station_id: int, campaign_id: int, start: When, end: When) -> Any:
    """The WHERE of one campaign's scans in [start, end)."""
    conditions = [in_tenant(QrScan, station_id), QrScan.campaign_id == campaign_id]
    if start is not None:
        conditions.append(QrScan.scanned_at >= start)
    if end is not None:
        conditions.append(QrScan.scanned_at < end)
    return conditions


async def scan_totals(
    db: AsyncSession,
    station_id: int,
    campaign_id: int,
    start: When,
    end: When,
) -> tuple[int, int, datetime | None]:
    row = (
        await db.execute(
            select(
                func.count(QrScan.id),
                func.count(QrScan.visitor_hash.distinct()),
                func.max(QrScan.scanned_at),
            ).where(*_scans(station_id, campaign_id, start, end))
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0), row[2]


async def scans_by_day(
    db: AsyncSession,
    station_id: int,
    campaign_id: int,
    start: When,
    end: When,
    timezone: str,
) -> list[tuple[date, int, int]]:
    day = local_day(QrScan.scanned_at, timezone).label("day")
    rows = await db.execute(
        select(day, func.count(QrScan.id), func.count(QrScan.visitor_hash.distinct()))
        .where(*_scans(station_id, campaign_id, start, end))
        .group_by(day)
        .order_by(day)
    )
    return [(_day(d), int(n), int(u)) for d, n, u in rows.all()]


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


async def scans_by_device(
    db: AsyncSession,
    station_id: int,
    campaign_id: int,
    start: When,
    end: When,
) -> dict[str, int]:
    rows = await db.execute(
        select(QrScan.device_type, func.count(QrScan.id))
        .where(*_scans(station_id, campaign_id, start, end))
        .group_by(QrScan.device_type)
    )
    return {device: int(n) for device, n in rows.all()}


async def top_referrers(
    db: AsyncSession,
    station_id: int,
    campaign_id: int,
    start: When,
    end: When,
    limit: int = 10,
) -> list[tuple[str, int]]:
    scans = func.count(QrScan.id).label("scans")
    rows = await db.execute(
        select(QrScan.referrer, scans)
        .where(*_scans(station_id, campaign_id, start, end), QrScan.referrer.is_not(None))
        .group_by(QrScan.referrer)
        .order_by(scans.desc(), QrScan.referrer)
        .limit(limit)
    )
    return [(str(referrer), int(n)) for referrer, n in rows.all()]
