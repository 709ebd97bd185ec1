"""Waitlist shapes: the CRM document's body (``customer{name,email,phone}``,
``preferred_date``, ``preferred_time``, ``guest_count``, ``location`` as an object
or as text), plus ``customer_id`` for a customer already on file."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from trident.apps.hibachi.bookings.schemas import (
    CLOCK,
    BookingOut,
    CustomerBrief,
    CustomerIn,
    EventType,
    LocationIn,
)
from trident.core.dates import Day
from trident.core.ids import RowId
from trident.core.text import DisplayText

Status = Literal["waiting", "converted", "cancelled"]


class WaitlistCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    customer_id: RowId | None = None
    customer: CustomerIn | None = None
    preferred_date: Day = Field(
        validation_alias=AliasChoices("preferred_date", "event_date", "date")
    )
    preferred_time: str | None = Field(
        default=None,
        pattern=CLOCK,
        validation_alias=AliasChoices("preferred_time", "event_time", "time"),
        description="HH:MM",
    )
    guest_count: int = Field(
        ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    location: DisplayText | LocationIn | None = Field(
        default=None, description="Text, or an address object ({city, state} is enough)"
    )
    notes: str | None = Field(default=None, max_length=2000)


class WaitlistConvert(BaseModel):
    """Everything is optional: the entry's date, time, guests and location are the defaults."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

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
    menu: str | None = Field(default=None, max_length=32, description="Per-guest menu code")
    event_type: EventType | None = None
    special_requests: str | None = Field(default=None, max_length=2000)
    status: Literal["pending", "confirmed"] | None = Field(
        default=None, description="Create the booking already confirmed"
    )


class WaitlistOut(BaseModel):
    id: int
    station_id: int
    customer_id: int
    customer: CustomerBrief
    preferred_date: dt.date
    date: dt.date = Field(description="Same as preferred_date")
    preferred_time: str | None = Field(description="HH:MM")
    guest_count: int
    guests: int = Field(description="Same as guest_count")
    location: str | None
    city: str | None
    state: str | None
    notes: str | None
    status: Status
    position: int | None = Field(
        description="Place in the queue for the preferred date (waiting entries only)"
    )
    booking_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class WaitlistConverted(BaseModel):
    entry: WaitlistOut
    booking: BookingOut
    message: str
