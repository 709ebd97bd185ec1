"""Premium features, gated by plan: analytics (Pro, Team), white-label (Team)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.ai import repository as ai_repository
from trident.apps.saas.billing.plans import Plan
from trident.apps.saas.models import Org
from trident.apps.saas.premium import repository
from trident.apps.saas.premium.schemas import (
    AiStats,
    AnalyticsOut,
    ApiKeyStats,
    DayPoint,
    MemberStats,
    ModelShare,
    UserShare,
    WhiteLabelOut,
    WhiteLabelUpdate,
)
from trident.core.clock import utcnow

ANALYTICS_DAYS = 30


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def analytics(db: AsyncSession, org_id: int, plan: Plan) -> AnalyticsOut:
    now = utcnow()
    end_day = now.date()
    start_day = end_day - timedelta(days=ANALYTICS_DAYS - 1)
    start = datetime.combine(start_day, time.min, UTC)
    end = datetime.combine(end_day + timedelta(days=1), time.min, UTC)
    previous_start = start - timedelta(days=ANALYTICS_DAYS)

    by_role = await repository.members_by_role(db, org_id)
    active, revoked, used = await repository.api_key_counts(db, org_id, start)
    requests, _prompt, _completion, tokens = await ai_repository.totals(db, org_id, start, end)
    previous = await repository.ai_requests_between(db, org_id, previous_start, start)
    days = await ai_repository.by_day(db, org_id, start, end)
    models = await ai_repository.by_model(db, org_id, start, end)
    users = await ai_repository.by_user(db, org_id, start, end)

    requests, tokens = int(requests), int(tokens)
    change = round((requests - previous) * 100 / previous, 1) if previous else None
    return AnalyticsOut(
        org_id=org_id,
        plan=plan.type.value,
        period_start=start_day,
        period_end=end_day,
        generated_at=now,
        members=MemberStats(
            total=sum(by_role.values()),
            by_role={role: by_role.get(role, 0) for role in ("owner", "admin", "member")},
            pending_invitations=await repository.pending_invitations(db, org_id),
        ),
        api_keys=ApiKeyStats(active=active, revoked=revoked, used_in_period=used),
        ai=AiStats(
            requests=requests,
            tokens=tokens,
            average_tokens_per_request=round(tokens / requests, 1) if requests else 0.0,
            requests_change_percent=change,
            daily=[
                DayPoint(date=_as_date(d), requests=int(n), tokens=int(t))
                for d, n, _p, _c, t in days
            ],
            top_models=[
                ModelShare(model=m, provider=p, requests=int(n), tokens=int(t))
                for m, p, n, t in models
            ],
            top_users=[
                UserShare(user_id=u, email=e, requests=int(n), tokens=int(t))
                for u, e, n, t in users
            ],
        ),
    )


def _white_label_defaults(org: Org) -> dict[str, Any]:
    return {
        "brand_name": org.name,
        "logo_url": None,
        "favicon_url": None,
        "primary_color": "#4F46E5",
        "secondary_color": "#0EA5E9",
        "custom_domain": None,
        "support_email": None,
        "hide_powered_by": False,
    }


def white_label(org: Org) -> WhiteLabelOut:
    settings = {**_white_label_defaults(org), **(org.white_label or {})}
    return WhiteLabelOut(org_id=org.id, **settings)


async def update_white_label(db: AsyncSession, org: Org, body: WhiteLabelUpdate) -> WhiteLabelOut:
    changes = body.model_dump(mode="json", exclude_unset=True)
    # Reassign (not mutate) so SQLAlchemy sees the JSON column change.
    org.white_label = {**(org.white_label or {}), **changes}
    await db.flush()
    return white_label(org)
