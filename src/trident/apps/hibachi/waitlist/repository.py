"""All SQL about the waitlist: the list with each entry's customer and queue
position, one entry, and the claim that lets only one request convert an entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from trident.apps.hibachi.models import Customer, WaitlistEntry
from trident.core.clock import utcnow
from trident.core.db.tenancy import in_tenant, scoped

WAITING = "waiting"

_earlier = aliased(WaitlistEntry)
#: the entry's place among the waiting entries of its date, first come first served
POSITION = case(
    (
        WaitlistEntry.status == WAITING,
        select(func.count(_earlier.id))
        .where(
            _earlier.station_id == WaitlistEntry.station_id,
            _earlier.status == WAITING,
            _earlier.preferred_date == WaitlistEntry.preferred_date,
            _earlier.id <= WaitlistEntry.id,
        )
        .correlate(WaitlistEntry)
        .scalar_subquery(),
    ),
    else_=None,
)


def _with_customer(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(Customer, Customer.id == WaitlistEntry.customer_id).add_columns(
        Customer.name, Customer.email, Customer.phone, POSITION
    )


def list_query(
    station_id: int,
    *,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    customer_id: int | None = None,
) -> Select[Any]:
    stmt = scoped(select(WaitlistEntry), WaitlistEntry, station_id)
    if status is not None:
        stmt = stmt.where(WaitlistEntry.status == status)
    if date_from is not None:
        stmt = stmt.where(WaitlistEntry.preferred_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(WaitlistEntry.preferred_date <= date_to)
    if customer_id is not None:
        stmt = stmt.where(WaitlistEntry.customer_id == customer_id)
    return _with_customer(stmt).order_by(WaitlistEntry.preferred_date, WaitlistEntry.id)


async def by_id(db: AsyncSession, station_id: int, entry_id: int) -> WaitlistEntry | None:
    return await db.scalar(
        scoped(select(WaitlistEntry), WaitlistEntry, station_id).where(WaitlistEntry.id == entry_id)
    )


async def get_row(db: AsyncSession, station_id: int, entry_id: int) -> Any:
    """(entry, customer name, email, phone, position), or None."""
    stmt = _with_customer(scoped(select(WaitlistEntry), WaitlistEntry, station_id)).where(
        WaitlistEntry.id == entry_id
    )
    return (await db.execute(stmt)).first()


async def waiting_entry_id(
    db: AsyncSession, station_id: int, customer_id: int, preferred_date: date
) -> int | None:
    return await db.scalar(
        scoped(select(WaitlistEntry.id), WaitlistEntry, station_id)
        .where(
            WaitlistEntry.status == WAITING,
            WaitlistEntry.preferred_date == preferred_date,
            WaitlistEntry.customer_id == customer_id,
        )
        .limit(1)
    )


async def claim(db: AsyncSession, station_id: int, entry_id: int, status: str) -> bool:
    """Move a waiting entry to ``status``; False when it was no longer waiting (another
    request got there first).  A conditional UPDATE, so two requests cannot both win."""
    result = await db.execute(
        update(WaitlistEntry)
        .where(
            in_tenant(WaitlistEntry, station_id),
            WaitlistEntry.id == entry_id,
            WaitlistEntry.status == WAITING,
        )
        .values(status=status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
