"""Offset pagination done in SQL.

One way for every app: a :class:`PageParams` (from ``?limit=&offset=`` by
:func:`page_params`, or ``?page=&limit=`` by :func:`numbered_page_query`), and a
:class:`Page` from :func:`fetch_page` or :func:`fetch_keyed_page`.

:func:`fetch_keyed_page` is the deep-page form (a "deferred join"): the page's keys come
from a narrow query an index can answer alone, then only those rows are loaded with
their joins, so page 250 costs an index walk, not 5,000 joined rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Query
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    @property
    def page(self) -> int:
        """The 1-based page number these params select (page-numbered APIs)."""
        return self.offset // self.limit + 1

    @classmethod
    def numbered(cls, page: int, limit: int) -> PageParams:
        return cls(limit=limit, offset=(page - 1) * limit)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def numbered_page_query(
    *, default_limit: int, max_limit: int, max_page: int = 500_000
) -> Callable[..., Awaitable[PageParams]]:
    """The ``?page=&limit=`` form of :func:`page_params`, for page-numbered APIs."""

    # defaults, not Annotated: this module's annotations are strings, and a closure's
    # bounds could not be resolved from them
    async def page_query(
        page: int = Query(1, ge=1, le=max_page, description="Page number, from 1"),
        limit: int = Query(
            default_limit, ge=1, le=max_limit, description=f"Items per page (max {max_limit})"
        ),
    ) -> PageParams:
        return PageParams.numbered(page, limit)

    return page_query


async def page_params(
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page"),
    offset: int = Query(0, ge=0, le=10_000_000, description="Rows to skip"),
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


async def _count(session: AsyncSession, stmt: Select[Any]) -> int:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return int(total or 0)


async def fetch_page(session: AsyncSession, stmt: Select[Any], params: PageParams) -> Page[Any]:
    """``stmt`` must carry its ORDER BY (with a unique tie-breaker) for stable pages.

    Two statements: the total by an index-only count, the page by LIMIT in index
    order.  ``count(*) OVER ()`` in the page's statement was measured slower on
    SQLite (the window makes it build and sort every match before the limit: the
    deep page went from 4.5 to 19 ms), so the total stays its own statement."""
    total = await _count(session, stmt)
    rows = (await session.execute(stmt.limit(params.limit).offset(params.offset))).all()
    items = [row[0] if len(row) == 1 else row for row in rows]
    return Page(items=items, total=total, limit=params.limit, offset=params.offset)


async def fetch_keyed_page(
    session: AsyncSession,
    keys: Select[Any],
    params: PageParams,
    load: Callable[[Sequence[Any]], Awaitable[Sequence[Any]]],
    key_of: Callable[[Any], Any],
) -> Page[Any]:
    """``keys`` selects one key column, filtered and ordered (unique tie-breaker last);
    ``load`` returns the rows of the given keys in any order, ``key_of`` a row's key."""
    total = await _count(session, keys)
    page_keys = list(await session.scalars(keys.limit(params.limit).offset(params.offset)))
    rows = {key_of(row): row for row in await load(page_keys)} if page_keys else {}
    items = [rows[key] for key in page_keys if key in rows]
    return Page(items=items, total=total, limit=params.limit, offset=params.offset)
