from __future__ import annotations

from fastapi import APIRouter

from trident.apps.saas.auth.auth import AnyPrincipal
from trident.apps.saas.billing.plans import require_feature
from trident.apps.saas.billing.service import current_plan
from trident.apps.saas.envelope import errors
from trident.apps.saas.orgs.auth import header_org
from trident.apps.saas.premium import service
from trident.apps.saas.premium.schemas import (
    AnalyticsOut,
    FreeFeatureOut,
    WhiteLabelOut,
    WhiteLabelUpdate,
)
from trident.core.app import DbSession

router = APIRouter(prefix="/api/v1/premium", tags=["premium"])

PremiumReader = header_org("premium:read")
PremiumManager = header_org("premium:manage")


@router.get("/free-feature", response_model=FreeFeatureOut, responses=errors(401))
async def free_feature(principal: AnyPrincipal) -> FreeFeatureOut:
    """A feature every signed-in user has, whatever the plan."""
    return FreeFeatureOut(
        feature="free-feature",
        available=True,
        message="This feature is included in every plan.",
        user_id=principal.user.id,
    )


@router.get("/analytics", response_model=AnalyticsOut, responses=errors(401, 403, 404, 422))
async def analytics(ctx: PremiumReader, db: DbSession) -> AnalyticsOut:
    """The last 30 days of the org's members, API keys and AI use (Pro and Team)."""
    plan = await current_plan(db, ctx.org.id)
    require_feature(plan, "analytics")
    return await service.analytics(db, ctx.org.id, plan)


@router.get("/white-label", response_model=WhiteLabelOut, responses=errors(401, 403, 404, 422))
async def get_white_label(ctx: PremiumReader, db: DbSession) -> WhiteLabelOut:
    """The org's branding settings (Team)."""
    require_feature(await current_plan(db, ctx.org.id), "white-label")
    return service.white_label(ctx.org)


@router.patch("/white-label", response_model=WhiteLabelOut, responses=errors(401, 403, 404, 422))
async def update_white_label(
    body: WhiteLabelUpdate, ctx: PremiumManager, db: DbSession
) -> WhiteLabelOut:
    """Change the org's branding (Team; owner or admin)."""
    require_feature(await current_plan(db, ctx.org.id), "white-label")
    return await service.update_white_label(db, ctx.org, body)
