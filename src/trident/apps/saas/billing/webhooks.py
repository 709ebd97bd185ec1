"""Payment provider events: verified, stored once by event id, then applied.

The HTTP endpoint and the local provider's in-process delivery both end here.
Events can arrive twice, late and out of order: a repeated id changes nothing,
and a subscription ignores events older than the newest one it has applied.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.billing import repository
from trident.apps.saas.billing.plans import PlanType, plan_for_key
from trident.apps.saas.billing.schemas import WebhookOut
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.models import Subscription, WebhookEvent
from trident.core.clock import utcnow
from trident.core.errors import BadRequest
from trident.core.ids import parse_id
from trident.core.payments import (
    PaymentProvider,
    WebhookSignatureError,
    apply_webhook,
    webhook_secret,
)
from trident.core.payments.events import EventHandler

log = logging.getLogger("trident.saas.billing")


class BillingContext(Protocol):
    """What applying a payment event needs of the app; the runtime provides it (and
    imports this module, so this module names the need, not the runtime)."""

    settings: SaasSettings
    payments: PaymentProvider
    counters: dict[str, Any]


Handler = Callable[[BillingContext, AsyncSession, dict[str, Any], datetime], Awaitable[str]]
ENDED_STATUSES = frozenset({"canceled", "incomplete_expired", "unpaid"})


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _is_stale(sub: Subscription, event_time: datetime) -> bool:
    return sub.last_event_at is not None and event_time < sub.last_event_at


def _applied(sub: Subscription, event_time: datetime) -> None:
    if sub.last_event_at is None or event_time > sub.last_event_at:
        sub.last_event_at = event_time


def _plan_of(rt: BillingContext, obj: dict[str, Any]) -> PlanType | None:
    """The plan a provider subscription is for: our metadata, else the price's."""
    candidates = [(obj.get("metadata") or {}).get("plan")]
    items = ((obj.get("items") or {}).get("data")) or []
    for item in items:
        price = item.get("price") or {}
        candidates.append((price.get("metadata") or {}).get("plan"))
        price_ids = {
            rt.settings.stripe_price_pro: PlanType.PRO,
            rt.settings.stripe_price_team: PlanType.TEAM,
        }
        if price.get("id") in price_ids and price.get("id"):
            return price_ids[price["id"]]
    # A plan change in the portal updates the price; the price's plan wins over the
    # metadata written at checkout, so read it first when both are present.
    for key in reversed(candidates):
        plan = plan_for_key(key) if key else None
        if plan is not None:
            return plan.type
    return None


async def _subscription_for(
    rt: BillingContext, db: AsyncSession, obj: dict[str, Any]
) -> Subscription | None:
    provider_id = obj.get("id")
    sub = (
        await repository.subscription_by_provider_id(db, provider_id, for_update=True)
        if provider_id
        else None
    )
    if sub is not None:
        return sub
    org_id = parse_id((obj.get("metadata") or {}).get("org_id") or "")
    if org_id is not None and await repository.org_by_id(db, org_id):
        return await repository.subscription_for_org(db, org_id, for_update=True)
    customer = obj.get("customer")
    org = await repository.org_by_customer(db, customer) if customer else None
    return await repository.subscription_for_org(db, org.id, for_update=True) if org else None


async def on_checkout_completed(
    rt: BillingContext, db: AsyncSession, event: dict[str, Any], at: datetime
) -> str:
    obj = event["data"]["object"]
    if obj.get("mode") != "subscription":
        return "ignored"
    metadata = obj.get("metadata") or {}
    org_id = parse_id(metadata.get("org_id") or "")
    plan = plan_for_key(metadata.get("plan") or "")
    if org_id is None or plan is None:
        return "ignored"
    org = await repository.org_by_id(db, org_id)
    if org is None:
        return "ignored"
    sub = await repository.subscription_for_org(db, org.id, for_update=True)
    if _is_stale(sub, at):
        return "stale"
    if obj.get("customer") and not org.stripe_customer_id:
        org.stripe_customer_id = obj["customer"]
    sub.plan = plan.type.value
    sub.status = "active"
    sub.provider = rt.payments.name
    sub.provider_subscription_id = obj.get("subscription") or sub.provider_subscription_id
    sub.cancel_at_period_end = False
    _applied(sub, at)
    return "processed"


