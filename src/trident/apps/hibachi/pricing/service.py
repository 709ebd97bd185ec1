"""A station's pricing rules and menus, and turning an order into a quote."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Menu, MenuItem, PricingConfig
from trident.apps.hibachi.pricing import defaults, repository
from trident.apps.hibachi.pricing.engine import Line, PricingRules, Quote, quote
from trident.apps.hibachi.pricing.schemas import (
    MenuItemCreate,
    MenuItemOut,
    MenuItemUpdate,
    MenuOut,
    PricingOut,
    PricingUpdate,
    QuoteLineOut,
    QuoteOut,
    QuoteRequest,
)
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, NotFound, Unprocessable
from trident.core.money import cents_to_decimal, decimal_to_cents


async def install_defaults(db: AsyncSession, station_id: int) -> None:
    """Pricing rules, menus and menu items for a new station."""
    db.add(PricingConfig(station_id=station_id, **defaults.CONFIG))
    db.add_all(
        Menu(
            station_id=station_id,
            code=code,
            name=name,
            price_per_guest_cents=cents,
            description=description,
            sort_order=order,
        )
        for order, (code, name, cents, description) in enumerate(defaults.MENUS)
    )
    db.add_all(
        MenuItem(station_id=station_id, name=name, category=category, price_cents=cents)
        for name, category, cents in defaults.MENU_ITEMS
    )
    await db.flush()


def rules_of(config: PricingConfig) -> PricingRules:
    return PricingRules(
        tax_rate=config.tax_rate,
        service_fee_rate=config.service_fee_rate,
        deposit_type=config.deposit_type,
        deposit_value=config.deposit_value,
        minimum_order_cents=config.minimum_order_cents,
        currency=config.currency,
    )


async def station_config(db: AsyncSession, station_id: int) -> PricingConfig:
    config = await repository.config(db, station_id)
    if config is None:  # every station gets one when it is created
        raise NotFound("This station has no pricing configured.", code="pricing_not_found")
    return config


def menu_out(menu: Menu) -> MenuOut:
    return MenuOut(
        code=menu.code,
        name=menu.name,
        description=menu.description,
        price_per_guest=cents_to_decimal(menu.price_per_guest_cents),
        is_active=menu.is_active,
    )


def menu_item_out(item: MenuItem) -> MenuItemOut:
    return MenuItemOut(
        id=item.id,
        name=item.name,
        description=item.description,
        category=item.category,
        price=cents_to_decimal(item.price_cents),
        is_active=item.is_active,
        created_at=item.created_at,
    )


async def pricing_out(db: AsyncSession, station_id: int) -> PricingOut:
    config = await station_config(db, station_id)
    return PricingOut(
        station_id=station_id,
        currency=config.currency,
        tax_rate=config.tax_rate,
        service_fee_rate=config.service_fee_rate,
        deposit_type=config.deposit_type,  # type: ignore[arg-type]
        deposit_value=config.deposit_value,
        minimum_order=cents_to_decimal(config.minimum_order_cents),
        min_guests=config.min_guests,
        max_guests=config.max_guests,
        slot_times=config.slot_times,
        slot_duration_minutes=config.slot_duration_minutes,
        closed_weekdays=config.closed_weekdays,
        min_days_ahead=config.min_days_ahead,
        menus=[menu_out(m) for m in await repository.menus(db, station_id)],
        updated_at=config.updated_at,
    )


async def update_pricing(db: AsyncSession, station_id: int, body: PricingUpdate) -> PricingOut:
    config = await station_config(db, station_id)
    changes = body.model_dump(exclude_unset=True, exclude={"menus", "minimum_order"})
    for name, value in changes.items():
        if value is None:
            raise Unprocessable(f"{name} cannot be null.", details={name: "may not be null"})
        setattr(config, name, value)
    if body.minimum_order is not None:
        config.minimum_order_cents = decimal_to_cents(body.minimum_order)
    if config.min_guests > config.max_guests:
        raise Unprocessable(
            "min_guests cannot be above max_guests.",
            details={"min_guests": "must not exceed max_guests"},
        )
    if config.deposit_type == "percent" and config.deposit_value > 100:
        raise Unprocessable(
            "A percentage deposit cannot be above 100.",
            details={"deposit_value": "must be at most 100 for a percent deposit"},
        )
    for menu_in in body.menus or []:
        menu = await repository.menu_by_code(db, station_id, menu_in.code)
        if menu is None:
            menu = Menu(station_id=station_id, code=menu_in.code, sort_order=100)
            db.add(menu)
        menu.name = menu_in.name
        menu.description = menu_in.description
        menu.price_per_guest_cents = decimal_to_cents(menu_in.price_per_guest)
        menu.is_active = menu_in.is_active
    await db.flush()
    return await pricing_out(db, station_id)


# -- orders -------------------------------------------------------------------


async def order_lines(
    db: AsyncSession,
    station_id: int,
    guest_count: int,
    menu_code: str | None,
    items: Sequence[Any] | None,
) -> tuple[list[Line], list[str]]:
    """The priced lines of an order, and the dishes it names without quantities.

    ``items`` holds ``{menu_item_id, quantity}`` objects (priced per unit, the
    2025-10-25 document) or plain dish names (choices, the CRM document).  Without
    priced items, every guest is charged the menu's per-guest price."""
    priced = [i for i in items or [] if not isinstance(i, str)]
    named = [i for i in items or [] if isinstance(i, str)]
    lines: list[Line] = []
    if priced:
        found = await repository.menu_items_by_id(db, station_id, (i.menu_item_id for i in priced))
        missing = sorted({i.menu_item_id for i in priced} - set(found))
        if missing:
            raise Unprocessable(
                f"Unknown menu items: {', '.join(map(str, missing))}.",
                code="unknown_menu_item",
                details={"menu_items": f"unknown ids {missing}"},
            )
        for ordered in priced:
            item = found[ordered.menu_item_id]
            if not item.is_active:
                raise Unprocessable(
                    f"{item.name} is no longer offered.",
                    code="menu_item_inactive",
                    details={"menu_items": f"{item.name} is inactive"},
                )
            lines.append(Line(item.name, ordered.quantity, item.price_cents, menu_item_id=item.id))
    else:
        code = (menu_code or "adult").lower()
        menu = await repository.menu_by_code(db, station_id, code)
        if menu is None or not menu.is_active:
            available = [m.code for m in await repository.menus(db, station_id, active_only=True)]
            raise Unprocessable(
                f"Unknown menu {code!r}; choose one of: {', '.join(available)}.",
                code="unknown_menu",
                details={"menu": f"must be one of {available}"},
            )
        lines.append(Line(menu.name, guest_count, menu.price_per_guest_cents, menu_code=menu.code))
    choices: list[str] = []
    if named:
        known = await repository.menu_items_by_name(db, station_id, named)
        choices = [known[n.lower()].name if n.lower() in known else n for n in named]
    return lines, choices


