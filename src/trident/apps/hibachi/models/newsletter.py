from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.db.base import TimestampMixin, UTCDateTime


class Subscriber(TimestampMixin, Base):
    """A newsletter subscriber, by email, by phone (SMS), or both."""

    __tablename__ = "newsletter_subscribers"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "email"),
        UniqueConstraint("station_id", "phone"),
        Index(
            "ix_newsletter_subscribers_station_id_status_created_at",
            "station_id",
            "status",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # subscribed|unsubscribed
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    #: the secret in one-click unsubscribe links
    unsubscribe_token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    subscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Campaign(TimestampMixin, Base):
    __tablename__ = "newsletter_campaigns"
    __tenant_column__ = "station_id"
    __table_args__ = (
        Index(
            "ix_newsletter_campaigns_station_id_status_created_at",
            "station_id",
            "status",
            "created_at",
        ),
        # the periodic job's look-up of campaigns due, across stations
        Index("ix_newsletter_campaigns_status_scheduled_at", "status", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(300), nullable=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    channel: Mapped[str] = mapped_column(String(8), nullable=False)  # email | sms
    #: draft -> (scheduled ->) sending -> sent
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class CampaignDelivery(Base):
    """One campaign to one subscriber: sent, opened, clicked."""

    __tablename__ = "campaign_deliveries"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("campaign_id", "subscriber_id"),
        Index("ix_campaign_deliveries_campaign_id_status", "campaign_id", "status"),
    )
    __audit__ = False  # written by the thousand by the send job

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_campaigns.id", ondelete="CASCADE"), nullable=False
    )
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("newsletter_subscribers.id", ondelete="SET NULL"), nullable=True
    )
    channel: Mapped[str] = mapped_column(String(8), nullable=False)
    to_address: Mapped[str] = mapped_column(String(320), nullable=False)
    #: the secret in this delivery's open pixel and click links
    token: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # queued | sent | failed
    outbox_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    click_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
