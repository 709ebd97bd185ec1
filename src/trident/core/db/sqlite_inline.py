"""SQLite on the event loop's own thread, waiting for locks without blocking it.

Why: aiosqlite runs every call (cursor, execute, fetch, close) on a helper thread and
wakes the loop for each result.  A primary-key lookup costs 5 microseconds in
``sqlite3`` and 230 through aiosqlite, 500 through SQLAlchemy on top; a request of
three statements spent most of its time in those thread hops (``make bench-profile``).
Here SQLAlchemy's async engine drives the standard ``sqlite3`` module directly: a
statement runs inline, as the in-memory computation it is.

What could block is a lock: another connection (this process or another) holding
the write lock.  So connections use ``busy_timeout = 0`` and a statement that meets
``SQLITE_BUSY`` is retried after an *asynchronous* sleep, with backoff, for up to
``LOCK_TIMEOUT`` seconds; the loop keeps serving, and the holder gets to commit.
Only plain ``SQLITE_BUSY`` is retried: a stale read snapshot that tries to write
(``SQLITE_BUSY_SNAPSHOT``) would never succeed, so it fails at once (writers begin
with ``BEGIN IMMEDIATE`` and never meet it).

The app's runtime engine uses this dialect (``sqlite+trident_inline``); migrations and
one-off CLI work keep the configured ``sqlite+aiosqlite`` URL.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import AsyncAdaptedQueuePool, Pool
from sqlalchemy.util import await_

DRIVER = "trident_inline"
LOCK_TIMEOUT = 30.0
#: SQLITE_BUSY and SQLITE_BUSY_RECOVERY: the lock will be free again; retrying is safe
RETRYABLE = frozenset({5, 261})

T = TypeVar("T")


async def _done() -> None:
    return None


def _retrying(run: Callable[[], T]) -> T:
    # SQLAlchemy's AsyncConnection insists that a statement awaited something (it
    # guards against sync drivers by mistake); awaiting a finished coroutine costs two
    # greenlet switches and never yields to the loop
    await_(_done())
    waited, pause = 0.0, 0.001
    while True:
        try:
            return run()
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorcode", None) not in RETRYABLE or waited >= LOCK_TIMEOUT:
                raise
        # inside SQLAlchemy's greenlet: this suspends the request, not the loop
        await_(asyncio.sleep(pause))
        waited += pause
        pause = min(pause * 2, 0.05)


class RetryingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> RetryingCursor:
        _retrying(lambda: super(RetryingCursor, self).execute(sql, parameters))
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> RetryingCursor:
        rows = list(seq_of_parameters)  # a retry needs the parameters again
        _retrying(lambda: super(RetryingCursor, self).executemany(sql, rows))
        return self

    async def _async_soft_close(self) -> None:
        """What SQLAlchemy's AsyncConnection calls to buffer an async driver's rows;
        a sqlite3 cursor fetches synchronously, so there is nothing to do."""


class InlineConnection(sqlite3.Connection):
    def cursor(self, factory: Any = RetryingCursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[Pool]:
        return AsyncAdaptedQueuePool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        cparams.update(factory=InlineConnection, timeout=0, check_same_thread=False)
        return super().connect(*cargs, **cparams)


registry.register(f"sqlite.{DRIVER}", __name__, "InlineSQLiteDialect")


def inline_url(url: str) -> URL:
    """``url`` (any SQLite driver) served by this dialect."""
    return make_url(url).set(drivername=f"sqlite+{DRIVER}")
