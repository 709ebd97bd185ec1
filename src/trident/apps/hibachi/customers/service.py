"""Customers: people who book.  Email and phone are encrypted at rest; a keyed hash
of each (the blind index) finds a customer by exact email or phone.  Because of
that, a search matches part of a name but only a whole email or phone number.

Loyalty (tier, points), totals and upcoming counts are derived from the customer's
bookings on every read (customers/loyalty.py), never stored."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings.presenter import booking_out
from trident.apps.hibachi.customers import loyalty, repository
from trident.apps.hibachi.customers.repository import Totals
from trident.apps.hibachi.customers.schemas import (
    AddressOut,
    BookingCounts,
    CustomerAnalytics,
    CustomerBrief,
    CustomerCreate,
    CustomerDashboard,
    CustomerFields,
    CustomerListItem,
    CustomerOut,
    CustomerPreferences,
    CustomerUpdate,
    CustomerUpsert,
    DashboardCounts,
    Loyalty,
    MonthSpend,
    PreferencesIn,
    PreferencesOut,
)
from trident.apps.hibachi.models import BookingStatus, Customer
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import today_in
from trident.core.errors import Conflict, Forbidden, NotFound, Unprocessable
from trident.core.ids import parse_id
from trident.core.money import cents_to_decimal, cents_to_number
from trident.core.text import normalize_phone_number

#: fields only staff set.  A customer editing their own record may not touch staff
#: notes or payment ids, nor the email and phone: bookings find their customer by
#: these, so a customer who could set someone else's would receive that person's
#: bookings.  (Their account's contact details change through staff.)
STAFF_ONLY = frozenset({"notes", "stripe_customer_id", "email", "phone"})


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


# -- output ---------------------------------------------------------------------------


def _today(caller: Caller) -> date:
    return today_in(caller.station.timezone)


def loyalty_of(spent_cents: int) -> Loyalty:
    standing = loyalty.standing(spent_cents)
    return Loyalty(
        tier=standing.tier,
        points=standing.points,
        total_spent=cents_to_decimal(spent_cents),
        next_tier=standing.next_tier,
        amount_to_next_tier=(
            cents_to_decimal(standing.cents_to_next_tier)
            if standing.cents_to_next_tier is not None
            else None
        ),
    )


def preferences_of(customer: Customer) -> PreferencesOut:
    stored = dict(customer.preferences or {})
    stored.pop("dietary_restrictions", None)
    contact = stored.pop("preferred_contact", None)
    return PreferencesOut(
        dietary_restrictions=list(customer.dietary_restrictions or []),
        preferred_contact=contact,
        **stored,
    )


def list_fields(customer: Any, totals: Totals) -> dict[str, Any]:
    """A customer's list row as plain values: ``customer`` is the ORM row or a Core
    row of the list's columns.  :class:`CustomerListItem` documents this shape."""
    return {
        "id": customer.id,
        "name": customer.name,
        "email": customer.email,
        "phone": customer.phone,
        "loyalty_tier": loyalty.tier(totals.spent_cents),
        "loyalty_points": loyalty.points(totals.spent_cents),
        "total_bookings": totals.total_bookings,
        "total_spent": cents_to_number(totals.spent_cents),
        "upcoming_bookings": totals.upcoming,
        "last_booking_date": totals.last_booking_date,
        "created_at": customer.created_at,
    }


def list_item(customer: Customer, totals: Totals) -> CustomerListItem:
    return CustomerListItem.model_validate(list_fields(customer, totals))


def customer_out(customer: Customer, totals: Totals, *, staff: bool = True) -> CustomerOut:
    return CustomerOut(
        **list_item(customer, totals).model_dump(),
        station_id=customer.station_id,
        address=AddressOut(
            street=customer.address_street,
            city=customer.address_city,
            state=customer.address_state,
            zip=customer.address_zip,
            zip_code=customer.address_zip,
        ),
        dietary_restrictions=list(customer.dietary_restrictions or []),
        preferences=preferences_of(customer),
        notes=customer.notes if staff else None,
        source=customer.source,
        stripe_customer_id=customer.stripe_customer_id,
        updated_at=customer.updated_at,
    )


