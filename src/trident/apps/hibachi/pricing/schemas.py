from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from trident.core.ids import MAX_ID
from trident.core.money import Money
from trident.core.text import DisplayText

CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"


class MenuOut(BaseModel):
    code: str
    name: str
    description: str | None
    price_per_guest: Money
    is_active: bool


class MenuItemOut(BaseModel):
    id: int
    name: str
    description: str | None
    category: str
    price: Money
    is_active: bool
    created_at: datetime


class PricingOut(BaseModel):
    station_id: int
    currency: str
    tax_rate: Decimal = Field(description="0.10 is 10%")
    service_fee_rate: Decimal
    deposit_type: Literal["fixed", "percent"]
    deposit_value: Decimal = Field(description="Dollars when fixed, percent when percent")
    minimum_order: Money
    min_guests: int
    max_guests: int
    slot_times: list[str]
    slot_duration_minutes: int
    closed_weekdays: list[int] = Field(description="0 = Monday ... 6 = Sunday")
    min_days_ahead: int
    menus: list[MenuOut]
    updated_at: datetime


class MenuIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_-]+$")
    name: DisplayText = Field(max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    price_per_guest: Decimal = Field(ge=0, le=100_000, decimal_places=2)
    is_active: bool = True


class PricingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str | None = Field(default=None, pattern=r"^[a-z]{3}$")
    tax_rate: Decimal | None = Field(default=None, ge=0, le=1, decimal_places=4)
    service_fee_rate: Decimal | None = Field(default=None, ge=0, le=1, decimal_places=4)
    deposit_type: Literal["fixed", "percent"] | None = None
    deposit_value: Decimal | None = Field(default=None, ge=0, le=100_000, decimal_places=2)
    minimum_order: Decimal | None = Field(default=None, ge=0, le=1_000_000, decimal_places=2)
    min_guests: int | None = Field(default=None, ge=1, le=10_000)
    max_guests: int | None = Field(default=None, ge=1, le=10_000)
    slot_times: list[str] | None = Field(default=None, min_length=1, max_length=24)
    slot_duration_minutes: int | None = Field(default=None, ge=15, le=1440)
    closed_weekdays: list[int] | None = Field(default=None, max_length=7)
    min_days_ahead: int | None = Field(default=None, ge=0, le=365)
    #: menus to add or change, by code (menus not named stay as they are)
    menus: list[MenuIn] | None = Field(default=None, max_length=50)

    @field_validator("slot_times")
    @classmethod
    def clock_times(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        for item in value:
            if not re.match(CLOCK, item):
                raise ValueError(f"{item!r} is not a time of day as HH:MM")
        if len(set(value)) != len(value):
            raise ValueError("slot times must be different")
        return sorted(value)

    @field_validator("closed_weekdays")
    @classmethod
    def weekdays(cls, value: list[int] | None) -> list[int] | None:
        if value is None:
            return value
        if any(not 0 <= day <= 6 for day in value):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return sorted(set(value))


class MenuItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayText = Field(max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    category: Literal["protein", "side", "upgrade", "appetizer", "dessert", "drink", "other"]
    price: Decimal = Field(ge=0, le=100_000, decimal_places=2)
    is_active: bool = True


class MenuItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayText | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=1000)
    category: (
        Literal["protein", "side", "upgrade", "appetizer", "dessert", "drink", "other"] | None
    ) = None
    price: Decimal | None = Field(default=None, ge=0, le=100_000, decimal_places=2)
    is_active: bool | None = None


class OrderedItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    menu_item_id: int = Field(ge=1, le=MAX_ID, validation_alias=AliasChoices("menu_item_id", "id"))
    quantity: int = Field(ge=1, le=10_000)


class QuoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    guest_count: int = Field(
        ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    menu: str | None = Field(default=None, max_length=32, description="Per-guest menu code")
    menu_items: list[OrderedItem] | None = Field(default=None, max_length=100)


class QuoteLineOut(BaseModel):
    name: str
    quantity: int
    unit_price: Money
    amount: Money
    menu_item_id: int | None
    menu: str | None


class QuoteOut(BaseModel):
    currency: str
    guest_count: int
    lines: list[QuoteLineOut]
    subtotal: Money
    minimum_applied: bool
    discount: Money
    tax: Money
    service_fee: Money
    total_amount: Money
    deposit_amount: Money
    deposit_required: Money = Field(description="Same as deposit_amount (CRM document)")
    base_price: Money = Field(description="Same as subtotal (CRM document)")
    total_estimate: Money = Field(description="Same as total_amount (CRM document)")
    notes: list[str]
