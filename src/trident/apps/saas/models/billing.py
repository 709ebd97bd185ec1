from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.saas.db import Base
from trident.core.db.base import TimestampMixin, UTCDateTime
from trident.core.idempotency import IdempotencyRecordMixin
from trident.core.payments.events import WebhookEventMixin
from trident.core.payments.local import LocalPaymentObjectMixin


class Subscription(TimestampMixin, Base):
    """One per org; every org starts on FREE."""

    __tablename__ = "subscriptions"
    __tenant_column__ = "org_id"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("orgs.id", ondelete="CASCADE"), unique=True, nullable=False
    )
    plan: Mapped[str] = mapped_column(String(16), nullable=False, default="FREE")
    status: Mapped[str] = mapped_column(String(32), nullable=False, default="active")
    provider: Mapped[str | None] = mapped_column(String(16), nullable=True)
    provider_subscription_id: Mapped[str | None] = mapped_column(
        String(64), unique=True, nullable=True
    )
    current_period_start: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    #: time of the newest provider event applied; older events arriving late are ignored
    last_event_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WebhookEvent(WebhookEventMixin, Base):
    __tablename__ = "webhook_events"


class LocalPaymentObject(LocalPaymentObjectMixin, Base):
    __tablename__ = "local_payment_objects"


class IdempotencyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_records"
