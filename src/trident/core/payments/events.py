"""Each provider event is handled once: its id is claimed in the handler's transaction.

``record_event`` inserts the event with ON CONFLICT DO NOTHING; a repeat (Stripe
retries, a replayed delivery) finds the id taken and changes nothing.  The claim
commits with the handler's writes, so a failed handler leaves the id free for
the provider's retry.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime
from trident.core.idempotency import dialect_insert
from trident.core.payments.signature import verify_signature


class WebhookEventMixin:
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


async def record_event(
    session: AsyncSession, model: type[Any], event: dict[str, Any], payload: bytes
) -> bool:
    """Claim ``event``; False when this event id was already handled."""
    insert = dialect_insert(session)
    claimed = await session.execute(
        insert(model)
        .values(
            event_id=str(event["id"]),
            type=str(event["type"])[:100],
            payload=payload.decode("utf-8", "replace") or json.dumps(event),
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(model.event_id)
    )
    return claimed.scalar_one_or_none() is not None


async def mark_processed(session: AsyncSession, model: type[Any], event_id: str) -> None:
    await session.execute(
        update(model).where(model.event_id == event_id).values(processed_at=utcnow())
    )


@dataclass(frozen=True, slots=True)
class WebhookOutcome:
    event_id: str
    type: str
    duplicate: bool
    #: what the app's handler did ("duplicate" for a repeat, "ignored" for no handler)
    outcome: str


EventHandler = Callable[[dict[str, Any]], Awaitable[str]]


async def apply_webhook(
    session: AsyncSession,
    model: type[Any],
    payload: bytes,
    signature: str | None,
    secret: str,
    handlers: Mapping[str, EventHandler],
) -> WebhookOutcome:
    """Verify a provider event (``WebhookSignatureError`` if forged or stale), claim its
    id, and run the handler of its type once; a repeat changes nothing."""
    event = verify_signature(payload, signature, secret)
    event_id, event_type = str(event["id"]), str(event["type"])
    if not await record_event(session, model, event, payload):
        return WebhookOutcome(event_id, event_type, duplicate=True, outcome="duplicate")
    handler = handlers.get(event_type)
    outcome = await handler(event) if handler is not None else "ignored"
    await mark_processed(session, model, event_id)
    return WebhookOutcome(event_id, event_type, duplicate=False, outcome=outcome)
