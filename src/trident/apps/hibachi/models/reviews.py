from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import Base
from trident.core.db.base import CreatedAtMixin, TimestampMixin, UTCDateTime


class Review(TimestampMixin, Base):
    """A customer's rating, written here or tracked from an outside site."""

    __tablename__ = "reviews"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "source", "external_id"),
        # one review per booking
        Index(
            "uq_reviews_booking_id",
            "booking_id",
            unique=True,
            sqlite_where=text("booking_id IS NOT NULL"),
            postgresql_where=text("booking_id IS NOT NULL"),
        ),
        Index("ix_reviews_station_id_status_created_at", "station_id", "status", "created_at"),
        Index("ix_reviews_station_id_escalated_at", "station_id", "escalated_at"),
        Index("ix_reviews_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True
    )
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True
    )
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    author_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    source: Mapped[str] = mapped_column(String(32), nullable=False)  # internal|google|yelp|...
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    external_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # published | hidden
    response: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: set when a low rating needs someone's attention; resolved_at closes it
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    resolution_notes: Mapped[str | None] = mapped_column(Text, nullable=True)


class Coupon(CreatedAtMixin, Base):
    __tablename__ = "coupons"
    __tenant_column__ = "station_id"
    __table_args__ = (
        UniqueConstraint("station_id", "code"),
        Index("ix_coupons_station_id_created_at", "station_id", "created_at"),
        Index("ix_coupons_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    description: Mapped[str | None] = mapped_column(String(300), nullable=True)
    discount_type: Mapped[str] = mapped_column(String(8), nullable=False)  # percent | fixed
    discount_value: Mapped[Decimal] = mapped_column(Numeric(10, 2), nullable=False)
    min_order_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    max_discount_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: only this customer may use it (a recovery coupon for a review)
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), nullable=True
    )
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    max_uses: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: counted with a conditional UPDATE so two redemptions cannot pass max_uses
    uses_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )


class CouponRedemption(CreatedAtMixin, Base):
    __tablename__ = "coupon_redemptions"
    __tenant_column__ = "station_id"
    # single use per customer, kept by the database
    __table_args__ = (UniqueConstraint("coupon_id", "customer_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    coupon_id: Mapped[int] = mapped_column(
        ForeignKey("coupons.id", ondelete="CASCADE"), nullable=False
    )
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True, index=True
    )
    discount_cents: Mapped[int] = mapped_column(Integer, nullable=False)
