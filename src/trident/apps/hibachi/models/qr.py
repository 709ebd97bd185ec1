from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.clock import utcnow
from trident.core.db.base import TimestampMixin, UTCDateTime


class QrCampaign(TimestampMixin, Base):
    """A printed QR code: scanning it counts and sends the phone to ``target_url``."""

    __tablename__ = "qr_campaigns"
    __tenant_column__ = "station_id"
    __table_args__ = (Index("ix_qr_campaigns_station_id_created_at", "station_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    target_url: Mapped[str] = mapped_column(String(1000), nullable=False)
    utm: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class QrScan(Base):
    __tablename__ = "qr_scans"
    __tenant_column__ = "station_id"
    __table_args__ = (Index("ix_qr_scans_campaign_id_scanned_at", "campaign_id", "scanned_at"),)
    __audit__ = False  # anonymous and high-volume; the scan row is its own record

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("qr_campaigns.id", ondelete="CASCADE"), nullable=False
    )
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    #: a keyed hash of client address + user agent + day: counts unique visitors
    #: without keeping who they are
    visitor_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    device_type: Mapped[str] = mapped_column(String(16), nullable=False)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)
    referrer: Mapped[str | None] = mapped_column(String(500), nullable=True)
