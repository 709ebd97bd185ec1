from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import KEYRING, Base
from trident.core.db.base import TimestampMixin
from trident.core.security.fields import EncryptedText


class Customer(TimestampMixin, Base):
    """A person who books. Email and phone are encrypted at rest; their blind indexes
    (``email_hash``, ``phone_hash``) find a customer by exact email or phone."""

    __tablename__ = "customers"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "email_hash"),
        Index("ix_customers_station_id_phone_hash", "station_id", "phone_hash"),
        Index("ix_customers_station_id_name", "station_id", "name"),
        Index("ix_customers_station_id_created_at", "station_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    email: Mapped[str | None] = mapped_column(EncryptedText(KEYRING), nullable=True)
    email_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    phone: Mapped[str | None] = mapped_column(EncryptedText(KEYRING), nullable=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    address_street: Mapped[str | None] = mapped_column(String(200), nullable=True)
    address_city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    address_state: Mapped[str | None] = mapped_column(String(50), nullable=True)
    address_zip: Mapped[str | None] = mapped_column(String(10), nullable=True)
    dietary_restrictions: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str | None] = mapped_column(String(50), nullable=True)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
