"""Customer shapes.  Input takes the CRM document's body (``address.zip_code``) and
the 2025-10-25 document's spelling (``address.zip``); output carries both, and the
2025-10-25 document's detail (loyalty, totals, ``preferences``) as the canonical form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from trident.apps.hibachi.bookings.schemas import BookingOut, LocationIn
from trident.apps.hibachi.customers.loyalty import Tier
from trident.core.money import Money
from trident.core.text import DisplayText, PhoneNumber

#: an id from the payment provider (Stripe's ``cus_...``)
PROVIDER_ID = r"^cus_[A-Za-z0-9]{1,60}$"
ContactChannel = Literal["email", "phone", "sms"]
Restriction = Annotated[DisplayText, StringConstraints(max_length=50)]
PreferenceKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
PreferenceValue = (
    Annotated[str, StringConstraints(max_length=500)]
    | bool
    | int
    | float
    | Annotated[list[Annotated[str, StringConstraints(max_length=100)]], Field(max_length=30)]
    | None
)
MAX_PREFERENCES = 30
_KEY: TypeAdapter[str] = TypeAdapter(PreferenceKey)
_VALUE: TypeAdapter[Any] = TypeAdapter(PreferenceValue)


class PreferencesIn(BaseModel):
    """Known preferences are checked; others are kept as given (short scalars or
    lists of short strings, up to 30 keys).  A key sent as null is removed."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    dietary_restrictions: list[Restriction] | None = Field(default=None, max_length=30)
    preferred_contact: ContactChannel | None = None

    @model_validator(mode="after")
    def bounded_extras(self) -> PreferencesIn:
        extras = self.model_extra or {}
        if len(extras) > MAX_PREFERENCES:
            raise ValueError(f"at most {MAX_PREFERENCES} preferences")
        for key, value in extras.items():
            _check_preference(key, value)
        return self


def _check_preference(key: str, value: Any) -> None:
    try:
        _KEY.validate_python(key)
    except ValueError:
        raise ValueError(f"preference name {key!r} must be snake_case (up to 40 characters)")
    try:
        _VALUE.validate_python(value, strict=True)
    except ValueError:
        raise ValueError(
            f"preference {key!r} must be text (500 characters at most), a number, "
            "true/false, or a list of short texts"
        )


class CustomerFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    address: LocationIn | None = None
    dietary_restrictions: list[Restriction] | None = Field(default=None, max_length=30)
    notes: str | None = Field(default=None, max_length=2000, description="Staff notes")
    preferences: PreferencesIn | None = None


class CustomerCreate(CustomerFields):
    name: DisplayText = Field(min_length=2, max_length=100)
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    stripe_customer_id: str | None = Field(
        default=None, pattern=PROVIDER_ID, description="The payment provider's customer id"
    )


class CustomerUpsert(CustomerCreate):
    """Create-or-update finds the customer by email, so the email is required."""

    email: EmailStr  # type: ignore[assignment]
    name: DisplayText | None = Field(default=None, min_length=2, max_length=100)  # type: ignore[assignment]


class CustomerUpdate(CustomerFields):
    name: DisplayText | None = Field(default=None, min_length=2, max_length=100)
    email: EmailStr | None = None
    phone: PhoneNumber | None = None
    stripe_customer_id: str | None = Field(default=None, pattern=PROVIDER_ID)


class AddressOut(BaseModel):
    street: str | None
    city: str | None
    state: str | None
    zip: str | None = Field(description="The 2025-10-25 document's name")
    zip_code: str | None = Field(description="The CRM document's name")


class PreferencesOut(BaseModel):
    """``dietary_restrictions`` and ``preferred_contact``, then any others stored."""

    model_config = ConfigDict(extra="allow")

    dietary_restrictions: list[str]
    preferred_contact: ContactChannel | None


class CustomerListItem(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None
    loyalty_tier: Tier
    loyalty_points: int
    total_bookings: int
    total_spent: Money
    upcoming_bookings: int
    last_booking_date: dt.date | None
    created_at: dt.datetime


class CustomerOut(CustomerListItem):
    station_id: int
    address: AddressOut
    dietary_restrictions: list[str] = Field(description="Same as preferences.dietary_restrictions")
    preferences: PreferencesOut
    notes: str | None = Field(description="Staff notes (not shown to the customer)")
    source: str | None
    stripe_customer_id: str | None
    updated_at: dt.datetime


class CustomerSaved(CustomerOut):
    created: bool
    message: str


class CustomerPreferences(PreferencesOut):
    customer_id: int


class Loyalty(BaseModel):
    tier: Tier
    points: int
    total_spent: Money
    next_tier: Tier | None
    amount_to_next_tier: Money | None


class MonthSpend(BaseModel):
    month: str = Field(description="YYYY-MM, by event date")
    bookings: int
    total_spent: Money


class BookingCounts(BaseModel):
    pending: int
    confirmed: int
    completed: int
    cancelled: int


class CustomerBrief(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None


class CustomerAnalytics(BaseModel):
    customer_id: int
    customer: CustomerBrief
    stripe_customer_id: str | None
    total_bookings: int = Field(description="Bookings not cancelled")
    bookings_by_status: BookingCounts
    total_spent: Money = Field(description="Sum of completed bookings' totals")
    average_booking_value: Money = Field(description="total_spent / completed bookings")
    first_booking_date: dt.date | None
    last_booking_date: dt.date | None = Field(description="The latest past event")
    next_booking_date: dt.date | None
    upcoming_bookings: int
    favorite_event_type: str | None
    spend_by_month: list[MonthSpend]
    loyalty: Loyalty


class DashboardCounts(BaseModel):
    total: int = Field(description="Bookings not cancelled")
    upcoming: int
    completed: int
    pending: int
    confirmed: int
    cancelled: int


class CustomerDashboard(BaseModel):
    customer: CustomerOut
    loyalty: Loyalty
    counts: DashboardCounts
    upcoming_bookings: list[BookingOut] = Field(description="The next ones, soonest first")
    recent_bookings: list[BookingOut] = Field(description="Past events, latest first")
