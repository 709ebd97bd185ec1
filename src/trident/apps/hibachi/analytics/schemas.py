"""Analytics shapes: the 2025-10-25 document's dashboard, the CRM document's booking
report, and the newest document's revenue, customer, KPI and booking-stats reports.

Money is a JSON number in dollars (``Money``); percentages are JSON numbers with one
decimal (``Percent``); ``change_percent`` is null when the previous period had none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from trident.core.money import Money

#: an exact decimal shown as a JSON number
Number = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
#: a percentage with one decimal (15.5)
Percent = Number
Trend = Literal["up", "down", "flat"]
GroupBy = Literal["day", "week", "month"]


class PeriodOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: dt.date = Field(alias="from", description="First day (inclusive)")
    to: dt.date = Field(description="Last day (inclusive)")


# -- the dashboard (2025-10-25 document) ----------------------------------------------


class RevenueSummary(BaseModel):
    total: Money
    change_percent: Percent | None
    trend: Trend | None = Field(description="null when change_percent is null")


class BookingSummary(BaseModel):
    total: int
    confirmed: int
    pending: int
    cancelled: int
    completed: int
    change_percent: Percent | None


class CustomerSummary(BaseModel):
    new: int
    returning: int
    total_active: int


class DayAmount(BaseModel):
    date: dt.date
    amount: Money


class Charts(BaseModel):
    revenue_by_day: list[DayAmount] | None = None
    bookings_by_type: dict[str, int] | None = None


class DashboardOut(BaseModel):
    """Sections left out of ``metric`` are absent from the response."""

    period: PeriodOut
    revenue: RevenueSummary | None = None
    bookings: BookingSummary | None = None
    customers: CustomerSummary | None = None
    charts: Charts | None = None


# -- revenue ---------------------------------------------------------------------------


class RevenueBucket(BaseModel):
    period: dt.date = Field(description="The bucket's first day (a Monday for weeks)")
    start: dt.date
    end: dt.date
    revenue: Money
    bookings: int


class DepositsOut(BaseModel):
    collected: Money = Field(description="Paid so far on the period's revenue bookings")
    outstanding: Money = Field(description="Still to pay on them")
    collected_percent: Percent


class RevenueReport(BaseModel):
    period: PeriodOut
    previous_period: PeriodOut
    group_by: GroupBy
    total: Money
    total_revenue: Money
    previous_total: Money
    change_percent: Percent | None
    trend: Trend | None = Field(description="null when change_percent is null")
    bookings: int = Field(description="Confirmed and completed bookings in the period")
    average_booking_value: Money
    deposits: DepositsOut
    by_period: list[RevenueBucket]


# -- customers -------------------------------------------------------------------------


class TopCustomer(BaseModel):
    id: int
    name: str
    total_spent: Money
    bookings: int


class CustomerReport(BaseModel):
    period: PeriodOut
    new: int
    returning: int
    total_active: int
    active_in_period: int = Field(description="Customers with a booking in the period")
    repeat_rate: Percent = Field(description="returning / active_in_period, in percent")
    new_change_percent: Percent | None
    top_customers: list[TopCustomer]
    loyalty_tiers: dict[str, int]


# -- bookings (CRM document) -----------------------------------------------------------


class LocationCount(BaseModel):
    city: str
    count: int


class TimeCount(BaseModel):
    time: str
    count: int


class BookingBucket(BaseModel):
    period: dt.date = Field(description="The bucket's first day (a Monday for weeks)")
    start: dt.date
    end: dt.date
    bookings: int
    cancelled: int
    guests: int
    revenue: Money


class BookingReport(BaseModel):
    period: PeriodOut
    group_by: GroupBy
    total_bookings: int
    confirmed_bookings: int = Field(description="Confirmed and completed")
    pending_bookings: int
    completed_bookings: int
    cancelled_bookings: int
    total_revenue: Money
    average_booking_value: Money
    popular_times: list[str]
    time_slots: list[TimeCount]
    top_locations: list[LocationCount]
    by_status: dict[str, int]
    by_event_type: dict[str, int]
    by_period: list[BookingBucket]
    average_guests: Number
    cancellation_rate: Percent
    change_percent: Percent | None


# -- booking stats and KPIs ------------------------------------------------------------


class AllTimeOut(BaseModel):
    bookings: int
    revenue: Money
    guests: int


class BookingStats(BaseModel):
    today_date: dt.date
    total_bookings: int
    by_status: dict[str, int]
    pending: int
    confirmed: int
    completed: int
    cancelled: int
    upcoming: int
    today: int
    this_month: int
    revenue_this_month: Money
    average_guest_count: Number
    all_time: AllTimeOut


class Kpi(BaseModel):
    value: int | Number | None
    previous: int | Number | None
    change_percent: Percent | None
    trend: Trend | None = Field(description="null when change_percent is null")
    unit: Literal["usd", "count", "percent", "rating"]


class KpisOut(BaseModel):
    period: PeriodOut
    previous_period: PeriodOut
    revenue: Kpi
    bookings: Kpi
    average_booking_value: Kpi
    conversion_rate: Kpi
    cancellation_rate: Kpi
    average_rating: Kpi
    new_customers: Kpi
    repeat_customer_rate: Kpi
