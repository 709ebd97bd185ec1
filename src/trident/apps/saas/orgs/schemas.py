from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RoleName = Literal["owner", "admin", "member"]


def _clean_name(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError("Name must not be blank.")
    if any(ord(c) < 32 for c in value):
        raise ValueError("Name must not contain control characters.")
    return value


class OrgCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    slug: str | None = Field(default=None, min_length=2, max_length=50, pattern=SLUG_PATTERN)

    _name = field_validator("name")(_clean_name)


class OrgUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100)
    slug: str | None = Field(default=None, min_length=2, max_length=50, pattern=SLUG_PATTERN)

    @field_validator("name")
    @classmethod
    def clean(cls, value: str | None) -> str | None:
        return None if value is None else _clean_name(value)

    @model_validator(mode="after")
    def something(self) -> OrgUpdate:
        if self.name is None and self.slug is None:
            raise ValueError("Give at least one of name, slug.")
        return self


class OrgOut(BaseModel):
    id: int
    name: str
    slug: str
    role: RoleName = Field(description="The caller's role in this organization")
    plan: str
    subscription_status: str
    member_count: int
    created_at: datetime
    updated_at: datetime


class InviteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    role: RoleName = "member"


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: RoleName


class MemberOut(BaseModel):
    """A membership, or (``status: pending``) an invitation for an email with no account."""

    id: int
    org_id: int
    user_id: int | None
    email: str
    full_name: str | None
    role: RoleName
    status: Literal["active", "pending"]
    created_at: datetime


class InvitationOut(BaseModel):
    id: int
    org_id: int
    email: str
    role: RoleName
    status: Literal["pending"] = "pending"
    created_at: datetime
