"""Alembic, driven from code: one history per app, each in ``apps/<app>/migrations``.

An app's ``env.py`` is two lines: import its metadata and call :func:`run_env`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from trident.core.db.engine import _ensure_sqlite_dir


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option(
        "file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d_%%(slug)s"
    )
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    if database_url.startswith("sqlite"):
        _ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(migrations_dir, database_url), revision)


async def upgrade_async(migrations_dir: Path, database_url: str, revision: str = "head") -> None:
    # Alembic's env runs its own event loop; keep it off the caller's.
    await asyncio.to_thread(upgrade, migrations_dir, database_url, revision)


def revision(migrations_dir: Path, database_url: str, message: str) -> None:
    """Autogenerate a migration (developer command)."""
    command.revision(
        alembic_config(migrations_dir, database_url), message=message, autogenerate=True
    )


def _do_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, metadata)
    await engine.dispose()


def run_env(metadata: MetaData) -> None:
    """Body of every app's ``env.py``."""
    cfg: Any = context.config
    url = cfg.attributes.get("database_url") or cfg.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_async(url, metadata))
