"""What the health, info and rate-limit status endpoints report."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from trident.apps.hibachi import VERSION
from trident.apps.hibachi.monitoring import repository
from trident.apps.hibachi.monitoring.schemas import (
    DatabaseHealthOut,
    FeaturesOut,
    HealthOut,
    InfoOut,
    RateLimitStatusOut,
    WindowOut,
    WorkersHealthOut,
)
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.ratelimit import RateLimitResult


def _now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def providers(rt: HibachiRuntime) -> dict[str, str]:
    settings = rt.settings
    ai = "openai" if settings.openai_api_key.get_secret_value() else "local"
    if ai == "local" and settings.gemini_api_key.get_secret_value():
        ai = "gemini"
    return {
        "database": "sqlite" if settings.is_sqlite else "postgresql",
        "cache": "redis" if settings.redis_url else "memory",
        "jobs": "redis-stream" if settings.redis_url else "in-process",
        "payments": settings.payments_provider,
        "ai": ai,
        "email": rt.notifier.provider("email"),
        "sms": rt.notifier.provider("sms"),
        "encryption": "fernet",
    }


async def _database(rt: HibachiRuntime) -> tuple[bool, float | None]:
    started = time.perf_counter()
    try:
        await rt.db.ping()
    except Exception:
        return False, None
    return True, round((time.perf_counter() - started) * 1000, 2)


async def _redis(rt: HibachiRuntime) -> str:
    if rt.redis is None:
        return "not_configured"
    try:
        await rt.redis.ping()
    except Exception:
        return "disconnected"
    return "connected"


async def health(rt: HibachiRuntime) -> HealthOut:
    database_ok, _ = await _database(rt)
    redis = await _redis(rt)
    healthy = database_ok and redis != "disconnected"
    names = providers(rt)
    return HealthOut(
        status="healthy" if healthy else "degraded",
        app=rt.app_name,
        version=VERSION,
        environment=rt.settings.environment,
        uptime_seconds=rt.uptime_seconds,
        database="connected" if database_ok else "disconnected",
        redis=redis,
        external_services={
            "stripe": "operational" if names["payments"] == "stripe" else "local",
            "openai": "operational" if names["ai"] != "local" else "local",
        },
        timestamp=_now(),
    )


async def database_health(rt: HibachiRuntime) -> DatabaseHealthOut:
    ok, latency = await _database(rt)
    revision = None
    if ok:
        async with rt.unit_of_work(write=False) as db:
            revision = await repository.schema_revision(db)
    return DatabaseHealthOut(
        status="healthy" if ok else "unhealthy",
        database="connected" if ok else "disconnected",
        dialect="sqlite" if rt.settings.is_sqlite else "postgresql",
        latency_ms=latency,
        schema_revision=revision,
        timestamp=_now(),
    )


async def workers_health(rt: HibachiRuntime) -> WorkersHealthOut:
    redis = await _redis(rt)
    queue: str | None = None
    queued: int | None = None
    if rt.redis is not None and redis == "connected":
        queue = f"trident:{rt.app_name}:jobs"
        queued = int(await rt.redis.xlen(queue))
    async with rt.unit_of_work(write=False) as db:
        failed = await repository.failed_jobs_since(db, utcnow() - timedelta(hours=24))
    return WorkersHealthOut(
        status="healthy" if redis != "disconnected" else "unhealthy",
        mode="redis-stream" if rt.redis is not None else "in-process",
        queue=queue,
        queued_jobs=queued,
        failed_jobs_24h=failed,
        redis=redis,
        timestamp=_now(),
    )


def features(rt: HibachiRuntime, *, detailed: bool) -> FeaturesOut:
    if not detailed:
        return FeaturesOut(status="healthy")
    names = providers(rt)
    return FeaturesOut(
        status="healthy",
        features={
            "authentication": "enabled",
            "mfa": "enabled",
            "workers": "running" if names["jobs"] == "in-process" else "redis-stream",
            "email_service": "connected" if names["email"] == "smtp" else "outbox",
            "sms_service": "connected" if names["sms"] == "http" else "outbox",
            "payment_service": "connected" if names["payments"] == "stripe" else "local",
            "encryption": "enabled",
            "audit_logging": "enabled",
            "rate_limiting": "enabled" if rt.limiter.enabled else "disabled",
        },
        providers=names,
    )


def info(rt: HibachiRuntime, *, detailed: bool) -> InfoOut:
    public = InfoOut(
        name="MyHibachi API",
        api_versions=["v1"],
        docs_url="/docs",
        redoc_url="/redoc",
        openapi_url="/openapi.json",
    )
    if not detailed:
        return public
    return public.model_copy(
        update={
            "app": rt.app_name,
            "version": VERSION,
            "environment": rt.settings.environment,
            "providers": providers(rt),
            "timestamp": _now(),
        }
    )


def rate_limit_status(rt: HibachiRuntime, result: RateLimitResult | None, tier: str) -> Any:
    if result is None:  # rate limiting is off
        return RateLimitStatusOut(
            enabled=False,
            tier=tier,
            limit=0,
            remaining=0,
            reset_at=_now(),
            requests_made=0,
            window_duration=0,
            backend=rt.limiter.backend,
            windows=[],
        )
    return RateLimitStatusOut(
        enabled=True,
        tier=result.tier,
        limit=result.limit,
        remaining=result.remaining,
        reset_at=_iso(result.reset_at),
        requests_made=result.limit - result.remaining,
        window_duration=result.window_seconds,
        backend=result.backend,
        windows=[
            WindowOut(
                name=w.name,
                limit=w.limit,
                remaining=max(0, w.remaining),
                reset_at=_iso(w.reset_at),
                window_seconds=w.window_seconds,
            )
            for w in result.windows
        ],
    )
