from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from trident.apps.saas.ai import service
from trident.apps.saas.ai.schemas import ChatOut, ChatRequest, ModelOut, UsageQuery, UsageStatsOut
from trident.apps.saas.envelope import errors
from trident.apps.saas.orgs.auth import header_org
from trident.apps.saas.runtime import saas_runtime
from trident.core.app import DbSession
from trident.core.dates import Day
from trident.core.openapi import sse_response

router = APIRouter(prefix="/api/v1/ai", tags=["ai"])

AiUser = header_org("ai:use")
AiReader = header_org("billing:read")

SSE_RESPONSE = sse_response('JSON, or with `"stream": true` Server-Sent Events')
STREAM_RESPONSE = sse_response('Server-Sent Events: `data: {"content": "..."}` then `data: [DONE]`')


@router.post(
    "/chat",
    response_model=ChatOut,
    responses={**SSE_RESPONSE, **errors(401, 403, 404, 422, 429, 502, 504)},
)
async def chat(body: ChatRequest, ctx: AiUser, request: Request, db: DbSession) -> Any:
    """One complete answer (counted against the org's monthly quota)."""
    rt = saas_runtime(request)
    if body.stream:
        return await service.stream_chat(rt, db, ctx, body)
    return await service.chat(rt, db, ctx, body)


@router.post(
    "/chat/stream",
    response_class=service.StreamingResponse,
    responses={**STREAM_RESPONSE, **errors(401, 403, 404, 422, 429)},
)
async def chat_stream(body: ChatRequest, ctx: AiUser, request: Request, db: DbSession) -> Any:
    """The answer as Server-Sent Events, token by token."""
    return await service.stream_chat(saas_runtime(request), db, ctx, body)


@router.get("/usage", response_model=UsageStatsOut, responses=errors(401, 403, 404, 422))
async def usage(
    ctx: AiReader,
    db: DbSession,
    request: Request,
    start: Day | None = Query(None, description="First day (default: first of this month)"),
    end: Day | None = Query(None, description="Last day, inclusive (default: today)"),
) -> UsageStatsOut:
    """Requests and tokens by day and by model, with the plan's quota."""
    query = UsageQuery(start=start, end=end)
    clock = saas_runtime(request).clock
    return await service.usage_stats(db, ctx.org.id, query, clock)


@router.get("/models", response_model=list[ModelOut], responses=errors(401, 403, 404, 422))
async def models(ctx: AiUser, request: Request) -> list[ModelOut]:
    """Models this deployment can answer with (the local assistant is always there)."""
    return service.list_models(saas_runtime(request))