def line_out(line: Line) -> QuoteLineOut:
    return QuoteLineOut(
        name=line.name,
        quantity=line.quantity,
        unit_price=cents_to_decimal(line.unit_cents),
        amount=cents_to_decimal(line.amount_cents),
        menu_item_id=line.menu_item_id,
        menu=line.menu_code,
    )


def quote_out(result: Quote, guest_count: int) -> QuoteOut:
    return QuoteOut(
        currency=result.currency,
        guest_count=guest_count,
        lines=[line_out(line) for line in result.lines],
        subtotal=cents_to_decimal(result.subtotal_cents),
        minimum_applied=result.minimum_applied,
        discount=cents_to_decimal(result.discount_cents),
        tax=cents_to_decimal(result.tax_cents),
        service_fee=cents_to_decimal(result.service_fee_cents),
        total_amount=cents_to_decimal(result.total_cents),
        deposit_amount=cents_to_decimal(result.deposit_cents),
        deposit_required=cents_to_decimal(result.deposit_cents),
        base_price=cents_to_decimal(result.subtotal_cents),
        total_estimate=cents_to_decimal(result.total_cents),
        notes=list(result.notes),
    )


def check_guest_count(config: PricingConfig, guest_count: int) -> None:
    if not config.min_guests <= guest_count <= config.max_guests:
        raise Unprocessable(
            f"Guest count must be between {config.min_guests} and {config.max_guests}.",
            code="guest_count_out_of_range",
            details={"guest_count": f"must be {config.min_guests}-{config.max_guests}"},
        )


async def quote_order(db: AsyncSession, station_id: int, body: QuoteRequest) -> QuoteOut:
    config = await station_config(db, station_id)
    check_guest_count(config, body.guest_count)
    lines, _choices = await order_lines(
        db, station_id, body.guest_count, body.menu, body.menu_items
    )
    return quote_out(quote(rules_of(config), lines), body.guest_count)


# -- menu items ---------------------------------------------------------------


async def create_menu_item(db: AsyncSession, station_id: int, body: MenuItemCreate) -> MenuItemOut:
    if await repository.menu_item_named(db, station_id, body.name) is not None:
        raise Conflict(f"A menu item named {body.name!r} exists.", code="menu_item_exists")
    item = MenuItem(
        station_id=station_id,
        name=body.name,
        description=body.description,
        category=body.category,
        price_cents=decimal_to_cents(body.price),
        is_active=body.is_active,
    )
    db.add(item)
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict(f"A menu item named {body.name!r} exists.", code="menu_item_exists")
    return menu_item_out(item)


async def update_menu_item(
    db: AsyncSession, station_id: int, item_id: int, body: MenuItemUpdate
) -> MenuItemOut:
    item = await get_scoped(db, MenuItem, item_id, station_id, what="Menu item")
    changes = body.model_dump(exclude_unset=True)
    new_name = changes.get("name")
    if (
        new_name
        and new_name != item.name
        and await repository.menu_item_named(db, station_id, new_name)
    ):
        raise Conflict(f"A menu item named {new_name!r} exists.", code="menu_item_exists")
    for name, value in changes.items():
        if value is None and name in ("name", "category", "price", "is_active"):
            raise Unprocessable(f"{name} cannot be null.", details={name: "may not be null"})
        if name == "price":
            item.price_cents = decimal_to_cents(Decimal(value))
        else:
            setattr(item, name, value)
    await db.flush()
    return menu_item_out(item)


async def delete_menu_item(db: AsyncSession, station_id: int, item_id: int) -> None:
    """Retire an item: bookings keep the name and price they were quoted."""
    item = await get_scoped(db, MenuItem, item_id, station_id, what="Menu item")
    item.is_active = False
    await db.flush()
