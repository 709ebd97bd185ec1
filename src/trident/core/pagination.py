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


async def _keys_with_total(
    session: AsyncSession, keys: Select[Any], params: PageParams
) -> tuple[list[Any], int]:
    """A page of keys and the total, from one statement: ``count(*) OVER ()`` is
    computed before LIMIT, so every key row carries the total.  Only for a narrow key
    select: over full rows the window would make the database build every matching
    row before the limit.  A page past the end has no row to carry the total (and
    DISTINCT would count duplicates), so those ask for it apart."""
    if keys._distinct:  # (no public accessor)
        page_keys = list(await session.scalars(keys.limit(params.limit).offset(params.offset)))
        return page_keys, await _count(session, keys)
    counted = keys.add_columns(func.count().over().label("page_total"))
    rows = (await session.execute(counted.limit(params.limit).offset(params.offset))).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][-1])
    return [], 0 if params.offset == 0 else await _count(session, keys)


async def fetch_page(session: AsyncSession, stmt: Select[Any], params: PageParams) -> Page[Any]:
    """``stmt`` must carry its ORDER BY (with a unique tie-breaker) for stable pages.

    Two statements: the total by an index-only count, the page by LIMIT in index
    order.  A hot list uses :func:`fetch_keyed_page`, whose narrow key page carries
    its total in the same statement."""
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
    page_keys, total = await _keys_with_total(session, keys, params)
    rows = {key_of(row): row for row in await load(page_keys)} if page_keys else {}
    items = [rows[key] for key in page_keys if key in rows]
    return Page(items=items, total=total, limit=params.limit, offset=params.offset)
