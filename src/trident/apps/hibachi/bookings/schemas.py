"""Booking shapes.  Input accepts every document's spelling (``date``/``event_date``,
``time``/``event_time``, ``guests``/``guest_count``, ``location`` as text or as an
address object, ``menu_items`` as priced ``{menu_item_id, quantity}`` objects or as
dish names); output is a superset carrying each spelling (docs/compat.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    field_validator,
)

from trident.apps.hibachi.pricing.schemas import OrderedItem
from trident.core.dates import Day
from trident.core.ids import RowId
from trident.core.money import Money
from trident.core.text import DisplayText, PhoneNumber

EVENT_TYPES = ("birthday", "wedding", "corporate", "anniversary", "graduation", "holiday", "other")
EventType = Literal[
    "birthday", "wedding", "corporate", "anniversary", "graduation", "holiday", "other"
]
Status = Literal["pending", "confirmed", "completed", "cancelled"]
CLOCK = r"^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: DisplayText | None = Field(
        default=None, max_length=200, validation_alias=AliasChoices("address", "street")
    )
    city: DisplayText | None = Field(default=None, max_length=100)
    state: DisplayText | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(
        default=None,
        pattern=r"^\d{5}(-\d{4})?$",
        validation_alias=AliasChoices("zip_code", "zip"),
    )

    def text(self) -> str:
        region = " ".join(p for p in (self.state, self.zip_code) if p)
        return ", ".join(p for p in (self.address, self.city, region) if p)


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText = Field(min_length=2, max_length=100)
    email: EmailStr | None = None
    phone: PhoneNumber | None = None


MenuChoice = OrderedItem | DisplayText


class BookingFields(BaseModel):
    """What both create and update understand about the event itself."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    event_type: EventType | None = None
    menu: str | None = Field(default=None, max_length=32, description="Per-guest menu code")
    menu_items: list[MenuChoice] | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=2000)
    special_requests: str | None = Field(default=None, max_length=2000)

    _event_type = field_validator("event_type", mode="before")(_lower)


class BookingCreate(BookingFields):
    customer_id: RowId | None = None
    customer: CustomerIn | None = None
    customer_name: DisplayText | None = Field(default=None, min_length=2, max_length=100)
    customer_email: EmailStr | None = None
    customer_phone: PhoneNumber | None = None
    event_date: Day = Field(validation_alias=AliasChoices("event_date", "date"))
    event_time: str | None = Field(
        default=None,
        pattern=CLOCK,
        validation_alias=AliasChoices("event_time", "time"),
        description="HH:MM; without it the first free slot of the day",
    )
    guest_count: int = Field(
        ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    location: DisplayText | LocationIn = Field(description="Text, or an address object")
    status: Literal["pending", "confirmed"] | None = Field(
        default=None, description="Staff only: create already confirmed"
    )
    source: str | None = Field(default=None, max_length=32, pattern=r"^[a-z0-9_:-]+$")

    _status = field_validator("status", mode="before")(_lower)


class BookingUpdate(BookingFields):
    status: Status | None = None
    event_date: Day | None = Field(
        default=None, validation_alias=AliasChoices("event_date", "date")
    )
    event_time: str | None = Field(
        default=None, pattern=CLOCK, validation_alias=AliasChoices("event_time", "time")
    )
    guest_count: int | None = Field(
        default=None, ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    location: DisplayText | LocationIn | None = None
    cancellation_reason: str | None = Field(default=None, max_length=500)

    _status = field_validator("status", mode="before")(_lower)


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)


class CustomerBrief(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None


class LocationOut(BaseModel):
    address: str | None
    city: str | None
    state: str | None
    zip_code: str | None


class MenuLineOut(BaseModel):
    id: int | None = Field(description="The menu item's id (None for a per-guest menu)")
    name: str
    quantity: int | None = Field(description="None for a dish chosen without a quantity")
    price: Money | None


class BookingOut(BaseModel):
    id: int
    reference_number: str
    station_id: int
    customer_id: int
    customer: CustomerBrief
    event_date: dt.date
    date: dt.date = Field(description="Same as event_date (newest document)")
    event_time: str = Field(description="HH:MM:SS")
    time: str = Field(description="HH:MM (newest document)")
    slot: str
    guest_count: int
    guests: int = Field(description="Same as guest_count (newest document)")
    menu: str | None
    event_type: str | None
    location: str
    location_details: LocationOut
    status: Status
    menu_items: list[MenuLineOut]
    subtotal: Money
    discount: Money
    coupon_code: str | None
    tax: Money
    service_fee: Money
    total_amount: Money
    deposit_amount: Money
    deposit_paid: bool
    amount_paid: Money
    balance_due: Money
    payment_status: Literal["unpaid", "partial", "paid"]
    notes: str | None
    special_requests: str | None
    source: str
    created_at: dt.datetime
    updated_at: dt.datetime
    confirmed_at: dt.datetime | None
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    cancellation_reason: str | None


class BookingSaved(BookingOut):
    message: str


class SlotOut(BaseModel):
    time: str
    available: bool


class AvailabilityOut(BaseModel):
    date: dt.date
    available: bool = Field(description="True when at least one slot is free")
    is_closed: bool
    reason: str | None = Field(description="Why nothing can be booked, when that is so")
    timezone: str
    slots: list[SlotOut]
    available_slots: list[str]


class BookedDatesOut(BaseModel):
    from_date: dt.date = Field(serialization_alias="from")
    to_date: dt.date = Field(serialization_alias="to")
    booked_dates: list[dt.date] = Field(description="Days with at least one booking")
    fully_booked_dates: list[dt.date] = Field(description="Days with no slot left")
    bookings_by_date: dict[str, int]


class PublicBookingRequest(BaseModel):
    """The public booking form (2025-10-25 document), with its validation rules."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText = Field(min_length=2, max_length=100)
    phone: PhoneNumber
    email: EmailStr | None = None
    event_date: Day = Field(validation_alias=AliasChoices("event_date", "date"))
    event_time: str | None = Field(
        default=None,
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        validation_alias=AliasChoices("event_time", "time"),
    )
    guest_count: int = Field(ge=1, le=500, validation_alias=AliasChoices("guest_count", "guests"))
    event_type: EventType | None = None
    location: DisplayText = Field(max_length=300)
    message: str | None = Field(default=None, max_length=1000)
    menu: str | None = Field(default=None, max_length=32)
    source: str = Field(default="booking_form", max_length=32, pattern=r"^[a-z0-9_:-]+$")
    honeypot: str | None = Field(default=None, max_length=200)

    _event_type = field_validator("event_type", mode="before")(_lower)

    @field_validator("honeypot")
    @classmethod
    def honeypot_empty(cls, value: str | None) -> str | None:
        if value:
            raise ValueError("must be empty")
        return value


class PublicBookingOut(BaseModel):
    success: bool
    booking_id: int
    reference_number: str
    status: str
    event_date: dt.date
    event_time: str
    estimated_cost: Money
    deposit_amount: Money
    message: str
    next_steps: list[str]
