"""``Idempotency-Key`` for POSTs that move money: the first response is stored and
replayed; the same key with a different body is refused.

The key is claimed with INSERT .. ON CONFLICT DO NOTHING inside the request's own
transaction and the response is stored in that same transaction, so the claim
and the work commit or vanish together.  A concurrent request with the same key
waits on the claim (PostgreSQL blocks on the unique index; SQLite's write
transactions are serialised) and then replays the stored response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime
from trident.core.errors import Unprocessable

KEY_TTL = timedelta(hours=24)
REPLAY_HEADER = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Makes the POST safe to retry: the same key replays the first response.",
    ),
]


class IdempotencyRecordMixin:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), nullable=False)
    key: Mapped[str] = mapped_column(String(255), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (UniqueConstraint("scope", "key", name=f"uq_{name}_scope_key"),)


def fingerprint_of(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def dialect_insert(session: AsyncSession) -> Any:
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` on both backends."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert
    return sqlite.insert


async def idempotent(
    session: AsyncSession,
    model: type[Any],
    *,
    scope: str,
    key: str | None,
    fingerprint: str,
    run: Callable[[], Awaitable[BaseModel]],
    status_code: int = 200,
) -> Any:
    """Run ``run`` once per (scope, key); later calls replay its JSON response."""
    if key is None:
        return await run()
    insert = dialect_insert(session)
    # An expired record frees its key, as Stripe's keys expire after 24 hours.
    await session.execute(
        delete(model).where(
            model.scope == scope, model.key == key, model.created_at < utcnow() - KEY_TTL
        )
    )
    claimed = await session.execute(
        insert(model)
        .values(scope=scope, key=key, fingerprint=fingerprint, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(model.id)
    )
    record_id = claimed.scalar_one_or_none()
    if record_id is None:
        record = await session.scalar(select(model).where(model.scope == scope, model.key == key))
        if record is None or record.status_code is None:
            # The other transaction rolled back between our insert and our read.
            raise Unprocessable(
                "A request with this Idempotency-Key did not complete; retry it.",
                code="idempotency_key_retry",
                status_code=409,
            )
        if record.fingerprint != fingerprint:
            raise Unprocessable(
                "This Idempotency-Key was already used with a different request.",
                code="idempotency_key_reused",
            )
        return JSONResponse(
            json.loads(record.response_body),
            status_code=record.status_code,
            headers={REPLAY_HEADER: "true"},
        )
    result = await run()
    body = result.model_dump(mode="json")
    record = await session.get(model, record_id)
    assert record is not None
    record.status_code = status_code
    record.response_body = json.dumps(body)
    await session.flush()
    return JSONResponse(body, status_code=status_code, headers={REPLAY_HEADER: "false"})
