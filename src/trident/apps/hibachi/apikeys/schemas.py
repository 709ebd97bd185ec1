from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from trident.core.text import DisplayText


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: DisplayText = Field(max_length=100)
    permissions: list[str] = Field(
        min_length=1,
        max_length=50,
        description="What the key may do, e.g. bookings:read (never more than its creator)",
    )
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    prefix: str
    permissions: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret: shown once, send it as X-API-Key")
