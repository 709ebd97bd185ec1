"""QR campaigns: printed codes that count their scans and send the phone on.

A scan is recorded without keeping who scanned: the visitor is a keyed hash of the
client address, the user agent and the UTC day, so unique visitors can be counted
per day and nobody can be followed from one day to the next.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fastapi import Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.models import QrCampaign, QrScan
from trident.apps.hibachi.qr import repository
from trident.apps.hibachi.qr.schemas import (
    DEVICE_TYPES,
    DayScans,
    QrAnalytics,
    QrCampaignCreate,
    QrCampaignOut,
    QrCampaignUpdate,
    ReferrerScans,
)
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.dates import date_range
from trident.core.errors import NotFound, Unprocessable
from trident.core.ratelimit import client_ip
from trident.core.security.totp import qr_png_data_url

#: no 0/O, 1/I/L: a code a person may have to read aloud or type
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_TRIES = 8
CODE_RE = re.compile(r"^[A-Za-z0-9]{4,32}$")
UTM_KEYS = ("source", "medium", "campaign", "term", "content")


# -- pure helpers -------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def tracking_url(base: str, code: str) -> str:
    return f"{base}/api/qr/track/{code}"


def with_utm(url: str, utm: dict[str, Any] | None) -> str:
    """``url`` with ``utm_*`` parameters appended (those it already has are kept)."""
    if not utm:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in query}
    added = [
        (f"utm_{key}", str(utm[key]))
        for key in UTM_KEYS
        if utm.get(key) and f"utm_{key}" not in present
    ]
    if not added:
        return url
    extra = urlencode(added)
    new_query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, new_query, parts.fragment))


BOT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|embedly|preview|curl|wget|python|httpx|"
    r"go-http-client|java/|okhttp|headless|lighthouse|monitor",
    re.IGNORECASE,
)
TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|nexus (7|9|10)|sm-t\d", re.IGNORECASE)
MOBILE = re.compile(
    r"mobi|iphone|ipod|windows phone|blackberry|bb10|opera mini|android", re.IGNORECASE
)
DESKTOP = re.compile(r"windows nt|macintosh|mac os x|x11|linux|cros", re.IGNORECASE)


def device_type(user_agent: str | None) -> str:
    """mobile | tablet | desktop | bot | unknown, from a User-Agent header."""
    if not user_agent or not user_agent.strip():
        return "unknown"
    if BOT.search(user_agent):
        return "bot"
    if TABLET.search(user_agent):
        return "tablet"
    if MOBILE.search(user_agent):
        # Android without "Mobile" is a tablet (Google's advice to tablet makers)
        if re.search(r"android", user_agent, re.IGNORECASE) and not re.search(
            r"mobi", user_agent, re.IGNORECASE
        ):
            return "tablet"
        return "mobile"
    if DESKTOP.search(user_agent):
        return "desktop"
    return "unknown"


def visitor_hash(secret: str, ip: str, user_agent: str, day: date) -> str:
    message = f"qr-visitor\n{ip}\n{user_agent}\n{day.isoformat()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# -- output -------------------------------------------------------------------------


def campaign_out(
    base: str,
    campaign: QrCampaign,
    scans: tuple[int, datetime | None] = (0, None),
    *,
    with_image: bool = False,
) -> QrCampaignOut:
    url = tracking_url(base, campaign.code)
    return QrCampaignOut(
        id=campaign.id,
        code=campaign.code,
        name=campaign.name,
        description=campaign.description,
        target_url=campaign.target_url,
        utm=campaign.utm or {},
        is_active=campaign.is_active,
        expires_at=campaign.expires_at,
        tracking_url=url,
        qr_code=qr_png_data_url(url) if with_image else None,
        scans_count=scans[0],
        last_scan_at=scans[1],
        created_by_id=campaign.created_by_id,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
    )


async def campaigns_out(
    base: str, db: AsyncSession, station_id: int, campaigns: list[QrCampaign]
) -> list[QrCampaignOut]:
    counts = await repository.scan_counts(db, station_id, [c.id for c in campaigns])
    return [campaign_out(base, c, counts.get(c.id, (0, None))) for c in campaigns]


async def _one_out(base: str, db: AsyncSession, campaign: QrCampaign) -> QrCampaignOut:
    counts = await repository.scan_counts(db, campaign.station_id, [campaign.id])
    return campaign_out(base, campaign, counts.get(campaign.id, (0, None)), with_image=True)


# -- campaigns ----------------------------------------------------------------------


async def campaign_of(db: AsyncSession, caller: Caller, campaign_id: int) -> QrCampaign:
    campaign = await repository.campaign(db, caller.station_id, campaign_id)
    if campaign is None:
        raise NotFound(f"QR campaign {campaign_id} was not found.", code="qr_campaign_not_found")
    return campaign


def _future(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= utcnow():
        raise Unprocessable(
            "expires_at must be in the future.", details={"expires_at": "must be in the future"}
        )


async def create_campaign(
    base: str, db: AsyncSession, caller: Caller, body: QrCampaignCreate
) -> QrCampaignOut:
    _future(body.expires_at)
    for _ in range(CODE_TRIES):
        code = new_code()
        if await repository.code_taken(db, code):
            continue
        campaign = QrCampaign(
            station_id=caller.station_id,
            code=code,
            name=body.name,
            description=body.description,
            target_url=body.target_url,
            utm=body.utm.model_dump(exclude_none=True) if body.utm else {},
            is_active=True,
            expires_at=body.expires_at,
            created_by_id=caller.user_id,
        )
        try:
            async with db.begin_nested():  # a code taken at the same instant: try another
                db.add(campaign)
                await db.flush()
        except IntegrityError:
            continue
        return campaign_out(base, campaign, with_image=True)
    raise RuntimeError("no free QR code after several tries")  # 31^8 codes: not expected


async def get_campaign(
    base: str, db: AsyncSession, caller: Caller, campaign_id: int
) -> QrCampaignOut:
    return await _one_out(base, db, await campaign_of(db, caller, campaign_id))


async def update_campaign(
    base: str, db: AsyncSession, caller: Caller, campaign_id: int, body: QrCampaignUpdate
) -> QrCampaignOut:
    campaign = await campaign_of(db, caller, campaign_id)
    fields = body.model_dump(exclude_unset=True)
    for name in ("name", "target_url", "is_active"):
        if fields.get(name) is not None:
            setattr(campaign, name, fields[name])
    if "description" in fields:
        campaign.description = fields["description"]
    if "utm" in fields:
        campaign.utm = body.utm.model_dump(exclude_none=True) if body.utm else {}
    if "expires_at" in fields:
        _future(body.expires_at)
        campaign.expires_at = body.expires_at
    await db.flush()
    return await _one_out(base, db, campaign)


async def deactivate_campaign(
    base: str, db: AsyncSession, caller: Caller, campaign_id: int
) -> QrCampaignOut:
    """Printed codes cannot be recalled: the campaign stays (with its scans) but its
    code stops answering."""
    campaign = await campaign_of(db, caller, campaign_id)
    campaign.is_active = False
    await db.flush()
    return await _one_out(base, db, campaign)


async def analytics(
    db: AsyncSession,
    caller: Caller,
    campaign_id: int,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QrAnalytics:
    campaign = await campaign_of(db, caller, campaign_id)
    timezone = caller.station.timezone
    start, end = date_range(date_from, date_to, timezone=timezone).bounds()
    station, cid = caller.station_id, campaign.id
    total, unique, last = await repository.scan_totals(db, station, cid, start, end)
    days = await repository.scans_by_day(db, station, cid, start, end, timezone)
    devices = await repository.scans_by_device(db, station, cid, start, end)
    referrers = await repository.top_referrers(db, station, cid, start, end)
    by_device = {name: 0 for name in DEVICE_TYPES}
    for name, count in devices.items():
        by_device[name] = by_device.get(name, 0) + count
    return QrAnalytics(
        campaign_id=cid,
        code=campaign.code,
        name=campaign.name,
        date_from=date_from,
        date_to=date_to,
        total_scans=total,
        unique_visitors=unique,
        last_scan_at=last,
        scans_by_day=[DayScans(date=d, scans=n, unique_visitors=u) for d, n, u in days],
        scans_by_device=by_device,
        top_referrers=[ReferrerScans(referrer=r, scans=n) for r, n in referrers],
    )


# -- scans --------------------------------------------------------------------------


async def record_scan(
    rt: HibachiRuntime, db: AsyncSession, code: str, request: Request
) -> tuple[QrCampaign, str]:
    """Count a scan of ``code``; returns the campaign and where to send the visitor.
    An unknown, inactive or expired code is not found."""
    campaign = None
    if CODE_RE.fullmatch(code):
        campaign = await repository.campaign_by_code(db, code.upper())
    now = utcnow()
    if (
        campaign is None
        or not campaign.is_active
        or (campaign.expires_at is not None and campaign.expires_at <= now)
    ):
        raise NotFound("This QR code is not active.", code="qr_code_not_found")
    user_agent = request.headers.get("user-agent") or ""
    referrer = request.headers.get("referer") or None
    db.add(
        QrScan(
            station_id=campaign.station_id,
            campaign_id=campaign.id,
            scanned_at=now,
            visitor_hash=visitor_hash(
                rt.api_key_secret, client_ip(request.scope), user_agent, now.date()
            ),
            device_type=device_type(user_agent),
            user_agent=user_agent[:255] or None,
            referrer=referrer[:500] if referrer else None,
        )
    )
    await db.flush()
    return campaign, with_utm(campaign.target_url, campaign.utm)
