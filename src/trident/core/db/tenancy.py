"""Row-level tenancy: every tenant query goes through :func:`scoped` (a whole
statement) or :func:`in_tenant` (one condition among several).

A model declares its tenant column with ``__tenant_column__`` (``"org_id"``,
``"station_id"``).  An id that belongs to another tenant is simply not found.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.core.errors import NotFound

M = TypeVar("M")


def tenant_column(model: type[Any]) -> Any:
    name = getattr(model, "__tenant_column__", None)
    if not name:
        raise TypeError(f"{model.__name__} does not declare __tenant_column__")
    return getattr(model, name)


def in_tenant(model: type[Any], tenant_id: Any) -> ColumnElement[bool]:
    """The condition "this row belongs to that tenant", for a list of conditions."""
    return tenant_column(model) == tenant_id  # type: ignore[no-any-return]


def scoped(stmt: Select[Any], model: type[Any], tenant_id: int) -> Select[Any]:
    return stmt.where(in_tenant(model, tenant_id))


async def get_scoped(
    session: AsyncSession, model: type[M], object_id: Any, tenant_id: int, *, what: str = ""
) -> M:
    obj = await session.scalar(
        scoped(select(model), model, tenant_id).where(model.id == object_id)  # type: ignore[attr-defined]
    )
    if obj is None:
        raise NotFound(f"{what or model.__name__} {object_id} was not found.")
    return obj
