"""Chat with quota enforcement and usage metering.

A usage row is written *before* the model is called, inside the org's lock, so
concurrent requests cannot overspend the quota; its token counts are filled in
once the answer is complete.  Failed calls do not count against the quota.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.ai import repository
from trident.apps.saas.ai.schemas import (
    ChatOut,
    ChatRequest,
    DailyUsage,
    ModelOut,
    ModelUsage,
    QuotaOut,
    ToolCallOut,
    UsageOut,
    UsageQuery,
    UsageStatsOut,
)
from trident.apps.saas.ai.tools import TOOLS, ToolContext
from trident.apps.saas.billing.plans import Plan
from trident.apps.saas.billing.service import current_plan
from trident.apps.saas.models import AiUsageEvent
from trident.apps.saas.orgs.auth import OrgContext
from trident.apps.saas.runtime import SaasRuntime
from trident.core.ai import AIProviderError, ChatMessage, UnknownModelError
from trident.core.ai.catalog import Resolved
from trident.core.clock import BusinessClock, utcnow
from trident.core.dates import DateRange, date_range
from trident.core.errors import AppError, TooManyRequests, Unprocessable

log = logging.getLogger("trident.saas.ai")

SYSTEM_PROMPT = (
    "You are the assistant of a SaaS workspace. Answer briefly. Use the tools to look up "
    "the organization's plan, usage and members instead of guessing."
)


def month_start(now: datetime) -> datetime:
    return datetime(now.year, now.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return (start + timedelta(days=32)).replace(day=1)


async def quota(db: AsyncSession, org_id: int, plan: Plan) -> QuotaOut:
    start = month_start(utcnow())
    requests, tokens = await repository.used_since(db, org_id, start)
    limits = plan.limits
    return QuotaOut(
        plan=plan.type.value,
        requests_limit=limits.ai_requests_per_month,
        requests_used=requests,
        requests_remaining=max(0, limits.ai_requests_per_month - requests),
        tokens_limit=limits.ai_tokens_per_month,
        tokens_used=tokens,
        tokens_remaining=max(0, limits.ai_tokens_per_month - tokens),
        period_start=start,
        resets_at=next_month(start),
    )


def resolve_model(rt: SaasRuntime, requested: str | None) -> Resolved:
    try:
        return rt.ai.resolve(requested)
    except UnknownModelError as exc:
        raise Unprocessable(
            f"Unknown model {requested!r}.",
            code="unknown_model",
            details={"available": exc.available},
        )


async def _reserve(
    db: AsyncSession, ctx: OrgContext, resolved: Resolved
) -> tuple[AiUsageEvent, Plan]:
    """Refuse when the month's quota is spent; otherwise hold a usage row."""
    await repository.lock_org(db, ctx.org.id)
    plan = await current_plan(db, ctx.org.id)
    state = await quota(db, ctx.org.id, plan)
    if state.requests_remaining <= 0 or state.tokens_remaining <= 0:
        raise TooManyRequests(
            f"The {plan.name} plan's monthly AI quota is spent; it resets on "
            f"{state.resets_at.date().isoformat()}.",
            code="ai_quota_exceeded",
            details={"quota": state.model_dump(mode="json")},
            headers={"Retry-After": str(int((state.resets_at - utcnow()).total_seconds()))},
        )
    event = AiUsageEvent(
        org_id=ctx.org.id,
        user_id=ctx.user_id,
        api_key_id=ctx.principal.api_key.id if ctx.principal.api_key else None,
        model=resolved.model_id,
        provider=resolved.provider.name,
        status="pending",
    )
    db.add(event)
    await db.flush()
    return event, plan


def _messages(body: ChatRequest) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=body.message)]


def _provider_failure(exc: AIProviderError) -> AppError:
    return AppError(exc.message, code="ai_provider_error", status_code=exc.status)


async def chat(rt: SaasRuntime, db: AsyncSession, ctx: OrgContext, body: ChatRequest) -> ChatOut:
    resolved = resolve_model(rt, body.model)
    event, plan = await _reserve(db, ctx, resolved)
    tool_ctx = ToolContext(db=db, org_id=ctx.org.id, month_start=month_start(utcnow()))
    try:
        result = await resolved.provider.complete(
            _messages(body),
            model=resolved.model_id,
            tools=TOOLS,
            context=tool_ctx,
            system=body.system or SYSTEM_PROMPT,
        )
    except AIProviderError as exc:
        await repository.finish(db, event.id, status="failed", prompt=0, completion=0)
        raise _provider_failure(exc)
    usage = result.usage
    # Meter what really answered (an endpoint may report a more specific model id).
    event.model = result.model
    await repository.finish(
        db,
        event.id,
        status="completed",
        prompt=usage.prompt_tokens,
        completion=usage.completion_tokens,
    )
    rt.counters["ai_requests"].labels(result.provider, result.model).inc()
    rt.counters["ai_tokens"].labels(result.provider, result.model).inc(usage.total_tokens)
    return ChatOut(
        response=result.content,
        model=result.model,
        provider=result.provider,
        requested_model=body.model,
        fallback=resolved.fallback,
        usage=UsageOut(
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            total_tokens=usage.total_tokens,
        ),
        tool_calls=[
            ToolCallOut(name=c.name, arguments=c.arguments, result=c.result)
            for c in result.tool_calls
        ],
        quota=await quota(db, ctx.org.id, plan),
        created_at=event.created_at,
    )


