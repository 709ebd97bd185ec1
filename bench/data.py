"""Databases at scale: create, migrate and bulk-load one for an app, with a progress bar.

A loaded database is kept under ``bench/.data`` (SQLite) or as
``trident_bench_<app>_<rows>`` (PostgreSQL) and reused by later runs with the same
row count and schema revision (``--fresh`` reloads anyway): a million rows take minutes.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from types import ModuleType

from alembic.script import ScriptDirectory
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.reliability.server import create_pg_database, is_postgres, sqlite_url, with_database

from trident.apps.registry import get_app
from trident.core.db.migrations import alembic_config, upgrade_async

CACHE = Path(__file__).parent / ".data"


def workload(app: str) -> ModuleType:
    return importlib.import_module(f"bench.{app}")


def database_url(app: str, rows: int, postgres_url: str | None) -> str:
    if postgres_url:
        return with_database(postgres_url, f"trident_bench_{app}_{rows}")
    CACHE.mkdir(exist_ok=True)
    return sqlite_url(CACHE / f"{app}-{rows}.db")


def _schema_head(app: str, url: str) -> str:
    config = alembic_config(get_app(app).migrations_dir, url)
    return str(ScriptDirectory.from_config(config).get_current_head())


async def _loaded(url: str) -> tuple[int, str] | None:
    """What a previous load recorded (rows, schema revision), or None."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT rows, revision FROM bench_loaded"))).one()
            return int(row[0]), str(row[1])
    except Exception:
        return None
    finally:
        await engine.dispose()


async def prepare(app: str, rows: int, postgres_url: str | None = None) -> str:
    """The URL of a migrated database holding ``rows`` rows per main table."""
    url = database_url(app, rows, postgres_url)
    head = _schema_head(app, url)
    if await _loaded(url) == (rows, head):
        return url
    if is_postgres(url):
        await create_pg_database(url)
    else:
        await asyncio.to_thread(Path(url.split("///", 1)[1]).unlink, missing_ok=True)
    await upgrade_async(get_app(app).migrations_dir, url)
    module = workload(app)
    engine = create_async_engine(url)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    try:
        with Progress(*columns, TimeElapsedColumn()) as progress:
            task = progress.add_task(f"{app}: loading {rows:,} rows", total=module.total_rows(rows))

            def advance(table: str, count: int) -> None:
                progress.update(task, advance=count, description=f"{app}: {table}")

            async with engine.begin() as conn:
                await module.load(conn, rows, advance)
                await conn.execute(
                    text("CREATE TABLE bench_loaded (rows INTEGER NOT NULL, revision TEXT)")
                )
                await conn.execute(
                    text("INSERT INTO bench_loaded VALUES (:rows, :revision)"),
                    {"rows": rows, "revision": head},
                )
    finally:
        await engine.dispose()
    return url


async def reset_writes(app: str, url: str) -> None:
    """Undo what earlier runs' write scenarios left in a reused database, when the
    app's workload says how (hibachi: the writer station's bookings)."""
    module = workload(app)
    if not hasattr(module, "reset_writes"):
        return
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await module.reset_writes(conn)
    finally:
        await engine.dispose()
