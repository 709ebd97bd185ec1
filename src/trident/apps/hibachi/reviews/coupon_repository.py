"""All SQL about coupons: the list, look-ups, the two conditional UPDATEs that
keep redemptions honest under concurrency, and giving a use back on cancellation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, delete, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from trident.apps.hibachi.models import Booking, Coupon, CouponRedemption
from trident.core.db.tenancy import scoped


def usable_now(now: datetime) -> ColumnElement[bool]:
    """Active, not expired, not used up."""
    return and_(
        Coupon.is_active.is_(True),
        or_(Coupon.expires_at.is_(None), Coupon.expires_at > now),
        or_(Coupon.max_uses.is_(None), Coupon.uses_count < Coupon.max_uses),
    )


def coupons_query(
    station_id: int, *, active: bool | None, customer_id: int | None, now: datetime
) -> Select[Any]:
    """Newest first; ``active`` true: usable now, false: not usable now."""
    stmt = scoped(select(Coupon), Coupon, station_id)
    if active is not None:
        stmt = stmt.where(usable_now(now) if active else not_(usable_now(now)))
    if customer_id is not None:
        stmt = stmt.where(Coupon.customer_id == customer_id)
    return stmt.order_by(Coupon.created_at.desc(), Coupon.id.desc())


async def coupon_by_code(db: AsyncSession, station_id: int, code: str) -> Coupon | None:
    return await db.scalar(
        scoped(select(Coupon), Coupon, station_id).where(Coupon.code == code.upper())
    )


async def code_taken(db: AsyncSession, station_id: int, code: str) -> bool:
    found = await db.scalar(
        scoped(select(Coupon.id), Coupon, station_id).where(Coupon.code == code.upper())
    )
    return found is not None


async def has_redeemed(db: AsyncSession, coupon_id: int, customer_id: int) -> bool:
    found = await db.scalar(
        select(CouponRedemption.id).where(
            CouponRedemption.coupon_id == coupon_id, CouponRedemption.customer_id == customer_id
        )
    )
    return found is not None


async def count_use(db: AsyncSession, coupon_id: int, now: datetime) -> bool:
    """Take one use of a coupon if it still has one: a conditional UPDATE, so two
    redemptions at the same instant cannot pass ``max_uses``.  False when none is left."""
    result = await db.execute(
        update(Coupon)
        .where(Coupon.id == coupon_id, usable_now(now))
        .values(uses_count=Coupon.uses_count + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_booking(db: AsyncSession, booking_id: int, code: str) -> bool:
    """Mark a booking as carrying a coupon unless one got there first (one per booking)."""
    result = await db.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.coupon_code.is_(None))
        .values(coupon_code=code)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def release_for_booking(db: AsyncSession, booking_id: int) -> None:
    """Give back the use a cancelled booking took: its redemption goes and the coupon's
    count drops, so the customer can use the coupon on the booking that replaces it."""
    coupon_id = await db.scalar(
        delete(CouponRedemption)
        .where(CouponRedemption.booking_id == booking_id)
        .returning(CouponRedemption.coupon_id)
        .execution_options(synchronize_session=False)
    )
    if coupon_id is None:
        return
    await db.execute(
        update(Coupon)
        .where(Coupon.id == coupon_id, Coupon.uses_count > 0)
        .values(uses_count=Coupon.uses_count - 1)
        .execution_options(synchronize_session=False)
    )