def _sse(data: object) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()


async def stream_chat(
    rt: SaasRuntime, db: AsyncSession, ctx: OrgContext, body: ChatRequest
) -> StreamingResponse:
    """Reserve quota in the request's transaction, then stream in a fresh one.

    The request's session commits before the first byte is sent; the stream reads
    through its own session and meters the tokens when it ends.
    """
    resolved = resolve_model(rt, body.model)
    event, _plan = await _reserve(db, ctx, resolved)
    event_id, org_id = event.id, ctx.org.id

    async def events() -> AsyncIterator[bytes]:
        prompt = completion = 0
        status = "failed"
        model = resolved.model_id
        try:
            async with rt.unit_of_work(write=False) as read_db:
                tool_ctx = ToolContext(db=read_db, org_id=org_id, month_start=month_start(utcnow()))
                async for item in resolved.provider.stream(
                    _messages(body),
                    model=resolved.model_id,
                    tools=TOOLS,
                    context=tool_ctx,
                    system=body.system or SYSTEM_PROMPT,
                ):
                    if item.done:
                        if item.usage is not None:
                            prompt = item.usage.prompt_tokens
                            completion = item.usage.completion_tokens
                        model = item.model or model
                        status = "completed"
                    elif item.content:
                        yield _sse({"content": item.content})
        except AIProviderError as exc:
            yield _sse({"error": exc.message})
        except Exception:
            log.exception("chat stream failed")
            yield _sse({"error": "The assistant failed; please retry."})
        finally:
            async with rt.unit_of_work() as write_db:
                await repository.finish(
                    write_db, event_id, status=status, prompt=prompt, completion=completion
                )
            if status == "completed":
                rt.counters["ai_requests"].labels(resolved.provider.name, model).inc()
                rt.counters["ai_tokens"].labels(resolved.provider.name, model).inc(
                    prompt + completion
                )
        yield b"data: [DONE]\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
            "X-AI-Model": resolved.model_id,
            "X-AI-Provider": resolved.provider.name,
            "X-AI-Fallback": "true" if resolved.fallback else "false",
        },
    )


def list_models(rt: SaasRuntime) -> list[ModelOut]:
    return [
        ModelOut(
            id=m.id,
            provider=m.provider,
            name=m.name,
            description=m.description,
            context_window=m.context_window,
            supports_tools=m.supports_tools,
            supports_streaming=m.supports_streaming,
            default=m.default,
        )
        for m in rt.ai.models()
    ]


#: the longest usage report: a year, and the day more a leap year has
MAX_USAGE_DAYS = 367


def _period(query: UsageQuery, clock: BusinessClock) -> DateRange:
    """This month by default; a given end alone covers its month up to that day."""
    today = clock.today()
    end = query.end or today
    start = query.start or (end.replace(day=1) if query.end else today.replace(day=1))
    return date_range(
        start, end, timezone=clock.timezone, names=("start", "end"), max_days=MAX_USAGE_DAYS
    )


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def usage_stats(
    db: AsyncSession, org_id: int, query: UsageQuery, clock: BusinessClock
) -> UsageStatsOut:
    period = _period(query, clock)
    start, end = period.start, period.end
    since, until = period.bounds()
    days = [
        DailyUsage(
            date=_as_date(d),
            requests=int(n),
            prompt_tokens=int(p),
            completion_tokens=int(c),
            total_tokens=int(t),
        )
        for d, n, p, c, t in await repository.by_day(db, org_id, since, until)
    ]
    models = await repository.by_model(db, org_id, since, until)
    plan = await current_plan(db, org_id)
    # the period's totals are the sum of its days (one aggregate pass fewer)
    return UsageStatsOut(
        org_id=org_id,
        start=start,
        end=end,
        requests=sum(day.requests for day in days),
        prompt_tokens=sum(day.prompt_tokens for day in days),
        completion_tokens=sum(day.completion_tokens for day in days),
        total_tokens=sum(day.total_tokens for day in days),
        by_day=days,
        by_model=[
            ModelUsage(model=m, provider=pr, requests=int(n), total_tokens=int(t))
            for m, pr, n, t in models
        ],
        quota=await quota(db, org_id, plan),
    )
