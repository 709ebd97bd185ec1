"""All SQL about subscriptions and payment events."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import Org, Subscription
from trident.core.db.tenancy import in_tenant


def _locked(query: Select[tuple[Subscription]], for_update: bool) -> Select[tuple[Subscription]]:
    """Provider events for one subscription may arrive at once: whoever applies one holds
    the row until commit, so the staleness check and the write cannot interleave."""
    if not for_update:
        return query
    return query.with_for_update().execution_options(populate_existing=True)


async def subscription_for_org(
    db: AsyncSession, org_id: int, *, for_update: bool = False
) -> Subscription:
    query = select(Subscription).where(in_tenant(Subscription, org_id))
    sub = await db.scalar(_locked(query, for_update))
    if sub is None:  # every org gets one at creation; repair rather than fail
        sub = Subscription(org_id=org_id, plan="FREE", status="active")
        db.add(sub)
        await db.flush()
    return sub


async def subscription_by_provider_id(
    db: AsyncSession, provider_id: str, *, for_update: bool = False
) -> Subscription | None:
    query = select(Subscription).where(Subscription.provider_subscription_id == provider_id)
    return await db.scalar(_locked(query, for_update))


async def org_by_customer(db: AsyncSession, customer_id: str) -> Org | None:
    return await db.scalar(select(Org).where(Org.stripe_customer_id == customer_id))


async def org_by_id(db: AsyncSession, org_id: int) -> Org | None:
    return await db.get(Org, org_id)
