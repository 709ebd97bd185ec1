from __future__ import annotations

from pydantic import BaseModel, Field


class HealthOut(BaseModel):
    status: str = Field(description="healthy, or degraded when a dependency is down")
    app: str
    version: str
    environment: str
    uptime_seconds: int
    database: str
    redis: str
    external_services: dict[str, str]
    timestamp: str


class DatabaseHealthOut(BaseModel):
    status: str
    database: str
    dialect: str
    latency_ms: float | None
    schema_revision: str | None
    timestamp: str


class WorkersHealthOut(BaseModel):
    status: str
    mode: str = Field(description="in-process (no Redis) or redis-stream (trident worker)")
    queue: str | None
    queued_jobs: int | None
    failed_jobs_24h: int
    redis: str
    timestamp: str


class FeaturesOut(BaseModel):
    status: str
    features: dict[str, str]
    providers: dict[str, str]


class InfoOut(BaseModel):
    name: str
    app: str
    version: str
    environment: str
    api_versions: list[str]
    docs_url: str
    redoc_url: str
    openapi_url: str
    providers: dict[str, str]
    timestamp: str


class WindowOut(BaseModel):
    name: str
    limit: int
    remaining: int
    reset_at: str
    window_seconds: int


class RateLimitStatusOut(BaseModel):
    enabled: bool
    tier: str
    limit: int
    remaining: int
    reset_at: str
    requests_made: int
    window_duration: int
    backend: str
    windows: list[WindowOut]
