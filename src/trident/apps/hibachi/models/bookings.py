from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.db.base import TimestampMixin, UTCDateTime


class BookingStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


#: a booking in any other status holds its slot
SLOT_HOLDING = "status <> 'cancelled'"


class Booking(TimestampMixin, Base):
    __tablename__ = "bookings"
    __tenant_column__ = "station_id"
    __table_args__ = (
        # The database, not a check-then-insert, keeps a slot to one booking: of two
        # requests for the same slot at the same instant, the second insert fails.
        Index(
            "uq_bookings_active_slot",
            "station_id",
            "event_date",
            "slot_time",
            unique=True,
            sqlite_where=text(SLOT_HOLDING),
            postgresql_where=text(SLOT_HOLDING),
        ),
        # the list's default order (date, time, id) walks this index, deep pages included
        Index(
            "ix_bookings_station_id_event_date_event_time_id",
            "station_id",
            "event_date",
            "event_time",
            "id",
        ),
        Index("ix_bookings_station_id_status_event_date", "station_id", "status", "event_date"),
        Index("ix_bookings_station_id_created_at", "station_id", "created_at"),
        Index("ix_bookings_customer_id_event_date", "customer_id", "event_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    #: BK-YYYY-NNNNN: the year it was made and the id
    reference_number: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    event_date: Mapped[date] = mapped_column(Date, nullable=False)
    event_time: Mapped[time] = mapped_column(Time, nullable=False)
    #: the start ("HH:MM") of the station slot the event time falls in
    slot_time: Mapped[str] = mapped_column(String(5), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    guest_count: Mapped[int] = mapped_column(Integer, nullable=False)
    menu_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    event_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    location: Mapped[str] = mapped_column(String(300), nullable=False)
    address: Mapped[str | None] = mapped_column(String(200), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    state: Mapped[str | None] = mapped_column(String(50), nullable=True)
    zip_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    #: priced lines and dish choices as booked (prices frozen at booking time)
    menu_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    special_requests: Mapped[str | None] = mapped_column(Text, nullable=True)
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    coupon_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    subtotal_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    discount_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    service_fee_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    total_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    deposit_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_paid_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancellation_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), nullable=True
    )


class WaitlistEntry(TimestampMixin, Base):
    """Someone who wants a date that is taken (or not yet open)."""

    __tablename__ = "waitlist_entries"
    __tenant_column__ = "station_id"
    __table_args__ = (
        Index(
            "ix_waitlist_entries_station_id_status_preferred_date",
            "station_id",
            "status",
            "preferred_date",
        ),
        Index("ix_waitlist_entries_station_id_created_at", "station_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    preferred_date: Mapped[date] = mapped_column(Date, nullable=False)
    preferred_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    guest_count: Mapped[int] = mapped_column(Integer, nullable=False)
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    state: Mapped[str | None] = mapped_column(String(50), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # waiting|converted|cancelled
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True
    )
