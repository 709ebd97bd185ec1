"""Shared test fixtures: which backend this run uses, and per-app databases.

``TRIDENT_TEST_BACKEND=sqlite`` (default) uses a SQLite file per app; ``postgres``
uses ``TEST_DATABASE_URL`` (a database per app is created) and ``TEST_REDIS_URL``.
Each app's database is migrated once per run with Alembic; tests clean their rows.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from trident.core.clock import BusinessClock
from trident.core.db.migrations import upgrade_async

BACKEND = os.environ.get("TRIDENT_TEST_BACKEND", "sqlite")
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")

if BACKEND == "postgres" and not TEST_DATABASE_URL:
    raise RuntimeError("TRIDENT_TEST_BACKEND=postgres needs TEST_DATABASE_URL")


def redis_url() -> str:
    """TEST_REDIS_URL, on a Redis database of this xdist worker's own (every test
    flushes it): worker gw0 takes the URL's database, gw1 the one below, and so on."""
    if BACKEND != "postgres":
        return ""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw")) if worker.removeprefix("gw").isdigit() else 0
    url = urlsplit(TEST_REDIS_URL)
    database = int(url.path.strip("/") or 0)
    return urlunsplit(url._replace(path=f"/{(database - index) % 16}"))


async def _create_pg_database(name: str) -> str:
    base = TEST_DATABASE_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    prefix, _, _old = TEST_DATABASE_URL.rpartition("/")
    return f"{prefix}/{name}"


async def migrated_database(app: str, migrations_dir: Path, tmp: Path) -> str:
    if BACKEND == "postgres":
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        url = await _create_pg_database(f"trident_test_{app}_{worker}")
    else:
        url = f"sqlite+aiosqlite:///{tmp / (app + '.db')}"
    await upgrade_async(migrations_dir, url)
    return url


async def wipe(url: str, metadata: MetaData) -> None:
    """Delete every row so the next test starts empty (schema stays migrated)."""
    engine = create_async_engine(url, poolclass=NullPool)
    tables = [t.name for t in metadata.sorted_tables]
    async with engine.begin() as conn:
        if url.startswith("postgresql"):
            names = ", ".join(f'"{t}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                await conn.execute(text(f'DELETE FROM "{table}"'))
    await engine.dispose()


async def flush_redis() -> None:
    if redis_url():
        client = Redis.from_url(redis_url())
        await client.flushdb()
        await client.aclose()


@pytest.fixture
def clock(app: Any) -> BusinessClock:
    """The app's own clock: tests read "now" and "today" where the app does."""
    return app.state.runtime.clock  # type: ignore[no-any-return]


@pytest.fixture
def today(clock: BusinessClock) -> date:
    """The business day in the app's time zone, now."""
    return clock.today()


@pytest.fixture(autouse=True)
async def _clean_redis() -> AsyncIterator[None]:
    await flush_redis()
    yield
