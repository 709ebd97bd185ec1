from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from trident.core.db.base import make_base
from trident.core.db.engine import Database
from trident.core.db.session import after_commit, unit_of_work
from trident.core.errors import Unauthorized
from trident.core.jobs import DISPATCHER, JobDispatcher, JobRegistry, create_broker, queue_job

Base = make_base()


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(String(50))


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/u.db")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


async def count(db: Database) -> int:
    async with unit_of_work(db, write=False) as session:
        return len((await session.scalars(select(Note))).all())


async def test_commit_then_after_commit_callbacks(db: Database) -> None:
    seen: list[int] = []
    async with unit_of_work(db) as session:
        session.add(Note(text="a"))

        async def callback() -> None:
            seen.append(await count(db))  # runs after the commit: the row is visible

        after_commit(session, callback)
    assert seen == [1]


async def test_rollback_drops_writes_and_callbacks(db: Database) -> None:
    seen: list[str] = []
    with pytest.raises(RuntimeError):
        async with unit_of_work(db) as session:
            session.add(Note(text="a"))
            await session.flush()

            async def callback() -> None:
                seen.append("ran")

            after_commit(session, callback)
            raise RuntimeError("boom")
    assert seen == []
    assert await count(db) == 0


async def test_error_marked_commit_keeps_changes(db: Database) -> None:
    with pytest.raises(Unauthorized):
        async with unit_of_work(db) as session:
            session.add(Note(text="revocation"))
            raise Unauthorized("reused", commit=True)
    assert await count(db) == 1


async def test_queued_job_runs_only_after_commit(db: Database) -> None:
    registry = JobRegistry("test")
    ran: list[tuple[object, int]] = []

    @registry.job("record")
    async def record(runtime: object, value: int) -> None:
        ran.append((runtime, value))

    broker = create_broker("test", "", inline=True)
    registry.bind(broker, "the-runtime")
    await broker.startup()
    dispatcher = JobDispatcher(broker)
    with pytest.raises(RuntimeError):
        async with unit_of_work(db, info={DISPATCHER: dispatcher}) as session:
            queue_job(session, "test.record", value=1)
            raise RuntimeError("rolled back")
    async with unit_of_work(db, info={DISPATCHER: dispatcher}) as session:
        queue_job(session, "test.record", value=2)
    await broker.shutdown()
    assert ran == [("the-runtime", 2)]


async def test_a_read_unit_of_work_does_not_commit_but_runs_its_follow_up(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.ext.asyncio import AsyncSession

    commits: list[str] = []
    real_commit = AsyncSession.commit

    async def counting_commit(self: AsyncSession) -> None:
        commits.append("commit")
        await real_commit(self)

    monkeypatch.setattr(AsyncSession, "commit", counting_commit)
    seen: list[str] = []
    async with unit_of_work(db, write=False) as session:
        await session.scalars(select(Note))

        async def callback() -> None:
            seen.append("ran")

        after_commit(session, callback)
    assert (commits, seen) == ([], ["ran"])


async def test_a_read_unit_of_work_that_writes_fails_loudly(db: Database) -> None:
    with pytest.raises(RuntimeError, match="read-only unit of work changed rows"):
        async with unit_of_work(db, write=False) as session:
            session.add(Note(text="lost"))
            await session.flush()
    assert await count(db) == 0