async def on_subscription_changed(
    rt: BillingContext, db: AsyncSession, event: dict[str, Any], at: datetime
) -> str:
    obj = event["data"]["object"]
    sub = await _subscription_for(rt, db, obj)
    if sub is None:
        return "ignored"
    if (
        sub.provider_subscription_id
        and sub.provider_subscription_id != obj.get("id")
        and event["type"] != "customer.subscription.created"
    ):
        return "ignored"  # an event about a subscription this org has since replaced
    if _is_stale(sub, at):
        return "stale"
    status = obj.get("status") or sub.status
    deleted = event["type"] == "customer.subscription.deleted" or status in ENDED_STATUSES
    plan = _plan_of(rt, obj)
    sub.provider = rt.payments.name
    sub.provider_subscription_id = obj.get("id") or sub.provider_subscription_id
    sub.status = "canceled" if deleted and status not in ENDED_STATUSES else status
    if deleted:
        sub.plan = PlanType.FREE.value
    elif plan is not None:
        sub.plan = plan.value
    item = (((obj.get("items") or {}).get("data")) or [{}])[0]
    start = obj.get("current_period_start") or item.get("current_period_start")
    end = obj.get("current_period_end") or item.get("current_period_end")
    sub.current_period_start = _ts(start) or sub.current_period_start
    sub.current_period_end = _ts(end) or sub.current_period_end
    sub.cancel_at_period_end = bool(obj.get("cancel_at_period_end"))
    _applied(sub, at)
    return "processed"


def _invoice_subscription(obj: dict[str, Any]) -> str | None:
    parent = (obj.get("parent") or {}).get("subscription_details") or {}
    return obj.get("subscription") or parent.get("subscription")


async def on_invoice(
    rt: BillingContext, db: AsyncSession, event: dict[str, Any], at: datetime
) -> str:
    obj = event["data"]["object"]
    provider_id = _invoice_subscription(obj)
    sub = (
        await repository.subscription_by_provider_id(db, provider_id, for_update=True)
        if provider_id
        else None
    )
    if sub is None:
        return "ignored"
    if _is_stale(sub, at):
        return "stale"
    if event["type"] == "invoice.paid":
        if sub.status not in ENDED_STATUSES and sub.status != "canceled":
            sub.status = "active"
    else:
        sub.status = "past_due"
    _applied(sub, at)
    return "processed"


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": on_checkout_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.paid": on_invoice,
    "invoice.payment_failed": on_invoice,
}


async def process_webhook(
    rt: BillingContext, db: AsyncSession, payload: bytes, signature: str | None
) -> WebhookOut:
    def bound(handler: Handler) -> EventHandler:
        async def handle(event: dict[str, Any]) -> str:
            return await handler(rt, db, event, _ts(event.get("created")) or utcnow())

        return handle

    try:
        result = await apply_webhook(
            db,
            WebhookEvent,
            payload,
            signature,
            webhook_secret(rt.settings),
            {event_type: bound(handler) for event_type, handler in HANDLERS.items()},
        )
    except WebhookSignatureError as exc:
        rt.counters["webhooks"].labels("unknown", "invalid_signature").inc()
        raise BadRequest(str(exc), code="invalid_signature")
    rt.counters["webhooks"].labels(result.type, result.outcome).inc()
    if not result.duplicate:
        log.info("payment event %s %s: %s", result.type, result.event_id, result.outcome)
    return WebhookOut(
        received=True,
        event_id=result.event_id,
        type=result.type,
        duplicate=result.duplicate,
        outcome=result.outcome,
    )
