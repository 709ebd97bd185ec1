"""Plans, an org's subscription, checkout and the billing portal."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.billing import repository
from trident.apps.saas.billing.plans import PLANS, Plan, PlanType, effective_plan
from trident.apps.saas.billing.schemas import (
    CheckoutOut,
    CheckoutRequest,
    PlanLimitsOut,
    PlanOut,
    PortalOut,
    PortalRequest,
    SubscriptionOut,
)
from trident.apps.saas.models import Subscription
from trident.apps.saas.orgs.auth import OrgContext
from trident.apps.saas.runtime import SaasRuntime
from trident.core.errors import AppError, BadRequest, Conflict
from trident.core.payments import LineItem, PaymentError, PlanOption
from trident.core.urls import absolute_url


def plan_out(plan: Plan) -> PlanOut:
    limits = plan.limits
    return PlanOut(
        plan_type=plan.type,
        name=plan.name,
        description=plan.description,
        price=plan.price,
        amount_cents=plan.amount_cents,
        currency=plan.currency,
        interval=plan.interval,
        features=list(plan.features),
        limits=PlanLimitsOut(
            max_members=limits.max_members,
            max_api_keys=limits.max_api_keys,
            ai_requests_per_month=limits.ai_requests_per_month,
            ai_tokens_per_month=limits.ai_tokens_per_month,
        ),
    )


def list_plans() -> list[PlanOut]:
    return [plan_out(p) for p in sorted(PLANS.values(), key=lambda p: p.rank)]


def subscription_out(sub: Subscription) -> SubscriptionOut:
    plan = effective_plan(sub.plan, sub.status)
    return SubscriptionOut(
        org_id=sub.org_id,
        plan_type=plan.type,
        plan=plan_out(plan),
        status=sub.status,
        provider=sub.provider,
        provider_subscription_id=sub.provider_subscription_id,
        current_period_start=sub.current_period_start,
        current_period_end=sub.current_period_end,
        cancel_at_period_end=sub.cancel_at_period_end,
    )


async def current_plan(db: AsyncSession, org_id: int) -> Plan:
    sub = await repository.subscription_for_org(db, org_id)
    return effective_plan(sub.plan, sub.status)


def _payment_failure(exc: PaymentError) -> AppError:
    return AppError(exc.message, code=exc.code, status_code=exc.status)


async def _org_customer(rt: SaasRuntime, db: AsyncSession, ctx: OrgContext) -> str:
    """The org's customer at the payment provider, created on first need."""
    org = ctx.org
    if org.stripe_customer_id:
        return org.stripe_customer_id
    org.stripe_customer_id = await rt.payments.bind(db).create_customer(
        email=ctx.principal.user.email,
        name=org.name,
        metadata={"org_id": str(org.id), "app": "saas"},
        idempotency_key=f"saas-org-{org.id}-customer",
    )
    await db.flush()
    return org.stripe_customer_id


def _price_id(rt: SaasRuntime, plan: Plan) -> str | None:
    configured = {
        PlanType.PRO: rt.settings.stripe_price_pro,
        PlanType.TEAM: rt.settings.stripe_price_team,
    }
    return configured.get(plan.type) or None


async def create_checkout(
    rt: SaasRuntime,
    db: AsyncSession,
    ctx: OrgContext,
    body: CheckoutRequest,
    idempotency_key: str | None,
    *,
    base: str,
) -> CheckoutOut:
    """``base``: what a relative checkout URL (the local provider's) is made absolute
    against (core/urls.py: PUBLIC_URL, or the request's origin)."""
    plan = PLANS[body.plan_type]
    if plan.amount_cents == 0:
        raise BadRequest(
            "The Free plan needs no checkout; cancel the paid plan in the billing portal.",
            code="free_plan",
        )
    sub = await repository.subscription_for_org(db, ctx.org.id)
    current = effective_plan(sub.plan, sub.status)
    if current.type == plan.type:
        raise Conflict(f"This organization is already on {plan.name}.", code="already_subscribed")
    if current.amount_cents > 0:
        raise Conflict(
            f"This organization already pays for {current.name}; change plans in the billing "
            "portal (POST /api/v1/billing/portal).",
            code="use_billing_portal",
        )
    try:
        customer = await _org_customer(rt, db, ctx)
        metadata = {"org_id": str(ctx.org.id), "plan": plan.type.value}
        session = await rt.payments.bind(db).create_checkout_session(
            customer_id=customer,
            mode="subscription",
            line_items=[
                LineItem(
                    name=f"{plan.name} plan",
                    unit_amount=plan.amount_cents,
                    currency=plan.currency,
                    recurring_interval=plan.interval,
                    price_id=_price_id(rt, plan),
                    metadata={"plan": plan.type.value},
                )
            ],
            success_url=str(body.success_url),
            cancel_url=str(body.cancel_url),
            metadata=metadata,
            subscription_metadata=metadata,
            customer_email=ctx.principal.user.email,
            idempotency_key=f"saas-org-{ctx.org.id}-checkout-{idempotency_key}"
            if idempotency_key
            else None,
        )
    except PaymentError as exc:
        raise _payment_failure(exc)
    rt.counters["checkouts"].labels(plan.type.value).inc()
    return CheckoutOut(
        checkout_url=absolute_url(base, session.url),
        url=absolute_url(base, session.url),
        session_id=session.id,
        plan_type=plan.type,
        provider=rt.payments.name,
    )


async def create_portal(
    rt: SaasRuntime, db: AsyncSession, ctx: OrgContext, body: PortalRequest, *, base: str
) -> PortalOut:
    options = [
        PlanOption(
            key=p.type.value,
            name=p.name,
            unit_amount=p.amount_cents,
            currency=p.currency,
            interval=p.interval,
            metadata={"plan": p.type.value, "org_id": str(ctx.org.id)},
        )
        for p in PLANS.values()
        if p.amount_cents > 0
    ]
    try:
        customer = await _org_customer(rt, db, ctx)
        portal = await rt.payments.bind(db).create_portal_session(
            customer_id=customer, return_url=str(body.return_url), plan_options=options
        )
    except PaymentError as exc:
        raise _payment_failure(exc)
    url = absolute_url(base, portal.url)
    return PortalOut(portal_url=url, url=url, provider=rt.payments.name)
