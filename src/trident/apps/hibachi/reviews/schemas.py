"""Review, escalation and coupon shapes.

Money goes out as JSON numbers (``Money``) and comes in as numbers or strings; a
coupon's ``discount_value`` is a percentage (10 = 10%) or dollars, by its
``discount_type``.  ``comment`` also answers to ``content`` on input.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from trident.core.dates import Day, Instant
from trident.core.ids import MAX_ID, RowId
from trident.core.money import Money
from trident.core.text import BIDI_CONTROLS, DisplayText

ReviewStatus = Literal["published", "hidden"]
ExternalSource = Literal["google", "yelp", "facebook", "tripadvisor", "other"]
DiscountType = Literal["percent", "fixed"]
INTERNAL_SOURCE = "internal"
#: a rating at or below this needs someone's attention
ESCALATION_RATING = 2
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$"
URL_PATTERN = r"^https?://[^\s\x00-\x1f\x7f]+$"
#: what a person may type as a code (an unknown one is answered, not refused)
TYPED_CODE_PATTERN = r"^[^\x00-\x1f\x7f]+$"


def _clean_paragraphs(value: str) -> str:
    """Line breaks and tabs are kept; other control characters (NUL among them, which
    PostgreSQL refuses) and bidirectional overrides are not."""
    for char in value:
        if (char < " " and char not in "\n\r\t") or "\x7f" <= char <= "\x9f":
            raise ValueError("must not contain control characters other than line breaks")
        if char in BIDI_CONTROLS:
            raise ValueError("must not contain bidirectional control characters")
    return value


#: text people write in paragraphs: comments, replies, notes
Paragraphs = Annotated[str, AfterValidator(_clean_paragraphs)]


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _upper(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


# -- reviews ------------------------------------------------------------------------


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    booking_id: RowId | None = None
    customer_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Staff only: the customer reviewed for"
    )
    rating: int = Field(ge=1, le=5, strict=True)
    title: DisplayText | None = Field(default=None, max_length=200)
    comment: Paragraphs | None = Field(
        default=None, max_length=5000, validation_alias=AliasChoices("comment", "content")
    )
    author_name: DisplayText | None = Field(
        default=None, max_length=100, description="Shown publicly (default: first name, initial)"
    )


class ReviewUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rating: int | None = Field(default=None, ge=1, le=5, strict=True)
    title: DisplayText | None = Field(default=None, max_length=200)
    comment: Paragraphs | None = Field(
        default=None, max_length=5000, validation_alias=AliasChoices("comment", "content")
    )
    status: ReviewStatus | None = Field(default=None, description="Moderators only")
    response: Paragraphs | None = Field(
        default=None, max_length=5000, description="Moderators only: the public reply"
    )

    _status = field_validator("status", mode="before")(_lower)


class CustomerBrief(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None


class PublicReviewOut(BaseModel):
    """What anyone may read of a published review."""

    id: int
    rating: int
    title: str | None
    comment: str | None
    author_name: str | None
    source: str
    external_url: str | None
    response: str | None = Field(description="The station's public reply")
    status: ReviewStatus
    is_verified: bool = Field(description="Written about a booking of ours")
    created_at: dt.datetime
    updated_at: dt.datetime


class ReviewOut(PublicReviewOut):
    """The whole review, for the station's staff."""

    station_id: int
    customer_id: int | None
    customer: CustomerBrief | None
    booking_id: int | None
    external_id: str | None
    is_escalated: bool = Field(description="An open escalation (escalated, not resolved)")
    escalated_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolved_by_id: int | None
    resolution_notes: str | None


# -- coupons --------------------------------------------------------------------------


