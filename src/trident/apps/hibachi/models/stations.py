from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.db.base import TimestampMixin


class StationStatus(StrEnum):
    PENDING = "pending"  # registered, waiting for a super admin
    ACTIVE = "active"
    SUSPENDED = "suspended"
    DELETED = "deleted"  # soft-deleted: its bookings and payments stay on record


class Station(TimestampMixin, Base):
    """A business location: its own staff, customers, bookings, pricing and calendar."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    state: Mapped[str | None] = mapped_column(String(50), nullable=True)
    zip_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
