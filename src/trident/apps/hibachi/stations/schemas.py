from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from trident.core.text import DisplayText, PhoneNumber

CODE = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"
Status = Literal["active", "pending", "suspended"]


def _known_zone(value: str | None) -> str | None:
    if value is not None and value not in available_timezones():
        raise ValueError(f"{value!r} is not an IANA time zone such as America/Los_Angeles")
    return value


class StationOut(BaseModel):
    id: int
    code: str
    name: str
    status: str
    timezone: str
    email: str | None
    phone: str | None
    address: str | None
    city: str | None
    state: str | None
    zip_code: str | None
    user_count: int
    booking_count: int
    created_at: datetime
    updated_at: datetime


class StationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText = Field(max_length=100)
    code: str | None = Field(default=None, min_length=2, max_length=50, pattern=CODE)
    status: Status = "active"
    timezone: str | None = Field(default=None, max_length=64)
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    address: DisplayText | None = Field(default=None, max_length=200)
    city: DisplayText | None = Field(default=None, max_length=100)
    state: DisplayText | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")

    _zone = field_validator("timezone")(_known_zone)


class StationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayText | None = Field(default=None, max_length=100)
    status: Status | None = None
    timezone: str | None = Field(default=None, max_length=64)
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    address: DisplayText | None = Field(default=None, max_length=200)
    city: DisplayText | None = Field(default=None, max_length=100)
    state: DisplayText | None = Field(default=None, max_length=50)
    zip_code: str | None = Field(default=None, pattern=r"^\d{5}(-\d{4})?$")

    _zone = field_validator("timezone")(_known_zone)
