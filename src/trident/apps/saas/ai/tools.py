"""What the assistant can look up for an org: the same data the API serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.ai import repository
from trident.apps.saas.billing import repository as billing_repository
from trident.apps.saas.billing.plans import PLANS, effective_plan
from trident.apps.saas.orgs import repository as orgs_repository
from trident.core.ai import Tool, ToolRegistry
from trident.core.pagination import PageParams, fetch_page


@dataclass(frozen=True, slots=True)
class ToolContext:
    db: AsyncSession
    org_id: int
    month_start: datetime


async def get_usage(arguments: dict[str, Any], ctx: ToolContext) -> dict[str, Any]:
    sub = await billing_repository.subscription_for_org(ctx.db, ctx.org_id)
    plan = effective_plan(sub.plan, sub.status)
    requests, tokens = await repository.used_since(ctx.db, ctx.org_id, ctx.month_start)
    limits = plan.limits
    return {
        "summary": (
            f"This month your organization has made {requests} of "
            f"{limits.ai_requests_per_month} AI requests and used {tokens:,} of "
            f"{limits.ai_tokens_per_month:,} tokens on the {plan.name} plan."
        ),
        "requests": requests,
        "tokens": tokens,
        "plan": plan.type.value,
    }


async def get_plan(arguments: dict[str, Any], ctx: ToolContext) -> dict[str, Any]:
    sub = await billing_repository.subscription_for_org(ctx.db, ctx.org_id)
    plan = effective_plan(sub.plan, sub.status)
    others = ", ".join(
        f"{p.name} (${p.price}/{p.interval})" for p in PLANS.values() if p.type != plan.type
    )
    return {
        "summary": (
            f"Your organization is on the {plan.name} plan ({sub.status}), which includes "
            f"{', '.join(plan.features)} for up to {plan.limits.max_members} members. "
            f"Other plans: {others}."
        ),
        "plan": plan.type.value,
        "status": sub.status,
    }


async def list_members(arguments: dict[str, Any], ctx: ToolContext) -> dict[str, Any]:
    page = await fetch_page(
        ctx.db, orgs_repository.members_query(ctx.org_id), PageParams(limit=20, offset=0)
    )
    names = [f"{m.full_name or m.email} ({m.role})" for m in page.items]
    more = f" and {page.total - len(names)} more" if page.total > len(names) else ""
    return {
        "summary": f"Your organization has {page.total} members: {', '.join(names)}{more}.",
        "total": page.total,
    }


TOOLS = ToolRegistry(
    [
        Tool(
            name="get_usage",
            description="AI usage of this organization this month against its quota",
            parameters={"type": "object", "properties": {}},
            handler=get_usage,
            intents=("usage", "quota", "tokens", "how many requests", "limit"),
        ),
        Tool(
            name="get_plan",
            description="The organization's subscription plan and the other plans",
            parameters={"type": "object", "properties": {}},
            handler=get_plan,
            intents=("plan", "subscription", "billing", "upgrade", "pricing", "price"),
        ),
        Tool(
            name="list_members",
            description="Who is in this organization and their roles",
            parameters={"type": "object", "properties": {}},
            handler=list_members,
            intents=("members", "member", "team", "who is in", "colleagues"),
        ),
    ]
)