async def _totals(db: AsyncSession, caller: Caller, customer: Customer) -> Totals:
    found = await repository.totals_for(db, caller.station_id, [customer.id], _today(caller))
    return found.get(customer.id, Totals())


async def detail(db: AsyncSession, caller: Caller, customer: Customer) -> CustomerOut:
    staff = caller.own_customer_id("customers:read") is None
    return customer_out(customer, await _totals(db, caller, customer), staff=staff)


# -- finding --------------------------------------------------------------------------


def not_found(ref: object) -> NotFound:
    return NotFound(f"Customer {ref} was not found.", code="customer_not_found")


async def by_ref(db: AsyncSession, station_id: int, ref: str) -> Customer | None:
    """A customer by id, or by the payment provider's customer id (``cus_...``)."""
    if ref.isdigit():
        customer_id = parse_id(ref)
        return await repository.by_id(db, station_id, customer_id) if customer_id else None
    if ref.startswith("cus_"):
        return await repository.by_provider_id(db, station_id, ref)
    return None


async def visible(db: AsyncSession, caller: Caller, ref: str, broad: str) -> Customer:
    """The customer ``ref`` names, if the caller may act on it (a customer: only
    themselves; anyone: only in their station), else 404."""
    customer = await by_ref(db, caller.station_id, ref)
    own = caller.own_customer_id(broad)
    if customer is None or (own is not None and customer.id != own):
        raise not_found(ref)
    return customer


def list_query(
    rt: HibachiRuntime,
    caller: Caller,
    *,
    search: str | None,
    tier: loyalty.Tier | None,
    sort: str,
    descending: bool,
) -> Select[Any]:
    """The list's statement; a term with an @ or that reads as a phone number also
    matches that exact email or phone through its blind index."""
    term = search.strip() if search else None
    return repository.list_query(
        caller.station_id,
        search=term or None,
        email_hash=email_index(rt, term) if term and "@" in term else None,
        phone_hash=phone_index(rt, term) if term and normalize_phone_number(term) else None,
        spent_between=loyalty.tier_bounds(tier) if tier else None,
        sort=sort,
        descending=descending,
    )


async def page_items(db: AsyncSession, caller: Caller, rows: list[Any]) -> list[dict[str, Any]]:
    """The list's rows with their loyalty and totals, as plain values (a hot read)."""
    totals = await repository.totals_for(
        db, caller.station_id, (r.id for r in rows), _today(caller)
    )
    return [list_fields(r, totals.get(r.id, Totals())) for r in rows]


async def find_by_email(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, email: str
) -> CustomerOut:
    customer = await repository.by_email_hash(db, caller.station_id, email_index(rt, email) or "")
    if customer is None:
        raise NotFound("No customer has this email.", code="customer_not_found")
    return await detail(db, caller, customer)


# -- changing -------------------------------------------------------------------------


def _exists(customer: Customer) -> Conflict:
    return Conflict(
        "A customer with this email already exists.",
        code="customer_exists",
        details={"email": "is taken", "customer_id": customer.id},
    )


async def _check_email_free(
    rt: HibachiRuntime, db: AsyncSession, customer: Customer, email: str | None
) -> None:
    if not email:
        return
    other = await repository.by_email_hash(db, customer.station_id, email_index(rt, email) or "")
    if other is not None and other.id != customer.id:
        raise _exists(other)


async def _check_provider_id_free(db: AsyncSession, customer: Customer, ref: str | None) -> None:
    if not ref:
        return
    other = await repository.by_provider_id(db, customer.station_id, ref)
    if other is not None and other.id != customer.id:
        raise Conflict(
            "Another customer has this payment customer id.",
            code="stripe_customer_id_taken",
            details={"stripe_customer_id": "is taken", "customer_id": other.id},
        )


def _apply_preferences(customer: Customer, body: PreferencesIn) -> None:
    """Merge: keys sent replace those stored, a key sent as null is removed."""
    stored = dict(customer.preferences or {})
    sent = {name: getattr(body, name) for name in body.model_fields_set}
    sent.update(body.model_extra or {})
    for key, value in sent.items():
        if key == "dietary_restrictions":
            customer.dietary_restrictions = list(value or [])
        elif value is None:
            stored.pop(key, None)
        else:
            stored[key] = value
    customer.preferences = stored


