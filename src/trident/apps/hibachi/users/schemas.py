from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from trident.core.ids import MAX_ID, RowId
from trident.core.security.passwords import NewPassword
from trident.core.text import DisplayText, PhoneNumber

RoleName = Literal["super_admin", "admin", "manager", "staff", "viewer", "ai_system", "customer"]


def _role(value: object) -> object:
    # the CRM document writes roles in capitals ("STAFF"); the 2025-10-25 one in lower case
    return value.strip().lower() if isinstance(value, str) else value


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    password: NewPassword
    role: RoleName
    full_name: DisplayText | None = Field(default=None, max_length=200)
    phone: PhoneNumber | None = None
    station_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Super admin only: another station"
    )

    _role = field_validator("role", mode="before")(_role)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    role: RoleName | None = None
    is_active: bool | None = None
    full_name: DisplayText | None = Field(default=None, max_length=200)
    phone: PhoneNumber | None = None
    password: NewPassword | None = None
    station_id: RowId | None = None

    _role = field_validator("role", mode="before")(_role)