class CouponTerms(BaseModel):
    """What a coupon gives and for how long."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    discount_type: DiscountType
    discount_value: Decimal = Field(gt=0, le=100_000, max_digits=10, decimal_places=2)
    expires_in_days: int | None = Field(
        default=90, ge=1, le=3650, description="Null: never expires"
    )
    max_uses: int | None = Field(
        default=None, ge=1, le=1_000_000, description="Default: 1 when bound to a customer"
    )
    min_order_amount: Money | None = Field(
        default=None, ge=0, le=1_000_000, max_digits=12, decimal_places=2
    )
    max_discount_amount: Money | None = Field(
        default=None, gt=0, le=1_000_000, max_digits=12, decimal_places=2
    )
    notify_customer: bool = Field(
        default=True, description="Email the code to the customer it is bound to"
    )

    _type = field_validator("discount_type", mode="before")(_lower)

    @model_validator(mode="after")
    def percent_at_most_100(self) -> CouponTerms:
        if self.discount_type == "percent" and self.discount_value > 100:
            raise ValueError("a percent discount_value must be at most 100")
        return self


class IssueCouponRequest(CouponTerms):
    customer_id: RowId | None = None
    review_id: RowId | None = None
    reason: Paragraphs | None = Field(default=None, max_length=300)
    code: str | None = Field(
        default=None, pattern=CODE_PATTERN, description="Default: generated (SORRY-7K3Q9X)"
    )

    _code = field_validator("code", mode="before")(_upper)


class CouponUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    is_active: bool | None = None
    expires_at: Instant | None = Field(
        default=None, description="A time in the past expires the coupon now"
    )
    max_uses: int | None = Field(default=None, ge=1, le=1_000_000)
    description: Paragraphs | None = Field(default=None, max_length=300)


class CouponOut(BaseModel):
    id: int
    station_id: int
    code: str
    description: str | None
    reason: str | None = Field(description="Same as description")
    discount_type: DiscountType
    discount_value: Money
    min_order_amount: Money
    max_discount_amount: Money | None
    customer_id: int | None
    review_id: int | None
    source: str
    expires_at: dt.datetime | None
    max_uses: int | None
    uses_count: int
    remaining_uses: int | None
    is_active: bool
    is_usable: bool = Field(description="Active, not expired and not used up")
    created_by_id: int | None
    created_at: dt.datetime


class CouponIssued(CouponOut):
    notified: bool = Field(description="The code was emailed to the customer")
    message: str


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resolution_notes: Paragraphs = Field(
        min_length=1,
        max_length=5000,
        validation_alias=AliasChoices("resolution_notes", "notes", "resolution"),
    )
    issue_coupon: CouponTerms | None = None


class ReviewResolved(ReviewOut):
    coupon: CouponIssued | None
    message: str


class CouponValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40, pattern=TYPED_CODE_PATTERN)
    customer_id: RowId | None = None
    order_amount: Money | None = Field(
        default=None,
        ge=0,
        le=10_000_000,
        max_digits=12,
        decimal_places=2,
        validation_alias=AliasChoices("order_amount", "subtotal"),
    )
    booking_id: RowId | None = None

    _code = field_validator("code", mode="before")(_upper)


InvalidReason = Literal[
    "unknown",
    "inactive",
    "expired",
    "used_up",
    "other_customer",
    "already_used",
    "below_minimum",
    "booking_not_found",
    "booking_has_coupon",
]


class CouponValidation(BaseModel):
    valid: bool
    code: str
    discount_type: DiscountType | None
    discount_value: Money | None
    discount_amount: Money | None = Field(
        description="What comes off the order (when its amount is known)"
    )
    order_amount: Money | None
    min_order_amount: Money | None
    expires_at: dt.datetime | None
    reason: str | None = Field(description="Why the coupon cannot be used, in a sentence")
    reason_code: InvalidReason | None
    message: str


class CouponApplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=40, pattern=TYPED_CODE_PATTERN)
    booking_id: RowId

    _code = field_validator("code", mode="before")(_upper)


class CouponApplied(BaseModel):
    booking_id: int
    code: str
    discount_amount: Money
    subtotal: Money
    tax: Money
    service_fee: Money
    total_amount: Money
    deposit_amount: Money
    balance_due: Money
    message: str


# -- external reviews and analytics ------------------------------------------------------


class ExternalReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: ExternalSource
    external_id: DisplayText = Field(min_length=1, max_length=200)
    external_url: str | None = Field(default=None, max_length=500, pattern=URL_PATTERN)
    rating: int = Field(ge=1, le=5, strict=True)
    title: DisplayText | None = Field(default=None, max_length=200)
    comment: Paragraphs | None = Field(
        default=None, max_length=5000, validation_alias=AliasChoices("comment", "content")
    )
    author_name: DisplayText | None = Field(default=None, max_length=100)
    review_date: Instant | Day | None = Field(
        default=None, description="When it was written (default: now)"
    )
    customer_id: RowId | None = None

    _source = field_validator("source", mode="before")(_lower)


class ExternalReviewSaved(ReviewOut):
    created: bool = Field(description="True when new, False when an update of a tracked review")


class SourceStats(BaseModel):
    count: int
    average_rating: Money | None


class MonthStats(BaseModel):
    month: str = Field(description="YYYY-MM (UTC)")
    count: int
    average_rating: Money | None


class EscalationStats(BaseModel):
    total: int
    open: int
    resolved: int
    average_resolution_hours: Money | None


class ReviewAnalytics(BaseModel):
    date_from: dt.date | None
    date_to: dt.date | None
    total_reviews: int
    average_rating: Money | None
    rating_distribution: dict[str, int] = Field(description='Count per rating, "1" to "5"')
    by_source: dict[str, SourceStats]
    published: int
    hidden: int
    responded: int
    response_rate: Money | None = Field(description="Percent of reviews with a public reply")
    escalations: EscalationStats
    escalations_open: int
    escalations_resolved: int
    average_resolution_hours: Money | None
    monthly_trend: list[MonthStats]
