from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from trident.apps.hibachi.auth.auth import OPTIONAL_AUTH, PublicStation, station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.pricing import repository, service
from trident.apps.hibachi.pricing.schemas import (
    MenuItemCreate,
    MenuItemOut,
    MenuItemUpdate,
    PricingOut,
    PricingUpdate,
    QuoteOut,
    QuoteRequest,
)
from trident.core.app import DbSession
from trident.core.ids import PathId

router = APIRouter(tags=["pricing"])

PricingManager = station_caller("pricing:manage")


@router.get(
    "/pricing", response_model=PricingOut, responses=errors(401, 404), openapi_extra=OPTIONAL_AUTH
)
async def get_pricing(station: PublicStation, db: DbSession) -> PricingOut:
    """The station's prices, tax, service fee, deposit rule, minimum, slots and menus."""
    return await service.pricing_out(db, station.id)


@router.put("/pricing", response_model=PricingOut, responses=errors(401, 403, 404, 422))
async def update_pricing(body: PricingUpdate, caller: PricingManager, db: DbSession) -> PricingOut:
    """Change the station's pricing rules and menus (admin)."""
    return await service.update_pricing(db, caller.station_id, body)


@router.post(
    "/pricing/quote",
    response_model=QuoteOut,
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def quote(body: QuoteRequest, station: PublicStation, db: DbSession) -> QuoteOut:
    """Price an order without booking it: per-guest menu or priced menu items."""
    return await service.quote_order(db, station.id, body)


@router.get(
    "/menu-items",
    response_model=list[MenuItemOut],
    responses=errors(401, 404),
    openapi_extra=OPTIONAL_AUTH,
)
async def list_menu_items(
    station: PublicStation,
    db: DbSession,
    category: Annotated[str | None, Query(max_length=32)] = None,
    active: Annotated[Literal["true", "false", "all"], Query()] = "true",
) -> list[MenuItemOut]:
    """The station's dishes and upgrades (active ones unless ``active=all``)."""
    wanted = {"true": True, "false": False, "all": None}[active]
    items = await repository.list_menu_items(db, station.id, category=category, active=wanted)
    return [service.menu_item_out(item) for item in items]


@router.post(
    "/menu-items", response_model=MenuItemOut, status_code=201, responses=errors(401, 403, 409, 422)
)
async def create_menu_item(
    body: MenuItemCreate, caller: PricingManager, db: DbSession
) -> MenuItemOut:
    """Add a dish or upgrade to the station's menu (admin)."""
    return await service.create_menu_item(db, caller.station_id, body)


@router.put(
    "/menu-items/{item_id}", response_model=MenuItemOut, responses=errors(401, 403, 404, 409, 422)
)
async def update_menu_item(
    item_id: PathId, body: MenuItemUpdate, caller: PricingManager, db: DbSession
) -> MenuItemOut:
    """Change a menu item; bookings already made keep the price they were quoted."""
    return await service.update_menu_item(db, caller.station_id, item_id, body)


@router.delete("/menu-items/{item_id}", status_code=204, responses=errors(401, 403, 404))
async def delete_menu_item(item_id: PathId, caller: PricingManager, db: DbSession) -> Response:
    """Retire a menu item (it stays on the bookings that have it)."""
    await service.delete_menu_item(db, caller.station_id, item_id)
    return Response(status_code=204)