def _apply_fields(customer: Customer, body: CustomerFields) -> None:
    sent = body.model_fields_set
    if "address" in sent:
        address = body.address
        if address is None:
            customer.address_street = customer.address_city = None
            customer.address_state = customer.address_zip = None
        else:
            parts = address.model_fields_set
            if "address" in parts:
                customer.address_street = address.address
            if "city" in parts:
                customer.address_city = address.city
            if "state" in parts:
                customer.address_state = address.state
            if "zip_code" in parts:
                customer.address_zip = address.zip_code
    if "dietary_restrictions" in sent:
        customer.dietary_restrictions = list(body.dietary_restrictions or [])
    if "notes" in sent:
        customer.notes = body.notes
    if body.preferences is not None:
        _apply_preferences(customer, body.preferences)


async def _save(db: AsyncSession, customer: Customer) -> None:
    try:
        async with db.begin_nested():
            db.add(customer)
            await db.flush()
    except IntegrityError:
        # the unique (station, email_hash) index: another request took the email
        raise Conflict(
            "A customer with this email already exists.",
            code="customer_exists",
            details={"email": "is taken"},
        )


def _need_contact(email: str | None, phone: str | None) -> None:
    if not (email or phone):
        raise Unprocessable(
            "A customer needs an email or a phone number.",
            code="contact_required",
            details={"email": "email or phone is required", "phone": "email or phone is required"},
        )


def _source(caller: Caller) -> str:
    return "api" if caller.principal.kind == "api_key" else "staff"


async def create_customer(
    rt: HibachiRuntime,
    db: AsyncSession,
    caller: Caller,
    body: CustomerCreate,
    *,
    name: str | None = None,
) -> CustomerOut:
    _need_contact(body.email, body.phone)
    existing = await find_customer(rt, db, caller.station_id, email=body.email, phone=None)
    if existing is not None:
        raise _exists(existing)
    customer = Customer(
        station_id=caller.station_id,
        name=name or body.name,
        source=_source(caller),
        dietary_restrictions=[],
        preferences={},
    )
    await _check_provider_id_free(db, customer, body.stripe_customer_id)
    customer.stripe_customer_id = body.stripe_customer_id
    set_contact(rt, customer, email=body.email, phone=body.phone)
    _apply_fields(customer, body)
    await _save(db, customer)
    return customer_out(customer, Totals())


async def update_customer(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, ref: str, body: CustomerUpdate
) -> CustomerOut:
    own = caller.own_customer_id("customers:write")
    customer = await visible(db, caller, ref, "customers:write")
    sent = body.model_fields_set
    if own is not None and sent & STAFF_ONLY:
        raise Forbidden(
            "Only staff change contact details, notes and payment ids; please contact us.",
            code="insufficient_permissions",
            details={"fields": sorted(sent & STAFF_ONLY)},
        )
    await _update(rt, db, customer, body)
    return customer_out(customer, await _totals(db, caller, customer), staff=own is None)


async def _update(
    rt: HibachiRuntime, db: AsyncSession, customer: Customer, body: CustomerUpdate | CustomerUpsert
) -> None:
    sent = body.model_fields_set
    if "name" in sent and body.name is not None:
        customer.name = body.name
    if "email" in sent or "phone" in sent:
        email = body.email if "email" in sent else customer.email
        phone = body.phone if "phone" in sent else customer.phone
        _need_contact(email, phone)
        if (email or "").lower() != (customer.email or ""):
            await _check_email_free(rt, db, customer, email)
        set_contact(rt, customer, email=email, phone=phone)
    if "stripe_customer_id" in sent and body.stripe_customer_id != customer.stripe_customer_id:
        await _check_provider_id_free(db, customer, body.stripe_customer_id)
        customer.stripe_customer_id = body.stripe_customer_id
    _apply_fields(customer, body)
    await _save(db, customer)


async def create_or_update(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: CustomerUpsert
) -> tuple[CustomerOut, bool]:
    """The customer with this email, updated with what the body sends; created if new."""
    existing = await find_customer(rt, db, caller.station_id, email=body.email, phone=None)
    if existing is None:
        name = body.name or body.email.split("@")[0]
        return await create_customer(rt, db, caller, body, name=name), True
    await _update(rt, db, existing, body)
    return customer_out(existing, await _totals(db, caller, existing)), False


