from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from trident.core.security.passwords import NewPassword
from trident.core.text import DisplayText


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    password: NewPassword
    full_name: DisplayText | None = Field(default=None, max_length=200)

    @field_validator("full_name", mode="before")
    @classmethod
    def blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # any string may be a token: a malformed one is a 401 like an expired one, not a 422
    refresh_token: str = Field(min_length=1, max_length=4096)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class UserOrgOut(BaseModel):
    id: int
    name: str
    slug: str
    role: str


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str | None
    is_active: bool
    is_superuser: bool
    stripe_customer_id: str | None = Field(
        description="The payment provider's customer id for this user"
    )
    created_at: datetime
    updated_at: datetime


class CurrentUserOut(UserOut):
    organizations: list[UserOrgOut] = Field(default_factory=list)
