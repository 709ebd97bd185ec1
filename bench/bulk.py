"""Filling tables fast: multi-row Core INSERTs in batches, never the ORM row by row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import MetaData, insert
from sqlalchemy.ext.asyncio import AsyncConnection

BATCH = 5_000

Rows = Iterator[dict[str, Any]]


def batched(rows: Rows) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def insert_all(
    conn: AsyncConnection,
    metadata: MetaData,
    steps: list[tuple[str, Rows]],
    progress: Callable[[str, int], None],
    *,
    without_sequence: Iterable[str] = (),
) -> None:
    """Insert each table's generated rows in order, then ANALYZE.  The rows carry their
    ids, so on PostgreSQL each table's id sequence is moved past them (except the
    tables keyed otherwise, ``without_sequence``)."""
    for name, generated in steps:
        for batch in batched(generated):
            await conn.execute(insert(metadata.tables[name]), batch)
            progress(name, len(batch))
    if conn.dialect.name == "postgresql":
        skip = set(without_sequence)
        for name, _ in steps:
            if name not in skip:
                await conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
    await conn.exec_driver_sql("ANALYZE")
