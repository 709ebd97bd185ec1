from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request

from trident.apps.saas.billing import repository, service
from trident.apps.saas.billing.schemas import (
    CheckoutOut,
    CheckoutRequest,
    PlanOut,
    PortalOut,
    PortalRequest,
    SubscriptionOut,
    WebhookOut,
)
from trident.apps.saas.billing.webhooks import process_webhook
from trident.apps.saas.envelope import errors
from trident.apps.saas.models import IdempotencyRecord
from trident.apps.saas.orgs.auth import header_org
from trident.apps.saas.runtime import saas_runtime
from trident.core.app import DbSession
from trident.core.idempotency import IdempotencyKey, fingerprint_of, idempotent
from trident.core.urls import public_base

router = APIRouter(prefix="/api/v1/billing", tags=["billing"])

BillingReader = header_org("billing:read")
BillingManager = header_org("billing:manage")


@router.get("/plans", response_model=list[PlanOut])
async def plans() -> list[PlanOut]:
    """Every plan (Free, Pro, Team) with its price, features and limits."""
    return service.list_plans()


@router.get("/subscription", response_model=SubscriptionOut, responses=errors(401, 403, 404, 422))
async def subscription(ctx: BillingReader, db: DbSession) -> SubscriptionOut:
    """The current org's subscription (Free unless it pays)."""
    return service.subscription_out(await repository.subscription_for_org(db, ctx.org.id))


@router.post(
    "/checkout",
    response_model=CheckoutOut,
    responses=errors(400, 401, 402, 403, 404, 409, 422, 502),
)
async def checkout(
    body: CheckoutRequest,
    ctx: BillingManager,
    request: Request,
    db: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> CheckoutOut:
    """Start paying for a plan: returns the hosted checkout URL to send the browser to."""
    rt = saas_runtime(request)
    return await idempotent(
        db,
        IdempotencyRecord,
        scope=f"org:{ctx.org.id}:checkout",
        key=idempotency_key,
        fingerprint=fingerprint_of(body.model_dump(mode="json")),
        run=lambda: service.create_checkout(
            rt, db, ctx, body, idempotency_key, base=public_base(request)
        ),
    )


@router.post("/portal", response_model=PortalOut, responses=errors(401, 402, 403, 404, 422, 502))
async def portal(
    body: PortalRequest, ctx: BillingManager, request: Request, db: DbSession
) -> PortalOut:
    """A billing-portal URL where the org changes or cancels its plan."""
    return await service.create_portal(
        saas_runtime(request), db, ctx, body, base=public_base(request)
    )


@router.post("/webhook/stripe", response_model=WebhookOut, responses=errors(400))
async def stripe_webhook(
    request: Request,
    db: DbSession,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookOut:
    """Payment events (Stripe format), verified by signature and applied once each."""
    payload = await request.body()
    return await process_webhook(saas_runtime(request), db, payload, stripe_signature)
