from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from trident.core.text import DisplayText

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RoleName = Literal["owner", "admin", "member"]


class OrgCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayText = Field(min_length=1, max_length=100)
    slug: str | None = Field(default=None, min_length=2, max_length=50, pattern=SLUG_PATTERN)


class OrgUpdate(BaseModel):
    # An empty body changes nothing and is refused; say so in the schema too.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    # Optional but not nullable: {"name": null} is as meaningless as leaving it out.
    name: DisplayText = Field(default=None, min_length=1, max_length=100)  # type: ignore[assignment]
    slug: str = Field(default=None, min_length=2, max_length=50, pattern=SLUG_PATTERN)  # type: ignore[assignment]

    @model_validator(mode="after")
    def at_least_one_change(self) -> OrgUpdate:
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