async def get_preferences(db: AsyncSession, caller: Caller, ref: str) -> CustomerPreferences:
    customer = await visible(db, caller, ref, "customers:read")
    return CustomerPreferences(customer_id=customer.id, **preferences_of(customer).model_dump())


async def update_preferences(
    db: AsyncSession, caller: Caller, ref: str, body: PreferencesIn
) -> CustomerPreferences:
    customer = await visible(db, caller, ref, "customers:write")
    _apply_preferences(customer, body)
    await db.flush()
    return CustomerPreferences(customer_id=customer.id, **preferences_of(customer).model_dump())


# -- analytics and the dashboard -----------------------------------------------------------


def _average(total_cents: int, count: int) -> Decimal:
    if not count:
        return cents_to_decimal(0)
    cents = (Decimal(total_cents) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return cents_to_decimal(int(cents))


async def analytics(db: AsyncSession, caller: Caller, ref: str) -> CustomerAnalytics:
    customer = await visible(db, caller, ref, "customers:read")
    station_id = caller.station_id
    past = await repository.history(db, station_id, customer.id, _today(caller))
    counts = past.by_status
    months = await repository.spend_by_month(db, station_id, customer.id)
    return CustomerAnalytics(
        customer_id=customer.id,
        customer=CustomerBrief(
            id=customer.id, name=customer.name, email=customer.email, phone=customer.phone
        ),
        stripe_customer_id=customer.stripe_customer_id,
        total_bookings=sum(counts.values()) - counts[BookingStatus.CANCELLED],
        bookings_by_status=BookingCounts(**counts),
        total_spent=cents_to_decimal(past.spent_cents),
        average_booking_value=_average(past.spent_cents, counts[BookingStatus.COMPLETED]),
        first_booking_date=past.first_date,
        last_booking_date=past.last_date,
        next_booking_date=past.next_date,
        upcoming_bookings=past.upcoming,
        favorite_event_type=await repository.favorite_event_type(db, station_id, customer.id),
        spend_by_month=[
            MonthSpend(month=f"{y:04d}-{m:02d}", bookings=n, total_spent=cents_to_decimal(c))
            for y, m, n, c in months
        ],
        loyalty=loyalty_of(past.spent_cents),
    )


async def dashboard(db: AsyncSession, caller: Caller, ref: str | None) -> CustomerDashboard:
    """A customer's own page: profile, loyalty, next and recent bookings, counts."""
    own = caller.own_customer_id("customers:read")
    if ref is None:
        if own is None:
            raise Unprocessable(
                "Staff name the customer: ?customer_id=",
                code="customer_id_required",
                details={"customer_id": "is required"},
            )
        ref = str(own)
    customer = await visible(db, caller, ref, "customers:read")
    today = _today(caller)
    past = await repository.history(db, caller.station_id, customer.id, today)
    counts = past.by_status
    totals = Totals(
        total_bookings=sum(counts.values()) - counts[BookingStatus.CANCELLED],
        spent_cents=past.spent_cents,
        upcoming=past.upcoming,
        last_booking_date=past.last_date,
    )
    contact = (customer.name, customer.email, customer.phone)
    upcoming = await repository.bookings_of(db, caller.station_id, customer.id, upcoming_from=today)
    recent = await repository.bookings_of(db, caller.station_id, customer.id, before=today)
    return CustomerDashboard(
        customer=customer_out(customer, totals, staff=own is None),
        loyalty=loyalty_of(past.spent_cents),
        counts=DashboardCounts(
            total=totals.total_bookings,
            upcoming=past.upcoming,
            completed=counts[BookingStatus.COMPLETED],
            pending=counts[BookingStatus.PENDING],
            confirmed=counts[BookingStatus.CONFIRMED],
            cancelled=counts[BookingStatus.CANCELLED],
        ),
        upcoming_bookings=[booking_out((b, *contact)) for b in upcoming],
        recent_bookings=[booking_out((b, *contact)) for b in recent],
    )
