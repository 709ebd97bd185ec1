"""QR campaign shapes: the campaign, a scan's answer, and the analytics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from trident.core.dates import Instant
from trident.core.text import DisplayText

DeviceType = Literal["mobile", "tablet", "desktop", "bot", "unknown"]
DEVICE_TYPES: tuple[str, ...] = ("mobile", "tablet", "desktop", "bot", "unknown")


def web_url(value: str) -> str:
    """An absolute http(s) address with a host, as given (not re-encoded)."""
    value = value.strip()
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain spaces or control characters")
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        raise ValueError("is not a valid URL") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("must be an http:// or https:// URL")
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        raise ValueError("must name a host (https://example.com/...)")
    if port == 0:
        raise ValueError("is not a valid URL")
    return value


WebUrl = Annotated[
    str,
    Field(min_length=8, max_length=1000, examples=["https://myhibachi.com/book?promo=SPRING"]),
    AfterValidator(web_url),
]
UtmValue = Annotated[DisplayText, Field(min_length=1, max_length=100)]


class UtmIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: UtmValue | None = None
    medium: UtmValue | None = None
    campaign: UtmValue | None = None
    term: UtmValue | None = None
    content: UtmValue | None = None


class QrCampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText = Field(min_length=1, max_length=200)
    target_url: WebUrl
    description: str | None = Field(default=None, max_length=2000)
    utm: UtmIn | None = None
    expires_at: Instant | None = None


class QrCampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText | None = Field(default=None, min_length=1, max_length=200)
    target_url: WebUrl | None = None
    description: str | None = Field(default=None, max_length=2000)
    utm: UtmIn | None = None
    is_active: bool | None = None
    expires_at: Instant | None = None


class QrCampaignOut(BaseModel):
    id: int
    code: str
    name: str
    description: str | None
    target_url: str
    utm: dict[str, Any]
    is_active: bool
    expires_at: dt.datetime | None
    tracking_url: str
    qr_code: str | None = Field(
        description="PNG data URL of the tracking URL (in a campaign's own answers, not lists)"
    )
    scans_count: int
    last_scan_at: dt.datetime | None
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ScanResult(BaseModel):
    success: bool = True
    target_url: str
    campaign_id: int


class DayScans(BaseModel):
    date: dt.date
    scans: int
    unique_visitors: int


class ReferrerScans(BaseModel):
    referrer: str
    scans: int


class QrAnalytics(BaseModel):
    campaign_id: int
    code: str
    name: str
    date_from: dt.date | None
    date_to: dt.date | None
    total_scans: int
    unique_visitors: int = Field(
        description="Distinct visitors per UTC day, summed (a visitor is not kept across days)"
    )
    last_scan_at: dt.datetime | None
    scans_by_day: list[DayScans]
    scans_by_device: dict[str, int]
    top_referrers: list[ReferrerScans]
