"""The app factory every Trident app builds on."""

from __future__ import annotations

import gc
import hmac
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from trident.core.config import CoreSettings
from trident.core.docs import install_docs
from trident.core.errors import (
    ErrorRenderer,
    Forbidden,
    Unauthorized,
    UnhandledHook,
    install_error_handlers,
)
from trident.core.observability.logging import configure_logging
from trident.core.observability.middleware import RequestContextMiddleware
from trident.core.openapi import document_errors, operation_id
from trident.core.ratelimit import RateLimitMiddleware, TierResolver
from trident.core.runtime import Runtime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _db_session(request: Request) -> AsyncIterator[AsyncSession]:
    runtime: Runtime = request.app.state.runtime
    write = request.method not in SAFE_METHODS
    async with runtime.unit_of_work(write=write) as session:
        if write:
            runtime.on_write_session(session, request)
        yield session


#: The request's session. ``scope="function"`` commits before the response is sent,
#: so a client never sees success for a write that then fails to commit.
DbSession = Annotated[AsyncSession, Depends(_db_session, scope="function")]


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


class HealthStatus(BaseModel):
    status: str
    app: str
    version: str


class ReadyStatus(BaseModel):
    status: str
    ready: bool
    checks: dict[str, str]


class LiveStatus(BaseModel):
    status: str


HealthEndpoint = Callable[[Request], Any]


def check_metrics_access(settings: CoreSettings, authorization: str | None) -> None:
    """``/metrics`` shows traffic, errors and job queues: with ``METRICS_TOKEN`` set it
    needs ``Authorization: Bearer <token>``; without one it is open only outside
    production."""
    token = settings.metrics_token.get_secret_value()
    if not token:
        if settings.environment == "production":
            raise Forbidden(
                "Metrics are off: set METRICS_TOKEN to scrape them.", code="metrics_disabled"
            )
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
        raise Unauthorized("Send the metrics token as a bearer token.", code="not_authenticated")


def health_router(
    version: str,
    *,
    health: HealthEndpoint | None = None,
    health_model: type[BaseModel] = HealthStatus,
) -> APIRouter:
    """``/health``, ``/ready``, ``/live`` and ``/metrics``; an app whose document gives
    ``/health`` more fields passes its own endpoint and model."""
    router = APIRouter(tags=["health"])

    async def basic_health(request: Request) -> HealthStatus:
        return HealthStatus(status="healthy", app=runtime_of(request).app_name, version=version)

    router.add_api_route(
        "/health",
        health or basic_health,
        methods=["GET"],
        response_model=health_model,
        summary="Basic health check",
    )

    @router.get(
        "/ready",
        response_model=ReadyStatus,
        summary="Readiness: database and (when configured) Redis",
        responses={503: {"model": ReadyStatus, "description": "A dependency is down"}},
    )
    async def ready(request: Request) -> Any:
        report = await runtime_of(request).readiness()
        return JSONResponse(report, status_code=200 if report["ready"] else 503)

    @router.get("/live", response_model=LiveStatus, summary="Liveness: the process answers")
    async def live() -> LiveStatus:
        return LiveStatus(status="alive")

    @router.get(
        "/metrics",
        summary="Prometheus metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
    )
    async def metrics(request: Request) -> Response:
        runtime = runtime_of(request)
        check_metrics_access(runtime.settings, request.headers.get("authorization"))
        body, content_type = runtime.metrics.render()
        return Response(body, media_type=content_type)

    return router


def create_base_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    version: str,
    renderer: ErrorRenderer,
    error_model: type[BaseModel],
    tier_resolver: TierResolver,
    routers: Sequence[APIRouter],
    on_unhandled: UnhandledHook | None = None,
    on_startup: Callable[[], Any] | None = None,
    include_health: bool = True,
    health: HealthEndpoint | None = None,
    health_model: type[BaseModel] = HealthStatus,
    openapi_tags: list[dict[str, Any]] | None = None,
    header_errors: dict[str, dict[str, str]] | None = None,
    extra_setup: Callable[[FastAPI], None] | None = None,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    settings = runtime.settings
    settings.check_production()
    configure_logging(settings.app_name, settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.startup()
        if on_startup is not None:
            await on_startup()
        app.openapi()  # built now, not on the first request to /docs
        # Everything alive now (routes, dependency trees, schemas: hundreds of thousands
        # of objects) lives as long as the process. A full collection walked them all,
        # a 200 ms pause that was the p99 of every endpoint; frozen, it never does.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await runtime.shutdown()

    app = FastAPI(
        title=title,
        description=description,
        version=version,
        lifespan=lifespan,
        docs_url=None,  # served from local assets by install_docs
        redoc_url=None,
        openapi_url="/openapi.json",
        openapi_tags=openapi_tags,
        generate_unique_id_function=operation_id,
        # PUBLIC_URL when set; else "/": the server the document was fetched from
        servers=[{"url": settings.public_url or "/", "description": "This deployment"}],
    )
    install_docs(app)
    app.state.runtime = runtime
    responder = install_error_handlers(app, renderer, on_unhandled)

    if include_health:
        app.include_router(health_router(version, health=health, health_model=health_model))
    for router in routers:
        app.include_router(router)
    if extra_setup is not None:
        extra_setup(app)
    document_errors(app, error_model, header_errors)

    # Added innermost first: the request-context middleware wraps everything, so
    # every response (429 and 413 included) carries the request id.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "Retry-After",
            "X-Total-Count",
        ],
    )
    app.add_middleware(
        RateLimitMiddleware,
        limiter=runtime.limiter,
        resolver=tier_resolver,
        responder=responder,
    )
    app.add_middleware(
        RequestContextMiddleware,
        metrics=runtime.metrics,
        max_body_bytes=settings.max_body_bytes,
        on_error=responder,
        hsts=settings.is_production,
        body_limits=body_limits,
    )
    return app
