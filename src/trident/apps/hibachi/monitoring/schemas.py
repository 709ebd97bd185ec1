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
    """Anonymous callers see ``status`` only; operators (``monitoring:read``) see all."""

    status: str
    features: dict[str, str] | None = None
    providers: dict[str, str] | None = None


class InfoOut(BaseModel):
    """Anonymous callers see the name, status and where the docs are; operators
    (``monitoring:read``) also see the version, environment and providers."""

    name: str
    status: str = "ok"
    api_versions: list[str]
    docs_url: str
    redoc_url: str
    openapi_url: str
    app: str | None = None
    version: str | None = None
    environment: str | None = None
    providers: dict[str, str] | None = None
    timestamp: str | None = None


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
