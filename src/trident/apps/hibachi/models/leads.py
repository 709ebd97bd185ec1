from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.db.base import CreatedAtMixin, TimestampMixin, UTCDateTime


class Lead(TimestampMixin, Base):
    """A prospect: a quote request, an inquiry, a social conversation."""

    __tablename__ = "leads"
    __tenant_column__ = "station_id"
    __table_args__ = (
        Index("ix_leads_station_id_created_at", "station_id", "created_at"),
        Index("ix_leads_station_id_status_created_at", "station_id", "status", "created_at"),
        Index("ix_leads_station_id_source_created_at", "station_id", "source", "created_at"),
        Index("ix_leads_station_id_assigned_to_id", "station_id", "assigned_to_id"),
        Index("ix_leads_station_id_score", "station_id", "score"),
        # the list's other sorts
        Index("ix_leads_station_id_event_date", "station_id", "event_date"),
        Index("ix_leads_station_id_name", "station_id", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    guest_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    event_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    event_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    budget_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, nullable=False, default=dict)
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True
    )
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LeadEvent(CreatedAtMixin, Base):
    """Something that happened with a lead: a call, an email, a note, a status change."""

    __tablename__ = "lead_events"
    __tenant_column__ = "station_id"
    __table_args__ = (Index("ix_lead_events_lead_id_created_at", "lead_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), nullable=False)
    event_type: Mapped[str] = mapped_column(String(32), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class SocialThread(TimestampMixin, Base):
    """A conversation on a social platform, linked to the lead it produced."""

    __tablename__ = "social_threads"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "platform", "external_thread_id"),
        Index(
            "ix_social_threads_station_id_status_last_message_at",
            "station_id",
            "status",
            "last_message_at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    platform: Mapped[str] = mapped_column(String(32), nullable=False)
    external_thread_id: Mapped[str] = mapped_column(String(200), nullable=False)
    handle: Mapped[str | None] = mapped_column(String(100), nullable=True)
    display_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # open | closed
    last_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), nullable=True
    )
