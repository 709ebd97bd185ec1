from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl

from trident.core.text import DisplayText


class FreeFeatureOut(BaseModel):
    feature: str
    available: bool
    message: str
    user_id: int


class MemberStats(BaseModel):
    total: int
    by_role: dict[str, int]
    pending_invitations: int


class ApiKeyStats(BaseModel):
    active: int
    revoked: int
    used_in_period: int


class DayPoint(BaseModel):
    date: date
    requests: int
    tokens: int


class ModelShare(BaseModel):
    model: str
    provider: str
    requests: int
    tokens: int


class UserShare(BaseModel):
    user_id: int
    email: str
    requests: int
    tokens: int


class AiStats(BaseModel):
    requests: int
    tokens: int
    average_tokens_per_request: float
    requests_change_percent: float | None = Field(
        description="Against the previous period of the same length; null when it had none"
    )
    daily: list[DayPoint]
    top_models: list[ModelShare]
    top_users: list[UserShare]


class AnalyticsOut(BaseModel):
    org_id: int
    plan: str
    period_start: date
    period_end: date
    generated_at: datetime
    members: MemberStats
    api_keys: ApiKeyStats
    ai: AiStats


class WhiteLabelOut(BaseModel):
    org_id: int
    brand_name: str
    logo_url: str | None
    favicon_url: str | None
    primary_color: str
    secondary_color: str
    custom_domain: str | None
    support_email: str | None
    hide_powered_by: bool


COLOR = r"^#[0-9a-fA-F]{6}$"
DOMAIN = r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


class WhiteLabelUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand_name: DisplayText | None = Field(default=None, min_length=1, max_length=100)
    logo_url: HttpUrl | None = None
    favicon_url: HttpUrl | None = None
    primary_color: str | None = Field(default=None, pattern=COLOR)
    secondary_color: str | None = Field(default=None, pattern=COLOR)
    custom_domain: str | None = Field(default=None, max_length=253, pattern=DOMAIN)
    support_email: EmailStr | None = None
    hide_powered_by: bool | None = None
