from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.audit import AuditLogMixin
from trident.core.db.base import CreatedAtMixin, TimestampMixin, UTCDateTime


class AuditLog(AuditLogMixin, Base):
    __tablename__ = "audit_logs"


class ErrorLog(CreatedAtMixin, Base):
    """An unhandled error, recorded by the app's error hook for someone to resolve."""

    __tablename__ = "error_logs"
    #: null for platform-wide errors (no station involved)
    __tenant_column__ = "station_id"
    __table_args__ = (
        Index("ix_error_logs_resolved_created_at", "resolved", "created_at"),
        Index("ix_error_logs_station_id_created_at", "station_id", "created_at"),
    )
    # audited: resolving or deleting an error is an admin's act worth a trail (the
    # error hook writes rows outside any request's audit record)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    method: Mapped[str] = mapped_column(String(8), nullable=False)
    path: Mapped[str] = mapped_column(String(500), nullable=False)
    status_code: Mapped[int] = mapped_column(Integer, nullable=False)
    level: Mapped[str] = mapped_column(String(16), nullable=False)
    error_type: Mapped[str] = mapped_column(String(200), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    traceback: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ip_address: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_agent: Mapped[str | None] = mapped_column(String(255), nullable=True)
    resolved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    resolution_notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class NotificationGroup(TimestampMixin, Base):
    """Who hears about which events (new booking, escalated review, ...) and how."""

    __tablename__ = "notification_groups"
    __tenant_column__ = "station_id"
    __table_args__ = (UniqueConstraint("station_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    event_types: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    channels: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    user_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    emails: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    phones: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
