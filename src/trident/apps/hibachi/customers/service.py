"""Customers: people who book.  Email and phone are encrypted at rest; a keyed hash
of each (the blind index) finds a customer by exact email or phone."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.customers import repository
from trident.apps.hibachi.models import Customer
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.text import normalize_phone_number


def email_index(rt: HibachiRuntime, email: str | None) -> str | None:
    return rt.cipher.blind_index(email.strip().lower()) if email else None


def phone_index(rt: HibachiRuntime, phone: str | None) -> str | None:
    if not phone:
        return None
    return rt.cipher.blind_index(normalize_phone_number(phone) or phone.strip())


def set_contact(
    rt: HibachiRuntime, customer: Customer, *, email: str | None, phone: str | None
) -> None:
    """Set email and phone together with their blind indexes (never one without the other)."""
    customer.email = email.strip().lower() if email else None
    customer.email_hash = email_index(rt, email)
    customer.phone = normalize_phone_number(phone) or phone.strip() if phone else None
    customer.phone_hash = phone_index(rt, phone)


async def find_customer(
    rt: HibachiRuntime, db: AsyncSession, station_id: int, *, email: str | None, phone: str | None
) -> Customer | None:
    """The station's customer with this email, else with this phone."""
    if email:
        found = await repository.by_email_hash(db, station_id, email_index(rt, email) or "")
        if found is not None:
            return found
    if phone:
        return await repository.by_phone_hash(db, station_id, phone_index(rt, phone) or "")
    return None


async def find_or_create_customer(
    rt: HibachiRuntime,
    db: AsyncSession,
    station_id: int,
    *,
    name: str,
    email: str | None,
    phone: str | None,
    source: str,
    **details: Any,
) -> Customer:
    """The customer with this email (or phone), created if new; contact details the
    record lacks are filled in, what it has is kept."""
    customer = await find_customer(rt, db, station_id, email=email, phone=phone)
    if customer is not None:
        if (email and not customer.email) or (phone and not customer.phone):
            set_contact(rt, customer, email=customer.email or email, phone=customer.phone or phone)
            await db.flush()
        return customer
    customer = Customer(station_id=station_id, name=name, source=source, **details)
    set_contact(rt, customer, email=email, phone=phone)
    try:
        # a savepoint: losing a race for the same email must not end the transaction
        async with db.begin_nested():
            db.add(customer)
            await db.flush()
    except IntegrityError:
        found = await find_customer(rt, db, station_id, email=email, phone=None)
        if found is None:
            raise
        return found
    return customer
