"""The audit trail collects what a transaction changed and writes it in that transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Integer, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from trident.core.audit import AuditLogMixin, AuditRecord, start_audit
from trident.core.db.base import make_base
from trident.core.db.engine import Database
from trident.core.db.session import unit_of_work

Base = make_base()


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    secret: Mapped[str] = mapped_column(String(50), default="")


class Trail(AuditLogMixin, Base):
    __tablename__ = "trail"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'audit.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


def _record(**identity: object) -> AuditRecord:
    record = AuditRecord(model=Trail, method="POST", path="/things", ip_address="10.0.0.1")
    record.identify("user", 7, "ann@example.com", 3)
    return record


async def _trail(db: Database) -> list[Trail]:
    async with unit_of_work(db, write=False) as session:
        return list(await session.scalars(select(Trail).order_by(Trail.id)))


async def test_created_updated_and_deleted_rows_are_named_not_their_values(db: Database) -> None:
    async with unit_of_work(db) as session:
        keep, drop = Thing(name="a"), Thing(name="b")
        session.add_all([keep, drop])
    async with unit_of_work(db) as session:
        start_audit(session, _record())
        session.add(Thing(name="c"))
        loaded = await session.get(Thing, keep.id)
        assert loaded is not None
        loaded.secret = "s3cr3t"
        await session.delete(await session.get(Thing, drop.id))
    (entry,) = await _trail(db)
    assert entry.changes == {
        "created": ["things:3"],
        "updated": {"things:1": ["secret"]},
        "deleted": ["things:2"],
    }
    assert "s3cr3t" not in str(entry.changes)
    assert (entry.actor_type, entry.actor_id, entry.actor_email, entry.tenant_id) == (
        "user",
        7,
        "ann@example.com",
        3,
    )
    assert (entry.method, entry.path, entry.ip_address) == ("POST", "/things", "10.0.0.1")


async def test_bulk_statements_are_recorded_by_table(db: Database) -> None:
    async with unit_of_work(db) as session:
        start_audit(session, _record())
        await session.execute(update(Thing).values(name="x"))
    (entry,) = await _trail(db)
    assert entry.changes == {"bulk": ["update:things"]}


async def test_a_transaction_that_changes_nothing_leaves_no_entry(db: Database) -> None:
    async with unit_of_work(db) as session:
        start_audit(session, _record())
        await session.scalar(select(Thing.id))
    assert await _trail(db) == []


async def test_a_rolled_back_transaction_leaves_no_entry(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with unit_of_work(db) as session:
            start_audit(session, _record())
            session.add(Thing(name="never"))
            await session.flush()
            raise RuntimeError("boom")
    assert await _trail(db) == []


async def test_a_released_savepoint_does_not_end_the_record(db: Database) -> None:
    async with unit_of_work(db) as session:
        start_audit(session, _record())
        async with session.begin_nested():
            session.add(Thing(name="inside"))
        session.add(Thing(name="after"))
    (entry,) = await _trail(db)
    assert entry.changes == {"created": ["things:1", "things:2"]}
