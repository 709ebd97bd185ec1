"""Leads: the public quote request (which also subscribes the person to the
newsletter), staff work on a lead (events, assignment, status), its score, its
follow-up plan, and conversion into a customer with an optional booking.

Status: ``new`` until someone reaches out (a call, email, SMS, meeting or quote
moves it to ``contacted``), then whatever staff set; ``converted`` is reached only
through conversion and is final.  Every status change is recorded as an event.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings import service as bookings
from trident.apps.hibachi.bookings.schemas import BookingCreate, LocationIn
from trident.apps.hibachi.customers.service import find_or_create_customer
from trident.apps.hibachi.leads import repository, scoring
from trident.apps.hibachi.leads.nurture import CHANNEL_EVENTS, CLOSED_STATUSES, nurture_sequence
from trident.apps.hibachi.leads.schemas import (
    ConvertOut,
    ConvertRequest,
    LeadCreate,
    LeadDetail,
    LeadEventIn,
    LeadEventOut,
    LeadEventSaved,
    LeadOut,
    LeadUpdate,
    NurtureSequenceOut,
    NurtureStepOut,
    PublicLeadOut,
    PublicLeadRequest,
    ScoreBreakdownOut,
    SocialThreadCreate,
    SocialThreadOut,
)
from trident.apps.hibachi.models import Lead, LeadEvent, SocialThread, Station
from trident.apps.hibachi.newsletter import service as newsletter
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.apps.hibachi.stations import repository as stations_repository
from trident.core.clock import today_in, utcnow
from trident.core.errors import Conflict, NotFound, Unprocessable
from trident.core.money import cents_to_decimal, decimal_to_cents

NEW, CONTACTED, CONVERTED = "new", "contacted", "converted"
#: events that mean someone reached out to the prospect
CONTACT_EVENTS = frozenset({"call", "email", "sms", "meeting", "quote_sent"})
RECENT_EVENTS = 20
THANK_YOU = "Thank you! We'll contact you within 24 hours."


# -- output -------------------------------------------------------------------------


def lead_out(lead: Lead, assignee_name: str | None) -> LeadOut:
    return LeadOut(
        id=lead.id,
        station_id=lead.station_id,
        name=lead.name,
        email=lead.email,
        phone=lead.phone,
        status=lead.status,  # type: ignore[arg-type]
        source=lead.source,
        score=lead.score,
        score_tier=scoring.tier(lead.score),  # type: ignore[arg-type]
        message=lead.message,
        guest_count=lead.guest_count,
        event_date=lead.event_date,
        event_type=lead.event_type,
        location=lead.location,
        budget=cents_to_decimal(lead.budget_cents) if lead.budget_cents is not None else None,
        assigned_to=lead.assigned_to_id,
        assigned_to_name=assignee_name,
        customer_id=lead.customer_id,
        metadata=lead.extra or {},
        created_at=lead.created_at,
        updated_at=lead.updated_at,
        last_contacted_at=lead.last_contacted_at,
        converted_at=lead.converted_at,
    )


def event_out(event: LeadEvent) -> LeadEventOut:
    return LeadEventOut(
        id=event.id,
        lead_id=event.lead_id,
        event_type=event.event_type,
        description=event.description,
        data=event.data or {},
        created_by=event.created_by_id,
        created_at=event.created_at,
    )


def thread_out(thread: SocialThread) -> SocialThreadOut:
    return SocialThreadOut(
        id=thread.id,
        platform=thread.platform,
        external_thread_id=thread.external_thread_id,
        handle=thread.handle,
        display_name=thread.display_name,
        status=thread.status,
        last_message=thread.last_message,
        last_message_at=thread.last_message_at,
        lead_id=thread.lead_id,
        created_at=thread.created_at,
        updated_at=thread.updated_at,
    )


# -- shared steps ---------------------------------------------------------------------


def _not_found(lead_id: int) -> NotFound:
    return NotFound(f"Lead {lead_id} was not found.", code="lead_not_found")


async def _visible(db: AsyncSession, station_id: int, lead_id: int) -> tuple[Lead, str | None]:
    row = await repository.get_with_assignee(db, station_id, lead_id)
    if row is None:
        raise _not_found(lead_id)
    return row[0], row[1]


async def _assignee(db: AsyncSession, station_id: int, user_id: int | None) -> str | None:
    """The assignee's name; 422 unless they are an active staff member of the station."""
    if user_id is None:
        return None
    user = await repository.assignable_user(db, station_id, user_id)
    if user is None:
        raise Unprocessable(
            f"User {user_id} is not a staff member of this station.",
            code="invalid_assignee",
            details={"assigned_to": "must be an active staff user of this station"},
        )
    return user.full_name


