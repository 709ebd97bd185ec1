from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from trident.core.db.base import make_base
from trident.core.db.engine import Database
from trident.core.db.session import unit_of_work
from trident.core.pagination import PageParams, fetch_keyed_page, fetch_page

Base = make_base()


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


@pytest.fixture
async def db(tmp_path: Path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/p.db")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    async with unit_of_work(database) as session:
        session.add_all(Item(id=i, name=f"item {i}") for i in range(1, 6))
    yield database
    await database.dispose()


@pytest.mark.parametrize(
    ("limit", "offset", "ids"),
    [(2, 0, [5, 4]), (2, 4, [1]), (2, 10, [])],
)
async def test_a_keyed_page_carries_the_total_even_past_the_end(
    db: Database, limit: int, offset: int, ids: list[int]
) -> None:
    async def load(keys: Sequence[Any]) -> Sequence[Any]:
        return list(await session.scalars(select(Item).where(Item.id.in_(keys))))

    async with unit_of_work(db, write=False) as session:
        keys = select(Item.id).order_by(Item.id.desc())
        page = await fetch_keyed_page(
            session, keys, PageParams(limit, offset), load, lambda i: i.id
        )
    assert ([item.id for item in page.items], page.total) == (ids, 5)


async def test_an_empty_table_pages_to_nothing(db: Database) -> None:
    async with unit_of_work(db, write=False) as session:
        keys = select(Item.id).where(Item.id > 100).order_by(Item.id)
        keyed = await fetch_keyed_page(session, keys, PageParams(10, 0), lambda k: [], lambda i: i)
        plain = await fetch_page(session, select(Item).where(Item.id > 100), PageParams(10, 0))
    assert (keyed.items, keyed.total, plain.items, plain.total) == ([], 0, [], 0)
