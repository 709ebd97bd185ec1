from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from trident.apps.hibachi.auth.auth import OPTIONAL_AUTH, PublicStation, station_caller
from trident.apps.hibachi.bookings import repository, service
from trident.apps.hibachi.bookings.presenter import booking_fields
from trident.apps.hibachi.bookings.schemas import (
    AvailabilityOut,
    BookedDatesOut,
    BookingCreate,
    BookingOut,
    BookingSaved,
    BookingUpdate,
    CancelRequest,
    PublicBookingOut,
    PublicBookingRequest,
)
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.models import BookingStatus, IdempotencyRecord
from trident.apps.hibachi.responses import ListResponse, PageQuery, plain_list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.choices import choice_list, split_choices
from trident.core.dates import Day
from trident.core.idempotency import IdempotencyKey, fingerprint_of, idempotent
from trident.core.ids import IdFilter
from trident.core.jsonbody import dumps, json_response
from trident.core.pagination import fetch_keyed_page

router = APIRouter(tags=["bookings"])
public_router = APIRouter(tags=["public"])

Reader = station_caller("bookings:read", "bookings:own", any_of=True)
Writer = station_caller("bookings:write", "bookings:own", any_of=True)
Deleter = station_caller("bookings:delete")
Member = station_caller()
BookingRef = Annotated[
    str,
    Path(
        min_length=1,
        max_length=32,
        pattern=r"^(\d{1,10}|[Bb][Kk]-\d{4}-\d{1,10})$",
        description="The booking's id, or its reference number (BK-2025-00123)",
    ),
]
STATUSES = tuple(status.value for status in BookingStatus)


StatusFilter = choice_list(STATUSES, description="Booking status")


@router.get("", response_model=ListResponse[BookingOut], responses=errors(401, 403, 422))
async def list_bookings(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: StatusFilter = None,
    event_date_from: Day | None = None,
    event_date_to: Day | None = None,
    date_from: Annotated[Day | None, Query(description="Same as event_date_from")] = None,
    date_to: Annotated[Day | None, Query(description="Same as event_date_to")] = None,
    customer_id: IdFilter = None,
    event_type: Annotated[str | None, Query(max_length=32)] = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Reference, customer name or location")
    ] = None,
    sort: Literal["event_date", "created_at", "guest_count", "total_amount", "status"] = (
        "event_date"
    ),
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    """Bookings of the station (a customer sees their own), filtered, sorted, paged."""
    own = caller.own_customer_id("bookings:read")
    keys = repository.list_keys(
        caller.station_id,
        statuses=split_choices(status),
        date_from=event_date_from or date_from,
        date_to=event_date_to or date_to,
        customer_id=own if own is not None else customer_id,
        event_type=event_type.lower() if event_type else None,
        search=search,
        sort=sort,
        descending=order == "desc",
    )
    result = await fetch_keyed_page(
        db, keys, page, lambda ids: repository.output_rows(db, ids), lambda row: row.id
    )
    items = [booking_fields(r, r.name, r.email, r.phone) for r in result.items]
    return plain_list_response(items, result)


@router.post(
    "",
    response_model=BookingSaved,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def create_booking(
    body: BookingCreate,
    request: Request,
    caller: Writer,
    db: DbSession,
    idempotency_key: IdempotencyKey = None,
) -> BookingSaved:
    """Book a slot: staff for any customer, a customer for themselves. 409 if taken."""
    rt = hibachi_runtime(request)

    async def run() -> BookingSaved:
        booking = await service.create_booking(rt, db, caller, body)
        return BookingSaved(**booking.model_dump(), message="Booking created successfully")

    return await idempotent(
        db,
        IdempotencyRecord,
        scope=f"booking:{caller.station_id}:{caller.principal.kind}:{caller.user_id or ''}",
        key=idempotency_key,
        fingerprint=fingerprint_of(body.model_dump(mode="json")),
        run=run,
        status_code=201,
    )


@router.get("/booked-dates", response_model=BookedDatesOut, responses=errors(401, 403, 422))
async def booked_dates(
    caller: Member,
    db: DbSession,
    from_date: Annotated[Day | None, Query(alias="from")] = None,
    to_date: Annotated[Day | None, Query(alias="to")] = None,
) -> BookedDatesOut:
    """Days with bookings and days fully booked (from today for a year by default)."""
    return await service.booked_dates(db, caller.station, from_date, to_date)


@router.get(
    "/availability",
    response_model=AvailabilityOut,
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def availability(
    request: Request, station: PublicStation, db: DbSession, date: Annotated[Day, Query()]
) -> Response:
    """The slots of a date and which are free (public)."""
    horizon = hibachi_runtime(request).settings.booking_horizon_days
    return json_response(dumps(await service.availability(db, station, date, horizon_days=horizon)))


@router.get("/{booking_id}", response_model=BookingOut, responses=errors(401, 403, 404, 422))
async def get_booking(booking_id: BookingRef, caller: Reader, db: DbSession) -> BookingOut:
    """One booking with its customer, menu, price breakdown and payment state."""
    return await service.get_booking(db, caller, booking_id)


@router.put("/{booking_id}", response_model=BookingSaved, responses=errors(401, 403, 404, 409, 422))
async def update_booking(
    request: Request, booking_id: BookingRef, body: BookingUpdate, caller: Writer, db: DbSession
) -> BookingSaved:
    """Change a booking or move it along pending -> confirmed -> completed (reprices)."""
    horizon = hibachi_runtime(request).settings.booking_horizon_days
    booking = await service.update_booking(db, caller, booking_id, body, horizon_days=horizon)
    return BookingSaved(**booking.model_dump(), message="Booking updated successfully")


@router.post(
    "/{booking_id}/cancel",
    response_model=BookingSaved,
    responses=errors(401, 403, 404, 409, 422),
)
async def cancel_booking(
    booking_id: BookingRef, caller: Writer, db: DbSession, body: CancelRequest | None = None
) -> BookingSaved:
    """Cancel a booking and free its slot (a customer: their own, while pending)."""
    booking = await service.cancel_booking(db, caller, booking_id, body.reason if body else None)
    return BookingSaved(**booking.model_dump(), message="Booking cancelled")


@router.delete("/{booking_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def delete_booking(booking_id: BookingRef, caller: Deleter, db: DbSession) -> Response:
    """Cancel a booking (it stays on record, its slot is freed); repeating it is 204."""
    await service.cancel_booking(db, caller, booking_id, "Deleted by staff")
    return Response(status_code=204)


@public_router.post(
    "/bookings",
    response_model=PublicBookingOut,
    status_code=201,
    responses=errors(401, 404, 409, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def public_booking(
    body: PublicBookingRequest, request: Request, station: PublicStation, db: DbSession
) -> PublicBookingOut:
    """Request a booking from the public site (no account needed)."""
    return await service.public_booking(hibachi_runtime(request), db, station, body)