def _breakdown(lead: Lead, today: date, interactions: int) -> scoring.ScoreBreakdown:
    return scoring.breakdown(
        source=lead.source,
        guest_count=lead.guest_count,
        event_date=lead.event_date,
        today=today,
        interactions=interactions,
        has_email=bool(lead.email),
        has_phone=bool(lead.phone),
    )


#: a lead whose event passed more than this many days ago has scored 0 for it already
RESCORE_PAST_DAYS = 30


async def rescore_by_date(rt: HibachiRuntime) -> int:
    """The hourly job's body: score again the leads whose event-date points may have
    moved since they were scored (an event comes closer, or passes).  Station by
    station, reading first and writing only the scores that changed; returns how many."""
    async with rt.unit_of_work(write=False) as db:
        zones = await stations_repository.active_station_zones(db)
    changed = 0
    for station_id, zone in zones:
        today = today_in(zone)
        async with rt.unit_of_work(write=False) as db:
            leads = await repository.leads_with_event_between(
                db,
                station_id,
                today - timedelta(days=RESCORE_PAST_DAYS),
                today + timedelta(days=scoring.DATE_HORIZON_DAYS),
            )
            counts = await repository.interaction_counts(db, station_id, [x.id for x in leads])
        scores = {
            lead.id: score
            for lead in leads
            if (score := _breakdown(lead, today, counts.get(lead.id, 0)).total) != lead.score
        }
        if scores:
            async with rt.unit_of_work() as db:
                await repository.set_scores(db, scores)
            changed += len(scores)
    return changed


async def _rescore(db: AsyncSession, lead: Lead, station: Station) -> None:
    _, interactions = await repository.event_counts(db, lead.station_id, lead.id)
    lead.score = _breakdown(lead, today_in(station.timezone), interactions).total


def _record(
    db: AsyncSession,
    lead: Lead,
    event_type: str,
    *,
    description: str | None,
    data: dict[str, Any] | None,
    user_id: int | None,
    at: datetime | None = None,
) -> LeadEvent:
    event = LeadEvent(
        station_id=lead.station_id,
        lead_id=lead.id,
        event_type=event_type,
        description=description,
        data=data or {},
        created_by_id=user_id,
        created_at=at or utcnow(),
    )
    db.add(event)
    return event


def _status_change(
    db: AsyncSession, lead: Lead, status: str, user_id: int | None, **data: Any
) -> None:
    _record(
        db,
        lead,
        "status_change",
        description=f"Status changed from {lead.status} to {status}",
        data={"from": lead.status, "to": status, **data},
        user_id=user_id,
    )
    lead.status = status


def _use_convert() -> Unprocessable:
    return Unprocessable(
        "A lead becomes converted through POST /leads/{id}/convert.",
        code="use_convert",
        details={"status": "converted is set by converting the lead"},
    )


def _already_converted(lead: Lead) -> Conflict:
    return Conflict(
        f"Lead {lead.id} is already converted.",
        code="lead_already_converted",
        details={
            "customer_id": lead.customer_id,
            "converted_at": lead.converted_at.isoformat() if lead.converted_at else None,
        },
    )


# -- creating ----------------------------------------------------------------------------


async def public_lead(
    rt: HibachiRuntime, db: AsyncSession, station: Station, body: PublicLeadRequest
) -> PublicLeadOut:
    """A quote request from the public site; the person joins the newsletter."""
    lead = Lead(
        station_id=station.id,
        name=body.name,
        email=body.email,
        phone=body.phone,
        message=body.message,
        source=body.source,
        status=NEW,
        guest_count=body.guest_count,
        event_date=body.event_date,
        event_type=body.event_type,
        location=body.location,
        extra=body.metadata or {},
    )
    lead.score = _breakdown(lead, today_in(station.timezone), 0).total
    db.add(lead)
    await db.flush()
    subscriber, _ = await newsletter.subscribe(
        db, station.id, email=body.email, phone=body.phone, name=body.name, source="lead_form"
    )
    rt.counters["leads"].labels(lead.source).inc()
    return PublicLeadOut(
        success=True,
        lead_id=lead.id,
        message=THANK_YOU,
        newsletter_subscribed=subscriber.status == newsletter.SUBSCRIBED,
        estimated_response_time="24 hours",
    )


async def create_lead(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, body: LeadCreate
) -> LeadOut:
    if body.status == CONVERTED:
        raise _use_convert()
    assignee = await _assignee(db, caller.station_id, body.assigned_to)
    lead = Lead(
        station_id=caller.station_id,
        name=body.name,
        email=body.email,
        phone=body.phone,
        message=body.message,
        source=body.source,
        status=body.status,
        guest_count=body.guest_count,
        event_date=body.event_date,
        event_type=body.event_type,
        location=body.location,
        budget_cents=decimal_to_cents(body.budget) if body.budget is not None else None,
        extra=body.metadata or {},
        assigned_to_id=body.assigned_to,
    )
    lead.score = _breakdown(lead, today_in(caller.station.timezone), 0).total
    db.add(lead)
    await db.flush()
    rt.counters["leads"].labels(lead.source).inc()
    return lead_out(lead, assignee)


