from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trident.core.text import DisplayText


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayText = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    org_id: int
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart")
    created_by_id: int
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret. Shown only in this response; store it now.")
