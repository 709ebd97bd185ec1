from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.clock import utcnow
from trident.core.db.base import TimestampMixin, UTCDateTime


class PricingConfig(Base):
    """One station's pricing and calendar rules (see pricing/engine.py)."""

    __tablename__ = "pricing_configs"
    __tenant_column__ = "station_id"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    service_fee_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), nullable=False)
    deposit_type: Mapped[str] = mapped_column(String(8), nullable=False)  # fixed | percent
    deposit_value: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    minimum_order_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    min_guests: Mapped[int] = mapped_column(Integer, nullable=False)
    max_guests: Mapped[int] = mapped_column(Integer, nullable=False)
    #: start times of the bookable slots, "HH:MM", ascending
    slot_times: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    slot_duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    #: 0 = Monday ... 6 = Sunday
    closed_weekdays: Mapped[list[int]] = mapped_column(JSON, nullable=False)
    min_days_ahead: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class Menu(TimestampMixin, Base):
    """A per-guest menu ("adult", "kids", "premium")."""

    __tablename__ = "menus"
    __tenant_column__ = "station_id"
    __table_args__ = (UniqueConstraint("station_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    price_per_guest_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class MenuItem(TimestampMixin, Base):
    """A dish or upgrade priced per unit ("Hibachi Steak", 35.00)."""

    __tablename__ = "menu_items"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "name"),
        Index("ix_menu_items_station_id_category", "station_id", "category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    category: Mapped[str] = mapped_column(String(32), nullable=False)
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
