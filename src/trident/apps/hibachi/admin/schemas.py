"""Admin shapes: error logs, the audit log and notification groups."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator

from trident.core.ids import RowId
from trident.core.text import DisplayText, PhoneNumber


def _printable(value: str) -> str:
    """Free text may hold line breaks and tabs, never other control characters."""
    if any((ord(c) < 32 and c not in "\n\r\t") or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    return value


#: free text people type (notes, descriptions): several lines allowed
Notes = Annotated[str, AfterValidator(_printable)]


# -- error logs ------------------------------------------------------------------------


class ErrorLogOut(BaseModel):
    id: int
    station_id: int | None
    request_id: str | None
    method: str
    path: str
    status_code: int
    level: str
    error_type: str
    message: str
    user_id: int | None
    ip_address: str | None
    user_agent: str | None
    resolved: bool
    resolved_at: datetime | None
    resolved_by_id: int | None
    resolution_notes: str | None
    created_at: datetime
    timestamp: datetime = Field(description="Same as created_at")


class ErrorLogDetail(ErrorLogOut):
    traceback: str | None


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resolution_notes: Notes | None = Field(default=None, max_length=4000)
    notes: Notes | None = Field(
        default=None, max_length=4000, description="Same as resolution_notes"
    )


# -- audit log -------------------------------------------------------------------------


class AuditLogOut(BaseModel):
    id: int
    created_at: datetime
    actor_type: str
    actor_id: int | None
    actor_email: str | None
    station_id: int | None
    tenant_id: int | None
    method: str
    path: str
    action: str
    changes: dict[str, Any]
    ip_address: str | None
    user_agent: str | None
    request_id: str | None


# -- notification groups ---------------------------------------------------------------

EVENT_TYPES = (
    "booking_created",
    "booking_confirmed",
    "booking_cancelled",
    "lead_created",
    "review_escalated",
    "payment_received",
    "payment_failed",
    "campaign_sent",
    "error_logged",
)
EventType = Literal[
    "booking_created",
    "booking_confirmed",
    "booking_cancelled",
    "lead_created",
    "review_escalated",
    "payment_received",
    "payment_failed",
    "campaign_sent",
    "error_logged",
]
Channel = Literal["email", "sms"]
MAX_MEMBERS = 100


def _unique(values: list[Any] | None) -> list[Any] | None:
    """The list without repeats, in the order given."""
    return None if values is None else list(dict.fromkeys(values))


def _lower(values: Any) -> Any:
    if isinstance(values, list):
        return [v.strip().lower() if isinstance(v, str) else v for v in values]
    return values


class _GroupFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    _dedupe = field_validator(
        "event_types", "channels", "user_ids", "emails", "phones", check_fields=False
    )(_unique)
    _lowercase = field_validator(
        "event_types", "channels", "emails", mode="before", check_fields=False
    )(_lower)


class NotificationGroupCreate(_GroupFields):
    name: DisplayText = Field(max_length=100)
    description: Notes | None = Field(default=None, max_length=1000)
    event_types: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES))
    channels: list[Channel] = Field(min_length=1, max_length=2)
    user_ids: list[RowId] = Field(default_factory=list, max_length=MAX_MEMBERS)
    emails: list[EmailStr] = Field(default_factory=list, max_length=MAX_MEMBERS)
    phones: list[PhoneNumber] = Field(default_factory=list, max_length=MAX_MEMBERS)
    is_active: bool = True


class NotificationGroupUpdate(_GroupFields):
    """Only the fields sent change; ``description`` may be null to clear it."""

    name: DisplayText | None = Field(default=None, max_length=100)
    description: Notes | None = Field(default=None, max_length=1000)
    event_types: list[EventType] | None = Field(
        default=None, min_length=1, max_length=len(EVENT_TYPES)
    )
    channels: list[Channel] | None = Field(default=None, min_length=1, max_length=2)
    user_ids: list[RowId] | None = Field(default=None, max_length=MAX_MEMBERS)
    emails: list[EmailStr] | None = Field(default=None, max_length=MAX_MEMBERS)
    phones: list[PhoneNumber] | None = Field(default=None, max_length=MAX_MEMBERS)
    is_active: bool | None = None


class NotificationGroupOut(BaseModel):
    id: int
    station_id: int
    name: str
    description: str | None
    event_types: list[str]
    channels: list[str]
    user_ids: list[int]
    emails: list[str]
    phones: list[str]
    is_active: bool
    created_at: datetime
    updated_at: datetime
