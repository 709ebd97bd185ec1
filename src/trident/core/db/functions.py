"""SQL functions the core adds, compiled for each backend."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from trident.core.clock import zone

#: the name of the Python function every SQLite connection registers for local_day
SQLITE_LOCAL_DATE = "trident_local_date"


class local_day(GenericFunction[Any]):
    """``local_day(timestamp, 'America/Los_Angeles')``: the business day a UTC timestamp
    falls on in that zone, so "scans per day" follow the business's calendar (with its
    daylight-saving changes), not UTC's."""

    type = Date()
    inherit_cache = True


@compiles(local_day, "postgresql")
def _local_day_postgresql(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column, timezone = list(element.clauses)
    return (
        f"CAST(({compiler.process(column, **kw)}) AT TIME ZONE "
        f"{compiler.process(timezone, **kw)} AS DATE)"
    )


@compiles(local_day, "sqlite")
def _local_day_sqlite(element: local_day, compiler: SQLCompiler, **kw: Any) -> str:
    column, timezone = list(element.clauses)
    return (
        f"{SQLITE_LOCAL_DATE}({compiler.process(column, **kw)}, {compiler.process(timezone, **kw)})"
    )


def sqlite_local_date(stored: str | None, timezone: str | None) -> str | None:
    """The SQLite side of :class:`local_day` (UTC timestamps are stored as naive text)."""
    if stored is None or timezone is None:
        return None
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return instant.astimezone(zone(timezone)).date().isoformat()


def in_period(column: Any, since: datetime | None, until: datetime | None) -> list[Any]:
    """The conditions of ``since <= column < until``; a None bound is no condition
    (a :class:`~trident.core.dates.DateRange` gives open ends as None)."""
    conditions = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column < until)
    return conditions


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text``, any case, literally: a ``%`` or ``_`` the user
    types matches itself, not "anything" (every search box of every app uses this)."""
    return func.lower(column).like(f"%{_escape_like(text.lower())}%", escape="\\")


def starts_with(column: Any, text: str) -> ColumnElement[bool]:
    """``column`` begins with ``text`` literally (case as stored)."""
    return column.like(f"{_escape_like(text)}%", escape="\\")
