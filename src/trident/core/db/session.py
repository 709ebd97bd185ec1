"""The unit of work: the request (or the job) owns the transaction.

Services only ``flush()``.  The unit of work commits on success (a read-only one
just closes) and rolls back on error; work registered with :func:`after_commit`
(jobs, local webhook delivery) runs only once the commit succeeded and is dropped on
rollback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from trident.core.db.engine import Database
from trident.core.errors import AppError

log = logging.getLogger("trident.db")

AFTER_COMMIT = "trident.after_commit"
AfterCommit = Callable[[], Awaitable[Any]]


FLUSHED = "trident.flushed"


@event.listens_for(Session, "after_flush")
def _mark_flushed(session: Session, _flush_context: Any) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[FLUSHED] = True


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` after this session's transaction commits; never if it rolls back."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


@asynccontextmanager
async def unit_of_work(
    db: Database, *, write: bool = True, info: dict[str, Any] | None = None
) -> AsyncIterator[AsyncSession]:
    session = db.session(write=write)
    if info:
        session.info.update(info)
    committed = False
    try:
        try:
            yield session
        except AppError as exc:
            if exc.commit:
                await session.commit()
                committed = True
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise
        else:
            if write:
                await session.commit()
            elif session.info.get(FLUSHED) or session.new or session.dirty or session.deleted:
                # a GET that writes would lose its write here: fail loudly instead
                await session.rollback()
                raise RuntimeError("a read-only unit of work changed rows; use write=True")
            # A read session has nothing to commit: closing it ends its transaction
            # (the pool rolls the connection back), so a GET skips the commit's flush
            # and events.  Its after-commit work (a job it queued) still runs.
            committed = True
    finally:
        callbacks: list[AfterCommit] = session.info.pop(AFTER_COMMIT, [])
        await session.close()
        if committed:
            for callback in callbacks:
                try:
                    await callback()
                except Exception:
                    # The write is durable; a failed follow-up must not turn it into an error.
                    log.exception("after-commit callback failed")
