from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from trident.apps.hibachi.auth.auth import OPTIONAL_AUTH, MaybePrincipal
from trident.apps.hibachi.auth.permissions import MONITORING
from trident.apps.hibachi.auth.principal import Principal
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.monitoring import service
from trident.apps.hibachi.monitoring.schemas import (
    DatabaseHealthOut,
    FeaturesOut,
    InfoOut,
    RateLimitStatusOut,
    WorkersHealthOut,
)
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.ratelimit import STATE_KEY

router = APIRouter(tags=["health"])
monitoring_router = APIRouter(tags=["monitoring"])


async def health(request: Request) -> Any:
    """Basic health check: the app answers; database and Redis state (never 503)."""
    return await service.health(hibachi_runtime(request))


def _operator(principal: Principal | None) -> bool:
    """Diagnostics beyond a status are for the platform's operators only."""
    return principal is not None and principal.can(MONITORING)


@router.get(
    "/info",
    response_model=InfoOut,
    response_model_exclude_none=True,
    responses=errors(401),
    openapi_extra=OPTIONAL_AUTH,
)
async def info(request: Request, principal: MaybePrincipal) -> InfoOut:
    """The app and where its docs are; with ``monitoring:read``, also its version,
    environment and which provider serves each integration."""
    return service.info(hibachi_runtime(request), detailed=_operator(principal))


@router.get(
    "/health/db",
    response_model=DatabaseHealthOut,
    responses={503: {"model": DatabaseHealthOut, "description": "The database is down"}},
)
async def database_health(request: Request) -> Any:
    """The database: reachable, how fast, and at which schema revision; 503 when down."""
    report = await service.database_health(hibachi_runtime(request))
    return JSONResponse(
        report.model_dump(mode="json"), status_code=200 if report.status == "healthy" else 503
    )


router.add_api_route(
    "/api/health/db",
    database_health,
    methods=["GET"],
    response_model=DatabaseHealthOut,
    responses={503: {"model": DatabaseHealthOut, "description": "The database is down"}},
    summary="Database health (same as /health/db)",
    include_in_schema=False,  # an alias (docs/compat.md): published once, as /health/db
)


@router.get(
    "/health/workers",
    response_model=WorkersHealthOut,
    responses={503: {"model": WorkersHealthOut, "description": "The job queue is down"}},
)
async def workers_health(request: Request) -> Any:
    """Background jobs: where they run, what is queued, what failed in 24 hours."""
    report = await service.workers_health(hibachi_runtime(request))
    return JSONResponse(
        report.model_dump(mode="json"), status_code=200 if report.status == "healthy" else 503
    )


@router.get(
    "/health/features",
    response_model=FeaturesOut,
    response_model_exclude_none=True,
    responses=errors(401),
    openapi_extra=OPTIONAL_AUTH,
)
async def features_health(request: Request, principal: MaybePrincipal) -> FeaturesOut:
    """A status; with ``monitoring:read``, which features are on and which provider
    serves each."""
    return service.features(hibachi_runtime(request), detailed=_operator(principal))


@monitoring_router.get(
    "/rate-limit/status", response_model=RateLimitStatusOut, responses=errors(429)
)
async def rate_limit_status(request: Request) -> Any:
    """Your rate-limit tier and what is left of each window (this call counts too)."""
    result = request.state._state.get(STATE_KEY)
    return service.rate_limit_status(hibachi_runtime(request), result, "public")