# -- reading ---------------------------------------------------------------------------


async def get_lead(db: AsyncSession, caller: Caller, lead_id: int) -> LeadDetail:
    lead, assignee = await _visible(db, caller.station_id, lead_id)
    total, interactions = await repository.event_counts(db, caller.station_id, lead.id)
    events = await repository.recent_events(db, caller.station_id, lead.id, RECENT_EVENTS)
    parts = _breakdown(lead, today_in(caller.station.timezone), interactions)
    return LeadDetail(
        **lead_out(lead, assignee).model_dump(),
        score_breakdown=ScoreBreakdownOut(
            source=parts.source,
            guest_count=parts.guest_count,
            event_date=parts.event_date,
            engagement=parts.engagement,
            total=parts.total,
        ),
        event_count=total,
        events=[event_out(e) for e in events],
    )


# -- changing ---------------------------------------------------------------------------


SIMPLE_FIELDS = (
    "name",
    "email",
    "phone",
    "message",
    "source",
    "guest_count",
    "event_date",
    "event_type",
    "location",
)


async def update_lead(db: AsyncSession, caller: Caller, lead_id: int, body: LeadUpdate) -> LeadOut:
    lead, assignee = await _visible(db, caller.station_id, lead_id)
    changes = body.model_dump(exclude_unset=True)
    status = changes.get("status")
    if status is not None and status != lead.status:
        if lead.status == CONVERTED:
            raise _already_converted(lead)
        if status == CONVERTED:
            raise _use_convert()
    if "assigned_to" in changes and changes["assigned_to"] != lead.assigned_to_id:
        assignee = await _assignee(db, caller.station_id, changes["assigned_to"])
        lead.assigned_to_id = changes["assigned_to"]
    for name in SIMPLE_FIELDS:
        if name in changes:
            setattr(lead, name, changes[name])
    if "budget" in changes:
        budget = changes["budget"]
        lead.budget_cents = decimal_to_cents(budget) if budget is not None else None
    if "metadata" in changes:
        lead.extra = changes["metadata"] or {}
    if status is not None and status != lead.status:
        _status_change(db, lead, status, caller.user_id)
    await db.flush()
    await _rescore(db, lead, caller.station)
    await db.flush()
    return lead_out(lead, assignee)


async def delete_lead(db: AsyncSession, caller: Caller, lead_id: int) -> None:
    lead, _ = await _visible(db, caller.station_id, lead_id)
    await repository.delete_lead(db, lead)


async def add_event(
    db: AsyncSession, caller: Caller, lead_id: int, body: LeadEventIn
) -> LeadEventSaved:
    """Log an interaction; reaching out marks the lead contacted."""
    lead, assignee = await _visible(db, caller.station_id, lead_id)
    now = utcnow()
    event = _record(
        db,
        lead,
        body.event_type,
        description=body.description,
        data=body.data,
        user_id=caller.user_id,
        at=now,
    )
    if body.event_type in CONTACT_EVENTS:
        lead.last_contacted_at = now
        if lead.status == NEW:
            _status_change(db, lead, CONTACTED, caller.user_id, reason=body.event_type)
    await db.flush()
    await _rescore(db, lead, caller.station)
    await db.flush()
    return LeadEventSaved(**event_out(event).model_dump(), lead=lead_out(lead, assignee))


# -- nurture -------------------------------------------------------------------------------


async def nurture(db: AsyncSession, caller: Caller, lead_id: int) -> NurtureSequenceOut:
    lead, _ = await _visible(db, caller.station_id, lead_id)
    kinds = sorted(set().union(*CHANNEL_EVENTS.values()))
    logged = await repository.interactions(db, caller.station_id, lead.id, kinds)
    steps = [
        NurtureStepOut.model_validate(step, from_attributes=True)
        for step in nurture_sequence(
            created_at=lead.created_at,
            status=lead.status,
            score=lead.score,
            interactions=logged,
            now=utcnow(),
        )
    ]
    return NurtureSequenceOut(
        lead_id=lead.id,
        status=lead.status,  # type: ignore[arg-type]
        score=lead.score,
        tier=scoring.tier(lead.score),  # type: ignore[arg-type]
        active=lead.status not in CLOSED_STATUSES,
        next_step=next((s for s in steps if s.state in ("due", "upcoming")), None),
        completed_steps=sum(1 for s in steps if s.state == "done"),
        total_steps=len(steps),
        steps=steps,
    )


