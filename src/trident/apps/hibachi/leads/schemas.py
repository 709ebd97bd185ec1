"""Lead shapes: the public quote-request form (2025-10-25 document), staff create and
update, events, the nurture plan, conversion and social threads."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from trident.apps.hibachi.bookings.schemas import CLOCK, EventType, LocationIn
from trident.core.dates import Day
from trident.core.ids import MAX_ID, RowId
from trident.core.money import Money
from trident.core.text import DisplayText, PhoneNumber

STATUSES = ("new", "contacted", "qualified", "quoted", "nurturing", "converted", "lost")
LeadStatus = Literal["new", "contacted", "qualified", "quoted", "nurturing", "converted", "lost"]
EVENT_TYPES = (
    "note",
    "call",
    "email",
    "sms",
    "meeting",
    "quote_sent",
    "status_change",
    "other",
)
LeadEventType = Literal[
    "note", "call", "email", "sms", "meeting", "quote_sent", "status_change", "other"
]
PLATFORMS = ("instagram", "facebook", "google", "yelp", "tiktok", "twitter", "other")
Platform = Literal["instagram", "facebook", "google", "yelp", "tiktok", "twitter", "other"]
SOURCE_PATTERN = r"^[a-z0-9_:-]+$"
MAX_METADATA_BYTES = 4096
MAX_METADATA_KEYS = 50

EMAIL_ADAPTER = TypeAdapter(EmailStr)


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _blank_to_none(value: object) -> object:
    """A form's empty optional field means "not given"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _valid_email(value: object) -> object:
    value = _blank_to_none(value)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("Invalid email format")
    try:
        return EMAIL_ADAPTER.validate_python(value.strip()).lower()
    except ValidationError:
        raise ValueError("Invalid email format") from None


