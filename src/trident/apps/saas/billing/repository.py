"""All SQL about subscriptions and payment events."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import Org, Subscription


async def subscription_for_org(db: AsyncSession, org_id: int) -> Subscription:
    sub = await db.scalar(select(Subscription).where(Subscription.org_id == org_id))
    if sub is None:  # every org gets one at creation; repair rather than fail
        sub = Subscription(org_id=org_id, plan="FREE", status="active")
        db.add(sub)
        await db.flush()
    return sub


async def subscription_by_provider_id(db: AsyncSession, provider_id: str) -> Subscription | None:
    return await db.scalar(
        select(Subscription).where(Subscription.provider_subscription_id == provider_id)
    )


async def org_by_customer(db: AsyncSession, customer_id: str) -> Org | None:
    return await db.scalar(select(Org).where(Org.stripe_customer_id == customer_id))


async def org_by_id(db: AsyncSession, org_id: int) -> Org | None:
    return await db.get(Org, org_id)
