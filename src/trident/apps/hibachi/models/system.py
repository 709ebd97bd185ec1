from __future__ import annotations

from trident.apps.hibachi.db import Base
from trident.core.idempotency import IdempotencyRecordMixin
from trident.core.jobs import FailedJobMixin
from trident.core.notify import OutboxMessageMixin


class FailedJob(FailedJobMixin, Base):
    __tablename__ = "failed_jobs"
    __audit__ = False


class OutboxMessage(OutboxMessageMixin, Base):
    __tablename__ = "outbox_messages"


class IdempotencyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_records"
    __audit__ = False
