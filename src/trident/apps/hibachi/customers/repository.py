"""All SQL about customers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import Customer
from trident.core.db.tenancy import scoped


async def by_email_hash(db: AsyncSession, station_id: int, email_hash: str) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id).where(Customer.email_hash == email_hash)
    )


async def by_phone_hash(db: AsyncSession, station_id: int, phone_hash: str) -> Customer | None:
    return await db.scalar(
        scoped(select(Customer), Customer, station_id)
        .where(Customer.phone_hash == phone_hash)
        .order_by(Customer.id)
        .limit(1)
    )