def _bounded_json(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if len(value) > MAX_METADATA_KEYS:
        raise ValueError(f"at most {MAX_METADATA_KEYS} keys")
    if len(json.dumps(value, default=str).encode()) > MAX_METADATA_BYTES:
        raise ValueError(f"at most {MAX_METADATA_BYTES} bytes as JSON")
    return value


def _name_given(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("Field is required and cannot be empty")
    return value


def _not_null(value: object) -> object:
    if value is None:
        raise ValueError("must not be null")
    return value


# -- the public form ----------------------------------------------------------------


class PublicLeadRequest(BaseModel):
    """The public quote-request form, with its validation rules."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText = Field(min_length=2, max_length=100)
    phone: PhoneNumber
    email: str | None = Field(default=None, max_length=320, json_schema_extra={"format": "email"})
    message: str | None = Field(default=None, max_length=1000)
    source: str = Field(default="website", max_length=32, pattern=SOURCE_PATTERN)
    metadata: dict[str, Any] | None = Field(
        default=None, description=f"Free context (page, referrer), at most {MAX_METADATA_BYTES} B"
    )
    guest_count: int | None = Field(
        default=None, ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    event_date: Day | None = Field(
        default=None, validation_alias=AliasChoices("event_date", "date")
    )
    event_type: EventType | None = None
    location: DisplayText | None = Field(default=None, max_length=300)
    honeypot: str | None = Field(default=None, max_length=200, description="Must be empty")

    _name = field_validator("name", mode="before")(_name_given)
    _email = field_validator("email", mode="before")(_valid_email)
    _optional = field_validator("message", "location", mode="before")(_blank_to_none)
    _source = field_validator("source", "event_type", mode="before")(_lower)
    _metadata = field_validator("metadata")(_bounded_json)

    @field_validator("honeypot")
    @classmethod
    def honeypot_empty(cls, value: str | None) -> str | None:
        if value:
            raise ValueError("must be empty")
        return value


class PublicLeadOut(BaseModel):
    success: bool
    lead_id: int
    message: str
    newsletter_subscribed: bool
    estimated_response_time: str


# -- staff create and update ---------------------------------------------------------


class LeadFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str | None = Field(default=None, max_length=320, json_schema_extra={"format": "email"})
    phone: PhoneNumber | None = None
    message: str | None = Field(default=None, max_length=2000)
    guest_count: int | None = Field(
        default=None, ge=1, le=10_000, validation_alias=AliasChoices("guest_count", "guests")
    )
    event_date: Day | None = Field(
        default=None, validation_alias=AliasChoices("event_date", "date")
    )
    event_type: EventType | None = None
    location: DisplayText | None = Field(default=None, max_length=300)
    budget: Decimal | None = Field(default=None, ge=0, le=10_000_000, decimal_places=2)
    assigned_to: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        validation_alias=AliasChoices("assigned_to", "assigned_to_id"),
        description="The id of a user of the station",
    )
    metadata: dict[str, Any] | None = None

    _email = field_validator("email", mode="before")(_valid_email)
    _event_type = field_validator("event_type", mode="before")(_lower)
    _optional = field_validator("message", "location", "phone", mode="before")(_blank_to_none)
    _metadata = field_validator("metadata")(_bounded_json)


class LeadCreate(LeadFields):
    name: DisplayText = Field(min_length=2, max_length=100)
    status: LeadStatus = "new"
    source: str = Field(default="manual", max_length=32, pattern=SOURCE_PATTERN)

    _name = field_validator("name", mode="before")(_name_given)
    _lowered = field_validator("status", "source", mode="before")(_lower)


class LeadUpdate(LeadFields):
    name: DisplayText | None = Field(default=None, min_length=2, max_length=100)
    status: LeadStatus | None = None
    source: str | None = Field(default=None, max_length=32, pattern=SOURCE_PATTERN)

    _lowered = field_validator("status", "source", mode="before")(_lower)
    _required = field_validator("name", "status", "source")(_not_null)


class LeadOut(BaseModel):
    id: int
    station_id: int
    name: str
    email: str | None
    phone: str | None
    status: LeadStatus
    source: str
    score: int
    score_tier: Literal["hot", "warm", "cold"]
    message: str | None
    guest_count: int | None
    event_date: dt.date | None
    event_type: str | None
    location: str | None
    budget: Money | None
    assigned_to: int | None
    assigned_to_name: str | None
    customer_id: int | None
    metadata: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    last_contacted_at: dt.datetime | None
    converted_at: dt.datetime | None


# -- events --------------------------------------------------------------------------


class LeadEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    event_type: LeadEventType = Field(validation_alias=AliasChoices("event_type", "type"))
    description: str | None = Field(default=None, max_length=2000)
    data: dict[str, Any] | None = None

    _event_type = field_validator("event_type", mode="before")(_lower)
    _data = field_validator("data")(_bounded_json)


class LeadEventOut(BaseModel):
    id: int
    lead_id: int
    event_type: str
    description: str | None
    data: dict[str, Any]
    created_by: int | None
    created_at: dt.datetime


class LeadEventSaved(LeadEventOut):
    lead: LeadOut


class ScoreBreakdownOut(BaseModel):
    source: int
    guest_count: int
    event_date: int
    engagement: int
    total: int


class LeadDetail(LeadOut):
    score_breakdown: ScoreBreakdownOut
    event_count: int
    events: list[LeadEventOut] = Field(description="The most recent events, newest first")


# -- nurture --------------------------------------------------------------------------


class NurtureStepOut(BaseModel):
    step: int
    day: int = Field(description="Days after the lead came in")
    offset_hours: int = Field(description="Hours after the lead came in")
    channel: Literal["email", "sms", "call"]
    template: str
    purpose: str
    scheduled_at: dt.datetime
    state: Literal["done", "due", "upcoming", "skipped"]
    completed_at: dt.datetime | None
    reason: str | None = Field(description="Why a step is skipped")


class NurtureSequenceOut(BaseModel):
    lead_id: int
    status: LeadStatus
    score: int
    tier: Literal["hot", "warm", "cold"]
    active: bool = Field(description="False once the lead is converted or lost")
    next_step: NurtureStepOut | None = Field(description="The first step due or upcoming")
    completed_steps: int
    total_steps: int
    steps: list[NurtureStepOut]


# -- conversion ----------------------------------------------------------------------


class LeadBookingData(BaseModel):
    """The booking to create with the conversion; what is missing comes from the lead."""

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
    event_type: EventType | None = None
    location: DisplayText | LocationIn | None = None
    menu: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, max_length=2000)
    special_requests: str | None = Field(default=None, max_length=2000)

    _event_type = field_validator("event_type", mode="before")(_lower)


class ConvertRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    create_booking: bool = False
    booking_data: LeadBookingData | None = None


class ConvertOut(BaseModel):
    lead_id: int
    customer_id: int
    booking_id: int | None
    reference_number: str | None
    status: LeadStatus
    message: str


# -- social threads ---------------------------------------------------------------------


class SocialThreadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    platform: Platform
    external_thread_id: str = Field(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    handle: DisplayText | None = Field(default=None, max_length=100)
    display_name: DisplayText | None = Field(default=None, max_length=100)
    last_message: str | None = Field(default=None, max_length=5000)
    status: Literal["open", "closed"] = "open"
    lead_id: RowId | None = None

    _platform = field_validator("platform", "status", mode="before")(_lower)


class SocialThreadOut(BaseModel):
    id: int
    platform: str
    external_thread_id: str
    handle: str | None
    display_name: str | None
    status: str
    last_message: str | None
    last_message_at: dt.datetime | None
    lead_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
