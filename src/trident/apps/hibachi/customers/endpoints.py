from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BeforeValidator, EmailStr

from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.customers import service
from trident.apps.hibachi.customers.loyalty import Tier
from trident.apps.hibachi.customers.schemas import (
    CustomerAnalytics,
    CustomerCreate,
    CustomerDashboard,
    CustomerListItem,
    CustomerOut,
    CustomerPreferences,
    CustomerSaved,
    CustomerUpdate,
    CustomerUpsert,
    PreferencesIn,
)
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.responses import (
    ListResponse,
    PageQuery,
    plain_list_response,
)
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.pagination import fetch_page

router = APIRouter(tags=["customers"])

#: staff see every customer of the station; a customer sees only themselves
Reader = station_caller("customers:read", "customers:own", any_of=True)
Writer = station_caller("customers:write", "customers:own", any_of=True)
StaffReader = station_caller("customers:read")
StaffWriter = station_caller("customers:write")

REF_PATTERN = r"^(\d{1,10}|cus_[A-Za-z0-9]{1,60})$"
CustomerRef = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=REF_PATTERN,
        description="The customer's id, or the payment provider's customer id (cus_...)",
    ),
]


#: one tier (any case); the customers of that loyalty tier
TierFilter = Annotated[
    Tier | None,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    Query(description="Loyalty tier"),
]


@router.get("", response_model=ListResponse[CustomerListItem], responses=errors(401, 403, 422))
async def list_customers(
    request: Request,
    caller: StaffReader,
    db: DbSession,
    page: PageQuery,
    search: Annotated[
        str | None,
        Query(
            max_length=100,
            description=(
                "Part of a name (any case), or a whole email or phone number: email and "
                "phone are encrypted, so they match exactly, never in part"
            ),
        ),
    ] = None,
    loyalty_tier: TierFilter = None,
    sort: Literal["created_at", "name"] = "created_at",
    order: Literal["asc", "desc"] = "desc",
) -> Response:
    """The station's customers with loyalty and totals, searched, filtered by tier, paged."""
    stmt = service.list_query(
        hibachi_runtime(request),
        caller,
        search=search,
        tier=loyalty_tier,
        sort=sort,
        descending=order == "desc",
    )
    result = await fetch_page(db, stmt, page)
    return plain_list_response(await service.page_items(db, caller, result.items), result)


@router.post("", response_model=CustomerOut, status_code=201, responses=errors(401, 403, 409, 422))
async def create_customer(
    body: CustomerCreate, request: Request, caller: StaffWriter, db: DbSession
) -> CustomerOut:
    """Add a customer to the station (409 if the email is taken)."""
    return await service.create_customer(hibachi_runtime(request), db, caller, body)


@router.post(
    "/create-or-update",
    response_model=CustomerSaved,
    status_code=201,
    responses={200: {"model": CustomerSaved, "description": "Updated"}}
    | errors(401, 403, 409, 422),
)
async def create_or_update_customer(
    body: CustomerUpsert, request: Request, response: Response, caller: StaffWriter, db: DbSession
) -> CustomerSaved:
    """The customer with this email, updated (200) or created (201)."""
    customer, created = await service.create_or_update(hibachi_runtime(request), db, caller, body)
    if not created:
        response.status_code = 200
    return CustomerSaved(
        **customer.model_dump(),
        created=created,
        message="Customer created" if created else "Customer updated",
    )


@router.get("/find-by-email", response_model=CustomerOut, responses=errors(401, 403, 404, 422))
async def find_by_email(
    request: Request, caller: StaffReader, db: DbSession, email: Annotated[EmailStr, Query()]
) -> CustomerOut:
    """The station's customer with exactly this email, or 404."""
    return await service.find_by_email(hibachi_runtime(request), db, caller, email)


@router.get("/dashboard", response_model=CustomerDashboard, responses=errors(401, 403, 404, 422))
async def dashboard(
    caller: Reader,
    db: DbSession,
    customer_id: Annotated[
        str | None,
        Query(
            max_length=64,
            pattern=REF_PATTERN,
            description="Staff: whose dashboard (id or cus_...); a customer gets their own",
        ),
    ] = None,
) -> CustomerDashboard:
    """A customer's self-service page: profile, loyalty, next and recent bookings."""
    return await service.dashboard(db, caller, customer_id)


@router.get("/{customer_id}", response_model=CustomerOut, responses=errors(401, 403, 404, 422))
async def get_customer(customer_id: CustomerRef, caller: Reader, db: DbSession) -> CustomerOut:
    """One customer with address, preferences, loyalty and booking totals."""
    customer = await service.visible(db, caller, customer_id, "customers:read")
    return await service.detail(db, caller, customer)


@router.put("/{customer_id}", response_model=CustomerOut, responses=errors(401, 403, 404, 409, 422))
async def update_customer(
    customer_id: CustomerRef,
    body: CustomerUpdate,
    request: Request,
    caller: Writer,
    db: DbSession,
) -> CustomerOut:
    """Change the fields sent (a customer: their own record, not staff notes)."""
    return await service.update_customer(hibachi_runtime(request), db, caller, customer_id, body)


@router.get(
    "/{customer_id}/preferences",
    response_model=CustomerPreferences,
    responses=errors(401, 403, 404, 422),
)
async def get_preferences(
    customer_id: CustomerRef, caller: Reader, db: DbSession
) -> CustomerPreferences:
    """A customer's dietary restrictions, preferred contact and other preferences."""
    return await service.get_preferences(db, caller, customer_id)


@router.put(
    "/{customer_id}/preferences",
    response_model=CustomerPreferences,
    responses=errors(401, 403, 404, 422),
)
async def update_preferences(
    customer_id: CustomerRef, body: PreferencesIn, caller: Writer, db: DbSession
) -> CustomerPreferences:
    """Merge preferences: keys sent replace the stored ones, null removes one."""
    return await service.update_preferences(db, caller, customer_id, body)


@router.get(
    "/{customer_id}/analytics",
    response_model=CustomerAnalytics,
    responses=errors(401, 403, 404, 422),
)
async def customer_analytics(
    customer_id: CustomerRef, caller: StaffReader, db: DbSession
) -> CustomerAnalytics:
    """A customer's bookings by status, spend by month, averages and loyalty."""
    return await service.analytics(db, caller, customer_id)
