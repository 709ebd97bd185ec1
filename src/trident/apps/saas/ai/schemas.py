from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=8000)
    model: str | None = Field(
        default=None,
        max_length=100,
        description="A model id from /ai/models or an alias: gemini, openai, local, default",
    )
    stream: bool = False
    system: str | None = Field(default=None, max_length=4000)

    @field_validator("message")
    @classmethod
    def not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Message must not be blank.")
        return value


class UsageOut(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ToolCallOut(BaseModel):
    name: str
    arguments: dict[str, Any]
    result: dict[str, Any]


class QuotaOut(BaseModel):
    plan: str
    requests_limit: int
    requests_used: int
    requests_remaining: int
    tokens_limit: int
    tokens_used: int
    tokens_remaining: int
    period_start: datetime
    resets_at: datetime


class ChatOut(BaseModel):
    response: str
    model: str = Field(description="The model that really answered")
    provider: str = Field(description="local, openai or gemini")
    requested_model: str | None
    fallback: bool = Field(
        description="True when the requested provider is not configured and another answered"
    )
    usage: UsageOut
    tool_calls: list[ToolCallOut]
    quota: QuotaOut
    created_at: datetime


class ModelOut(BaseModel):
    id: str
    provider: str
    name: str
    description: str
    context_window: int
    supports_tools: bool
    supports_streaming: bool
    default: bool


class UsageQuery(BaseModel):
    """The period asked for; ai/service.py checks it (core/dates.py: date_range)."""

    start: date | None = None
    end: date | None = None


class DailyUsage(BaseModel):
    date: date
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ModelUsage(BaseModel):
    model: str
    provider: str
    requests: int
    total_tokens: int


class UsageStatsOut(BaseModel):
    org_id: int
    start: date
    end: date
    requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    by_day: list[DailyUsage]
    by_model: list[ModelUsage]
    quota: QuotaOut
