"""All SQL about a station's pricing rules, menus and menu items."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Menu, MenuItem, PricingConfig
from trident.core.db.tenancy import scoped


async def config(db: AsyncSession, station_id: int) -> PricingConfig | None:
    return await db.get(PricingConfig, station_id)


async def menus(db: AsyncSession, station_id: int, *, active_only: bool = False) -> list[Menu]:
    stmt = scoped(select(Menu), Menu, station_id).order_by(Menu.sort_order, Menu.id)
    if active_only:
        stmt = stmt.where(Menu.is_active.is_(True))
    return list(await db.scalars(stmt))


async def menu_by_code(db: AsyncSession, station_id: int, code: str) -> Menu | None:
    return await db.scalar(scoped(select(Menu), Menu, station_id).where(Menu.code == code))


def menu_items_query(
    station_id: int, *, category: str | None = None, active: bool | None = None
) -> Select[tuple[MenuItem]]:
    """Menu items of a station; ``active`` None means active and retired alike."""
    stmt = scoped(select(MenuItem), MenuItem, station_id)
    if category is not None:
        stmt = stmt.where(MenuItem.category == category)
    if active is not None:
        stmt = stmt.where(MenuItem.is_active.is_(active))
    return stmt.order_by(MenuItem.category, MenuItem.name, MenuItem.id)


async def list_menu_items(
    db: AsyncSession, station_id: int, *, category: str | None, active: bool | None
) -> list[MenuItem]:
    return list(await db.scalars(menu_items_query(station_id, category=category, active=active)))


async def menu_items_by_id(
    db: AsyncSession, station_id: int, ids: Iterable[int]
) -> dict[int, MenuItem]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await db.scalars(
        scoped(select(MenuItem), MenuItem, station_id).where(MenuItem.id.in_(wanted))
    )
    return {item.id: item for item in rows}


async def menu_items_by_name(
    db: AsyncSession, station_id: int, names: Iterable[str]
) -> dict[str, MenuItem]:
    wanted = {name.lower() for name in names}
    if not wanted:
        return {}
    rows = await db.scalars(
        scoped(select(MenuItem), MenuItem, station_id).where(func.lower(MenuItem.name).in_(wanted))
    )
    return {item.name.lower(): item for item in rows}


async def menu_item_named(db: AsyncSession, station_id: int, name: str) -> MenuItem | None:
    return await db.scalar(
        scoped(select(MenuItem), MenuItem, station_id).where(MenuItem.name == name)
    )
