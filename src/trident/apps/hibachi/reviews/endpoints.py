from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from trident.apps.hibachi.auth.auth import (
    OPTIONAL_AUTH,
    MaybePrincipal,
    PublicStation,
    station_caller,
)
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.reviews import coupon_repository, coupons, repository, service
from trident.apps.hibachi.reviews.schemas import (
    CouponApplied,
    CouponApplyRequest,
    CouponIssued,
    CouponOut,
    CouponUpdate,
    CouponValidateRequest,
    CouponValidation,
    ExternalReviewIn,
    ExternalReviewSaved,
    ExternalSource,
    IssueCouponRequest,
    PublicReviewOut,
    ResolveRequest,
    ReviewAnalytics,
    ReviewCreate,
    ReviewOut,
    ReviewResolved,
    ReviewUpdate,
)
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.clock import utcnow
from trident.core.dates import Day
from trident.core.ids import IdFilter, PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["reviews"])

Author = station_caller("reviews:own", "reviews:moderate", any_of=True)
Reader = station_caller("reviews:read")
OwnReader = station_caller("reviews:read", "reviews:own", any_of=True)
Moderator = station_caller("reviews:moderate")
Analyst = station_caller("analytics:read", "reviews:read", any_of=True)
CouponReader = station_caller("coupons:read")
CouponManager = station_caller("coupons:manage")
CouponUser = station_caller("coupons:apply", "bookings:write", any_of=True)
Member = station_caller()

Rating = Annotated[int | None, Query(ge=1, le=5)]
AnyReview = ReviewOut | PublicReviewOut


# -- literal paths first (they would otherwise match /{review_id}) --------------------------


@router.get(
    "/admin/escalated", response_model=ListResponse[ReviewOut], responses=errors(401, 403, 422)
)
async def escalated_reviews(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    include_resolved: bool = False,
) -> Response:
    """Open escalations (low ratings not yet resolved), oldest first."""
    stmt = repository.escalated_query(caller.station_id, include_resolved=include_resolved)
    result = await fetch_page(db, stmt, page)
    return list_response(ReviewOut, [service.review_out(r) for r in result.items], result)


