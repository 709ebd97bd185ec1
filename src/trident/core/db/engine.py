"""Engine and session factories for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from trident.core.db.functions import SQLITE_LOCAL_DATE, sqlite_local_date
from trident.core.db.sqlite_inline import inline_url


class Database:
    """One app's engine, plus a read and a write session factory.

    On SQLite a writing transaction starts with ``BEGIN IMMEDIATE``: two deferred
    transactions that both read and then write would otherwise deadlock and one
    would fail at once with ``database is locked`` instead of waiting its turn.
    Reads stay deferred so they run concurrently with a writer (WAL).
    """

    def __init__(self, url: str, *, pool_size: int = 10, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        engine_url: str | URL = url
        if self.is_sqlite:
            _ensure_sqlite_dir(url)
            if ":memory:" in url or url.endswith("://"):
                raise ValueError("use a SQLite file; an in-memory database is not shared")
            # statements run on the loop; lock waits are asynchronous (see sqlite_inline)
            engine_url = inline_url(url)
        else:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
            if url.startswith("postgresql+asyncpg"):
                # A statement that hangs must not hold a worker forever.
                kwargs["connect_args"] = {
                    "command_timeout": 30,
                    "timeout": 10,
                    # Dates grouped in SQL (usage by day) must be UTC days.
                    "server_settings": {"timezone": "UTC"},
                }
        self.engine: AsyncEngine = create_async_engine(engine_url, **kwargs)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            write_bind = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        else:
            write_bind = self.engine
        self.read_sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = async_sessionmaker(write_bind, expire_on_commit=False)

    def session(self, *, write: bool = True) -> AsyncSession:
        return (self.write_sessions if write else self.read_sessions)()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # no blocking wait: a busy statement is retried asynchronously (sqlite_inline)
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()
        dbapi_connection.create_function(
            SQLITE_LOCAL_DATE, 2, sqlite_local_date, deterministic=True
        )

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def null_pool_engine(url: str) -> AsyncEngine:
    """An engine for one-off work (migrations, CLI) that keeps no connections."""
    return create_async_engine(url, poolclass=NullPool)
