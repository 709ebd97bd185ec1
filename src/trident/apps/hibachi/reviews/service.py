"""Reviews: written by customers about their completed bookings, or tracked from
outside sites; a low rating (2 stars or fewer) opens an escalation that staff resolve,
often with a recovery coupon.

One review per booking is kept by the database (a unique index on ``booking_id``);
an outside review is one row per (station, source, external id), updated in place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller, Principal
from trident.apps.hibachi.models import Booking, BookingStatus, Customer, Review, Station
from trident.apps.hibachi.reviews import coupons, repository
from trident.apps.hibachi.reviews.schemas import (
    ESCALATION_RATING,
    INTERNAL_SOURCE,
    CustomerBrief,
    EscalationStats,
    ExternalReviewIn,
    ExternalReviewSaved,
    MonthStats,
    PublicReviewOut,
    ResolveRequest,
    ReviewAnalytics,
    ReviewCreate,
    ReviewOut,
    ReviewResolved,
    ReviewUpdate,
    SourceStats,
)
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.dates import date_range
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, Forbidden, NotFound, Unprocessable

PUBLISHED = "published"
HIDDEN = "hidden"
TWO_PLACES = Decimal("0.01")


# -- output -------------------------------------------------------------------------


def _public_fields(review: Review) -> dict[str, Any]:
    return {
        "id": review.id,
        "rating": review.rating,
        "title": review.title,
        "comment": review.comment,
        "author_name": review.author_name,
        "source": review.source,
        "external_url": review.external_url,
        "response": review.response,
        "status": review.status,
        "is_verified": review.booking_id is not None,
        "created_at": review.created_at,
        "updated_at": review.updated_at,
    }


def public_out(review: Review) -> PublicReviewOut:
    return PublicReviewOut(**_public_fields(review))


def review_out(row: Any) -> ReviewOut:
    """A staff view from (review, customer name, email, phone)."""
    review, name, email, phone = row
    customer = (
        CustomerBrief(id=review.customer_id, name=name, email=email, phone=phone)
        if review.customer_id is not None and name is not None
        else None
    )
    return ReviewOut(
        **_public_fields(review),
        station_id=review.station_id,
        customer_id=review.customer_id,
        customer=customer,
        booking_id=review.booking_id,
        external_id=review.external_id,
        is_escalated=review.escalated_at is not None and review.resolved_at is None,
        escalated_at=review.escalated_at,
        resolved_at=review.resolved_at,
        resolved_by_id=review.resolved_by_id,
        resolution_notes=review.resolution_notes,
    )


def short_name(name: str | None) -> str | None:
    """ "John Doe" -> "John D.": how a customer is named under a public review."""
    if not name:
        return None
    parts = name.split()
    if len(parts) == 1:
        return parts[0][:100]
    return f"{parts[0]} {parts[-1][0].upper()}."[:100]


def _average(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# -- escalation --------------------------------------------------------------------------


def escalate_if_low(review: Review, previous_rating: int | None) -> None:
    """Open an escalation for a low rating: a new one, or one that just dropped to it
    (a re-opened escalation starts over, unresolved)."""
    if review.rating > ESCALATION_RATING:
        return
    dropped = previous_rating is None or review.rating < previous_rating
    if review.escalated_at is None or (dropped and review.resolved_at is not None):
        review.escalated_at = utcnow()
        review.resolved_at = None
        review.resolved_by_id = None
        review.resolution_notes = None


# -- reading -------------------------------------------------------------------------------


def is_staff(principal: Principal | None) -> bool:
    return principal is not None and principal.can("reviews:read")


def own_customer(principal: Principal | None) -> int | None:
    if principal is None or principal.user is None:
        return None
    return principal.user.customer_id


async def get_review(
    db: AsyncSession, station: Station, principal: Principal | None, review_id: int
) -> PublicReviewOut | ReviewOut:
    """Anyone: a published review; its author: their own; staff: any of the station."""
    row = await repository.review_row(db, station.id, review_id)
    if row is None:
        raise _not_found(review_id)
    if is_staff(principal):
        return review_out(row)
    review: Review = row[0]
    mine = review.customer_id is not None and review.customer_id == own_customer(principal)
    if review.status != PUBLISHED and not mine:
        raise _not_found(review_id)
    return public_out(review)


def _not_found(review_id: int) -> NotFound:
    return NotFound(f"Review {review_id} was not found.", code="review_not_found")


async def _row(db: AsyncSession, caller: Caller, review_id: int) -> Any:
    row = await repository.review_row(db, caller.station_id, review_id)
    if row is None:
        raise _not_found(review_id)
    return row


async def customer_reviews_query(db: AsyncSession, caller: Caller, customer_id: int) -> Any:
    own = caller.own_customer_id("reviews:read")
    if own is not None and own != customer_id:
        raise NotFound(f"Customer {customer_id} was not found.", code="customer_not_found")
    customer = await db.get(Customer, customer_id)
    if customer is None or customer.station_id != caller.station_id:
        raise NotFound(f"Customer {customer_id} was not found.", code="customer_not_found")
    return repository.list_query(
        caller.station_id, statuses=None, customer_id=customer_id, staff=own is None
    )


# -- writing ---------------------------------------------------------------------------------


async def _booking_for_review(
    db: AsyncSession, caller: Caller, booking_id: int, own: int | None
) -> Booking:
    booking = await db.get(Booking, booking_id)
    if (
        booking is None
        or booking.station_id != caller.station_id
        or (own is not None and booking.customer_id != own)
    ):
        raise NotFound(f"Booking {booking_id} was not found.", code="booking_not_found")
    if booking.status != BookingStatus.COMPLETED:
        raise Conflict(
            "A booking is reviewed once it is completed.",
            code="booking_not_completed",
            details={"booking_id": booking_id, "status": booking.status},
        )
    return booking


def _review_exists(booking_id: int, review_id: int | None) -> Conflict:
    details: dict[str, Any] = {"booking_id": booking_id}
    if review_id is not None:
        details["review_id"] = review_id
    return Conflict(
        "This booking has already been reviewed; edit that review instead.",
        code="review_exists",
        details=details,
    )


async def create_review(db: AsyncSession, caller: Caller, body: ReviewCreate) -> ReviewOut:
    moderator = caller.can("reviews:moderate")
    own = None if moderator else caller.own_customer_id("reviews:moderate")
    customer_id = own if own is not None else body.customer_id
    booking: Booking | None = None
    if body.booking_id is not None:
        booking = await _booking_for_review(db, caller, body.booking_id, own)
        if customer_id is not None and customer_id != booking.customer_id:
            raise Unprocessable(
                "That booking is another customer's.",
                code="booking_customer_mismatch",
                details={"customer_id": "must be the booking's customer"},
            )
        customer_id = booking.customer_id
        existing = await repository.review_for_booking(db, booking.id)
        if existing is not None:
            raise _review_exists(booking.id, existing)
    if customer_id is None or customer_id < 1:
        raise Unprocessable(
            "Name the customer the review is for: customer_id or booking_id.",
            code="customer_required",
            details={"customer_id": "customer_id or booking_id is required"},
        )
    customer = await get_scoped(db, Customer, customer_id, caller.station_id, what="Customer")
    review = Review(
        station_id=caller.station_id,
        customer_id=customer.id,
        booking_id=booking.id if booking is not None else None,
        rating=body.rating,
        title=body.title,
        comment=body.comment,
        author_name=body.author_name or short_name(customer.name),
        source=INTERNAL_SOURCE,
        status=PUBLISHED,
    )
    escalate_if_low(review, None)
    try:
        async with db.begin_nested():
            db.add(review)
            await db.flush()
    except IntegrityError:
        # two submissions for one booking at the same instant: the index keeps one
        assert booking is not None
        raise _review_exists(booking.id, await repository.review_for_booking(db, booking.id))
    return review_out((review, customer.name, customer.email, customer.phone))


async def update_review(
    db: AsyncSession, caller: Caller, review_id: int, body: ReviewUpdate
) -> PublicReviewOut | ReviewOut:
    """The author edits what they wrote; moderators also publish, hide and reply."""
    row = await _row(db, caller, review_id)
    review: Review = row[0]
    moderator = caller.can("reviews:moderate")
    changes = body.model_dump(exclude_unset=True)
    if not moderator:
        own = caller.own_customer_id("reviews:moderate")
        # someone else's review is not found (a hidden one of their own stays editable)
        if review.customer_id is None or review.customer_id != own:
            raise _not_found(review_id)
        staff_only = sorted({"status", "response"} & set(changes))
        if staff_only:
            raise Forbidden(
                f"Only staff can set {', '.join(staff_only)}.",
                code="insufficient_permissions",
                details={"fields": staff_only},
            )
        if review.source != INTERNAL_SOURCE:
            raise Conflict(
                f"A review from {review.source} is edited there.", code="external_review"
            )
    for name in ("rating", "status"):
        if name in changes and changes[name] is None:
            raise Unprocessable(f"{name} cannot be null.", details={name: "cannot be null"})
    previous = review.rating
    for name in ("rating", "title", "comment", "response", "status"):
        if name in changes:
            setattr(review, name, changes[name])
    if "rating" in changes:
        escalate_if_low(review, previous)
    await db.flush()
    return review_out(row) if moderator or caller.can("reviews:read") else public_out(review)


async def delete_review(db: AsyncSession, caller: Caller, review_id: int) -> None:
    row = await _row(db, caller, review_id)
    await repository.delete_review(db, row[0])


# -- escalations -------------------------------------------------------------------------------


async def resolve(
    rt: HibachiRuntime, db: AsyncSession, caller: Caller, review_id: int, body: ResolveRequest
) -> ReviewResolved:
    row = await _row(db, caller, review_id)
    review: Review = row[0]
    if review.escalated_at is None:
        raise Conflict("This review was not escalated.", code="review_not_escalated")
    if review.resolved_at is not None:
        raise Conflict(
            "This escalation is already resolved.",
            code="review_already_resolved",
            details={"resolved_at": review.resolved_at.isoformat()},
        )
    coupon = None
    if body.issue_coupon is not None:
        if review.customer_id is None:
            raise Unprocessable(
                "This review has no customer to give a coupon to.",
                code="review_has_no_customer",
                details={"issue_coupon": "the review names no customer"},
            )
        coupon = await coupons.issue(
            rt,
            db,
            caller,
            body.issue_coupon,
            customer_id=review.customer_id,
            review_id=review.id,
            reason=f"Recovery for review #{review.id}",
            code=None,
            source=coupons.SOURCE_RECOVERY,
        )
    review.resolved_at = utcnow()
    review.resolved_by_id = caller.user_id
    review.resolution_notes = body.resolution_notes
    await db.flush()
    message = "Escalation resolved."
    if coupon is not None:
        message += f" Coupon {coupon.code} issued."
    return ReviewResolved(**review_out(row).model_dump(), coupon=coupon, message=message)


# -- outside reviews ---------------------------------------------------------------------------


def _written_at(value: datetime | date | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value  # an Instant: already UTC
    return datetime.combine(value, time(12, 0), tzinfo=UTC)


async def track_external(
    db: AsyncSession, caller: Caller, body: ExternalReviewIn
) -> ExternalReviewSaved:
    """Record a review from Google, Yelp, ...: created once, then updated in place."""
    if body.customer_id is not None:
        await get_scoped(db, Customer, body.customer_id, caller.station_id, what="Customer")
    written = _written_at(body.review_date)
    if written is not None and written > utcnow() + timedelta(days=1):
        raise Unprocessable(
            "The review date is in the future.", details={"review_date": "must not be future"}
        )
    review = await repository.external_review(db, caller.station_id, body.source, body.external_id)
    created = review is None
    if review is None:
        review = Review(
            station_id=caller.station_id,
            source=body.source,
            external_id=body.external_id,
            status=PUBLISHED,
            rating=body.rating,
        )
        if written is not None:
            review.created_at = written
        _set_external(review, body)
        escalate_if_low(review, None)
        try:
            async with db.begin_nested():
                db.add(review)
                await db.flush()
        except IntegrityError:
            # tracked by someone else a moment ago: update theirs
            found = await repository.external_review(
                db, caller.station_id, body.source, body.external_id
            )
            if found is None:
                raise
            review, created = found, False
    if not created:
        previous = review.rating
        _set_external(review, body)
        if written is not None:
            review.created_at = written
        escalate_if_low(review, previous)
        await db.flush()
    row = await repository.review_row(db, caller.station_id, review.id)
    return ExternalReviewSaved(**review_out(row).model_dump(), created=created)


def _set_external(review: Review, body: ExternalReviewIn) -> None:
    fields = body.model_dump(exclude_unset=True)
    review.rating = body.rating
    for name in ("external_url", "title", "comment", "author_name", "customer_id"):
        if name in fields:
            setattr(review, name, fields[name])


# -- analytics ----------------------------------------------------------------------------------


async def analytics(
    db: AsyncSession, caller: Caller, date_from: date | None, date_to: date | None
) -> ReviewAnalytics:
    start, end = date_range(date_from, date_to, timezone=caller.station.timezone).bounds()
    station_id = caller.station_id
    (
        count,
        average,
        published,
        hidden,
        responded,
        escalated,
        open_count,
        resolved,
        resolution_hours,
    ) = await repository.totals(db, station_id, start, end)
    distribution = {str(r): 0 for r in range(1, 6)}
    for rating, n in await repository.rating_counts(db, station_id, start, end):
        distribution[str(rating)] = n
    sources = {
        source: SourceStats(count=n, average_rating=_average(avg))
        for source, n, avg in await repository.source_stats(db, station_id, start, end)
    }
    trend = [
        MonthStats(month=f"{year:04d}-{month:02d}", count=n, average_rating=_average(avg))
        for year, month, n, avg in await repository.monthly(db, station_id, start, end)
    ]
    hours = _average(resolution_hours)
    return ReviewAnalytics(
        date_from=date_from,
        date_to=date_to,
        total_reviews=count,
        average_rating=_average(average),
        rating_distribution=distribution,
        by_source=sources,
        published=int(published),
        hidden=int(hidden),
        responded=int(responded),
        response_rate=_average(Decimal(int(responded)) * 100 / count) if count else None,
        escalations=EscalationStats(
            total=int(escalated),
            open=int(open_count),
            resolved=int(resolved),
            average_resolution_hours=hours,
        ),
        escalations_open=int(open_count),
        escalations_resolved=int(resolved),
        average_resolution_hours=hours,
        monthly_trend=trend,
    )