@router.get("/admin/analytics", response_model=ReviewAnalytics, responses=errors(401, 403, 422))
async def review_analytics(
    caller: Analyst,
    db: DbSession,
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> ReviewAnalytics:
    """Ratings, sources, escalations and the monthly trend, computed by the database."""
    return await service.analytics(db, caller, date_from, date_to)


@router.post(
    "/ai/issue-coupon",
    response_model=CouponIssued,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def issue_coupon(
    body: IssueCouponRequest, request: Request, caller: CouponManager, db: DbSession
) -> CouponIssued:
    """Issue a coupon, optionally bound to a customer or a review (409 on a taken code)."""
    return await coupons.issue(
        hibachi_runtime(request),
        db,
        caller,
        body,
        customer_id=body.customer_id,
        review_id=body.review_id,
        reason=body.reason,
        code=body.code,
        source=coupons.SOURCE_RECOVERY if body.review_id else coupons.SOURCE_MANUAL,
    )


@router.post("/coupons/validate", response_model=CouponValidation, responses=errors(401, 403, 422))
async def validate_coupon(
    body: CouponValidateRequest, caller: Member, db: DbSession
) -> CouponValidation:
    """Whether a code can be used, and what it takes off; an invalid code says why."""
    return await coupons.validate(db, caller, body)


@router.post(
    "/coupons/apply", response_model=CouponApplied, responses=errors(401, 403, 404, 409, 422)
)
async def apply_coupon(
    body: CouponApplyRequest, caller: CouponUser, db: DbSession
) -> CouponApplied:
    """Redeem a coupon on a pending or confirmed booking; the booking is priced again."""
    return await coupons.apply(db, caller, body)


@router.get("/coupons", response_model=ListResponse[CouponOut], responses=errors(401, 403, 422))
async def list_coupons(
    caller: CouponReader,
    db: DbSession,
    page: PageQuery,
    active: Annotated[bool | None, Query(description="true: usable now; false: not")] = None,
    customer_id: IdFilter = None,
) -> Response:
    """The station's coupons, newest first."""
    now = utcnow()
    stmt = coupon_repository.coupons_query(
        caller.station_id, active=active, customer_id=customer_id, now=now
    )
    result = await fetch_page(db, stmt, page)
    return list_response(CouponOut, [coupons.coupon_out(c, now) for c in result.items], result)


@router.get("/coupons/{coupon_id}", response_model=CouponOut, responses=errors(401, 403, 404, 422))
async def get_coupon(coupon_id: PathId, caller: CouponReader, db: DbSession) -> CouponOut:
    """One coupon with its use count."""
    return await coupons.get_coupon(db, caller, coupon_id)


@router.patch(
    "/coupons/{coupon_id}", response_model=CouponOut, responses=errors(401, 403, 404, 422)
)
@router.put("/coupons/{coupon_id}", response_model=CouponOut, include_in_schema=False)
async def update_coupon(
    coupon_id: PathId, body: CouponUpdate, caller: CouponManager, db: DbSession
) -> CouponOut:
    """Switch a coupon off or on, move its expiry (a past time expires it), change its limit."""
    return await coupons.update_coupon(db, caller, coupon_id, body)


@router.get(
    "/customers/{customer_id}/reviews",
    response_model=ListResponse[AnyReview],
    responses=errors(401, 403, 404, 422),
)
async def customer_reviews(
    customer_id: PathId, caller: OwnReader, db: DbSession, page: PageQuery
) -> Response:
    """A customer's reviews, newest first (a customer may read their own)."""
    stmt = await service.customer_reviews_query(db, caller, customer_id)
    result = await fetch_page(db, stmt, page)
    if caller.can("reviews:read"):
        return list_response(ReviewOut, [service.review_out(r) for r in result.items], result)
    return list_response(PublicReviewOut, [service.public_out(r) for r in result.items], result)


@router.post(
    "/track-external",
    response_model=ExternalReviewSaved,
    responses={
        **errors(401, 403, 404, 422),
        201: {"model": ExternalReviewSaved, "description": "Created"},
    },
)
async def track_external(
    body: ExternalReviewIn, response: Response, caller: Moderator, db: DbSession
) -> ExternalReviewSaved:
    """Record a review from Google, Yelp, ...: 201 when new, 200 when updated."""
    saved = await service.track_external(db, caller, body)
    response.status_code = 201 if saved.created else 200
    return saved


# -- the collection and one review ---------------------------------------------------------


@router.get(
    "",
    response_model=ListResponse[AnyReview],
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def list_reviews(
    station: PublicStation,
    principal: MaybePrincipal,
    db: DbSession,
    page: PageQuery,
    rating: Rating = None,
    min_rating: Rating = None,
    source: Annotated[ExternalSource | Literal["internal"] | None, Query()] = None,
    status: Annotated[
        Literal["published", "hidden", "all"] | None,
        Query(description="Staff only (default all); the public sees published reviews"),
    ] = None,
) -> Response:
    """Published reviews, newest first (public); staff also see hidden ones."""
    staff = service.is_staff(principal)
    # the public sees published reviews whatever it asks for
    statuses: list[str] | None = [service.PUBLISHED]
    if staff:
        statuses = None if status in (None, "all") else [str(status)]
    stmt = repository.list_query(
        station.id,
        statuses=statuses,
        rating=rating,
        min_rating=min_rating,
        source=source,
        staff=staff,
    )
    result = await fetch_page(db, stmt, page)
    if staff:
        return list_response(ReviewOut, [service.review_out(r) for r in result.items], result)
    return list_response(PublicReviewOut, [service.public_out(r) for r in result.items], result)


@router.post(
    "", response_model=ReviewOut, status_code=201, responses=errors(401, 403, 404, 409, 422)
)
async def create_review(body: ReviewCreate, caller: Author, db: DbSession) -> ReviewOut:
    """Review a completed booking (once); staff may record one for a customer."""
    return await service.create_review(db, caller, body)


@router.get(
    "/{review_id}",
    response_model=AnyReview,
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def get_review(
    review_id: PathId, station: PublicStation, principal: MaybePrincipal, db: DbSession
) -> AnyReview:
    """A published review (staff: any review of the station, with its escalation)."""
    return await service.get_review(db, station, principal, review_id)


@router.put("/{review_id}", response_model=AnyReview, responses=errors(401, 403, 404, 409, 422))
async def update_review(
    review_id: PathId, body: ReviewUpdate, caller: Author, db: DbSession
) -> AnyReview:
    """The author edits their review; moderators also publish, hide and reply."""
    return await service.update_review(db, caller, review_id, body)


@router.delete("/{review_id}", status_code=204, responses=errors(401, 403, 404, 422))
async def delete_review(review_id: PathId, caller: Moderator, db: DbSession) -> Response:
    """Delete a review for good."""
    await service.delete_review(db, caller, review_id)
    return Response(status_code=204)


@router.post(
    "/{review_id}/resolve",
    response_model=ReviewResolved,
    responses=errors(401, 403, 404, 409, 422),
)
async def resolve_review(
    review_id: PathId,
    body: ResolveRequest,
    request: Request,
    caller: Moderator,
    db: DbSession,
) -> ReviewResolved:
    """Close an escalation with notes, optionally with a recovery coupon for the customer."""
    return await service.resolve(hibachi_runtime(request), db, caller, review_id, body)