# -- conversion ------------------------------------------------------------------------------


#: the location of a booking converted from a lead that gave none
LOCATION_TO_BE_CONFIRMED = "To be confirmed"


def _booking_fields(lead: Lead, request: ConvertRequest) -> dict[str, Any]:
    """What to book: ``booking_data``, completed from the lead (422 if still short)."""
    data = request.booking_data
    if data is None:
        raise Unprocessable(
            "Say what to book: booking_data is needed when create_booking is true.",
            details={"booking_data": "required when create_booking is true"},
        )
    event_date = data.event_date or lead.event_date
    guest_count = data.guest_count or lead.guest_count
    # the API document converts with a date, guests and an event type only: the
    # booking is then pending with its place still to be agreed, as a phone enquiry is
    location: Any = data.location or lead.location or LOCATION_TO_BE_CONFIRMED
    missing = {
        f"booking_data.{name}": f"required (the lead has no {name.replace('_', ' ')})"
        for name, value in (("event_date", event_date), ("guest_count", guest_count))
        if value is None
    }
    if missing:
        names = ", ".join(k.removeprefix("booking_data.") for k in missing)
        raise Unprocessable(f"The booking needs {names}.", details=missing)
    if isinstance(location, LocationIn):
        location = location.model_dump(exclude_none=True)
    return {
        "event_date": event_date,
        "event_time": data.event_time,
        "guest_count": guest_count,
        "event_type": data.event_type or lead.event_type,
        "location": location,
        "menu": data.menu,
        "notes": data.notes,
        "special_requests": data.special_requests or lead.message,
        "source": "lead",
    }


def _booking_body(fields: dict[str, Any], customer_id: int) -> BookingCreate:
    try:
        return BookingCreate.model_validate({**fields, "customer_id": customer_id})
    except ValidationError as exc:  # a value the lead holds that a booking refuses
        details = {
            "booking_data." + ".".join(str(p) for p in err["loc"]): err["msg"]
            for err in exc.errors()
        }
        raise Unprocessable("The booking data is invalid.", details=details) from None


async def convert(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, lead_id: int, body: ConvertRequest
) -> ConvertOut:
    """The lead becomes a customer (found by email or phone, else created), optionally
    with a booking; all or nothing, since the request owns the transaction."""
    lead, _ = await _visible(db, caller.station_id, lead_id)
    if lead.status == CONVERTED:
        raise _already_converted(lead)
    caller.require("customers:write")
    fields = None
    if body.create_booking:
        caller.require("bookings:write")
        fields = _booking_fields(lead, body)
    customer = await find_or_create_customer(
        rt, db, caller.station_id, name=lead.name, email=lead.email, phone=lead.phone, source="lead"
    )
    booking = None
    if fields is not None:
        booking = await bookings.create_booking(rt, db, caller, _booking_body(fields, customer.id))
    lead.customer_id = customer.id
    lead.converted_at = utcnow()
    _status_change(
        db,
        lead,
        CONVERTED,
        caller.user_id,
        customer_id=customer.id,
        booking_id=booking.id if booking else None,
    )
    await db.flush()
    await _rescore(db, lead, caller.station)
    await db.flush()
    return ConvertOut(
        lead_id=lead.id,
        customer_id=customer.id,
        booking_id=booking.id if booking else None,
        reference_number=booking.reference_number if booking else None,
        status="converted",
        message="Lead converted to customer successfully",
    )


# -- social threads -----------------------------------------------------------------------------


def _thread_exists(existing_id: int | None) -> Conflict:
    return Conflict(
        "This conversation is already recorded.",
        code="social_thread_exists",
        details={"id": existing_id} if existing_id else {},
    )


async def create_thread(
    db: AsyncSession, caller: Caller, body: SocialThreadCreate
) -> SocialThreadOut:
    if body.lead_id is not None:
        await _visible(db, caller.station_id, body.lead_id)
    existing = await repository.thread_by_external_id(
        db, caller.station_id, body.platform, body.external_thread_id
    )
    if existing is not None:
        raise _thread_exists(existing.id)
    thread = SocialThread(
        station_id=caller.station_id,
        platform=body.platform,
        external_thread_id=body.external_thread_id,
        handle=body.handle,
        display_name=body.display_name,
        status=body.status,
        last_message=body.last_message,
        last_message_at=utcnow() if body.last_message else None,
        lead_id=body.lead_id,
    )
    try:
        async with db.begin_nested():  # a concurrent create of the same thread may win
            db.add(thread)
            await db.flush()
    except IntegrityError:
        raise _thread_exists(None) from None
    return thread_out(thread)
