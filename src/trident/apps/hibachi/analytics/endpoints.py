"""Analytics routes: the admin dashboard, reports and KPIs under ``/api/admin`` (and
``/api/v1/admin``: the 2025-10-25 document's ``/api/v1/admin/analytics``), and the
CRM document's reports under ``/api/analytics``.  Every route needs ``analytics:read``
(admins, managers and viewers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from trident.apps.hibachi.analytics import service
from trident.apps.hibachi.analytics.schemas import (
    BookingReport,
    BookingStats,
    CustomerReport,
    DashboardOut,
    GroupBy,
    KpisOut,
    RevenueReport,
)
from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.envelope import errors
from trident.core.app import DbSession
from trident.core.choices import choice_list, split_choices
from trident.core.dates import Day
from trident.core.jsonbody import dumps, json_response

admin_router = APIRouter(tags=["analytics"])
crm_router = APIRouter(tags=["analytics"])

Analyst = station_caller("analytics:read")

DateFrom = Annotated[Day | None, Query(description="First day (default: 29 days before date_to)")]
DateTo = Annotated[Day | None, Query(description="Last day (default: the station's today)")]
StartDate = Annotated[Day | None, Query(description="Same as date_from (CRM document)")]
EndDate = Annotated[Day | None, Query(description="Same as date_to (CRM document)")]
Grouping = Annotated[GroupBy, Query(description="Bucket the series by day, week or month")]
ERRORS = errors(401, 403, 422)


async def report_period(
    caller: Analyst,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    start_date: StartDate = None,
    end_date: EndDate = None,
) -> service.Period:
    """The period a report covers, from either document's parameter names."""
    return service.period_of(caller, date_from or start_date, date_to or end_date)


ReportPeriod = Annotated[service.Period, Depends(report_period)]
MetricFilter = choice_list(service.METRICS, description="Sections to compute (all by default)")


@admin_router.get(
    "/analytics/dashboard",
    response_model=DashboardOut,
    response_model_exclude_unset=True,
    include_in_schema=False,  # the endpoint map's path: an alias (docs/compat.md)
)
@admin_router.get(
    "/analytics",
    response_model=DashboardOut,
    response_model_exclude_unset=True,
    responses=ERRORS,
    summary="Analytics dashboard",
)
async def analytics_dashboard(
    caller: Analyst,
    db: DbSession,
    period: ReportPeriod,
    metric: MetricFilter = None,
) -> Response:
    """Revenue, bookings and customers of a period with their change, and the charts."""
    sections = set(split_choices(metric) or service.METRICS)
    return json_response(dumps(await service.dashboard(db, caller, period, sections)))


@admin_router.get("/analytics/revenue", response_model=RevenueReport, responses=ERRORS)
@crm_router.get("/revenue", response_model=RevenueReport, include_in_schema=False)
async def revenue_report(
    caller: Analyst,
    db: DbSession,
    period: ReportPeriod,
    group_by: Grouping = "day",
) -> RevenueReport:
    """Revenue of a period by day/week/month, average booking value, deposits."""
    return await service.revenue_report(db, caller, period, group_by)


@admin_router.get("/analytics/customers", response_model=CustomerReport, responses=ERRORS)
@admin_router.get("/customer-analytics", response_model=CustomerReport, include_in_schema=False)
@crm_router.get("/customers", response_model=CustomerReport, include_in_schema=False)
async def customer_report(
    caller: Analyst,
    db: DbSession,
    period: ReportPeriod,
) -> CustomerReport:
    """New and returning customers, repeat rate, top spenders, loyalty tiers."""
    return await service.customer_report(db, caller, period)


@admin_router.get("/analytics/bookings", response_model=BookingReport, responses=ERRORS)
@crm_router.get("/bookings", response_model=BookingReport, include_in_schema=False)
async def booking_report(
    caller: Analyst,
    db: DbSession,
    period: ReportPeriod,
    group_by: Grouping = "day",
) -> BookingReport:
    """Booking statistics: counts, revenue, popular times, top places, breakdowns."""
    return await service.booking_report(db, caller, period, group_by)


@admin_router.get("/bookings/stats", response_model=BookingStats, responses=errors(401, 403))
async def booking_stats(caller: Analyst, db: DbSession) -> BookingStats:
    """All-time counts by status; upcoming, today's and this month's bookings."""
    return await service.booking_stats(db, caller)


@admin_router.get("/kpis", response_model=KpisOut, responses=ERRORS)
async def kpis(
    caller: Analyst,
    db: DbSession,
    period: ReportPeriod,
) -> KpisOut:
    """Key indicators of a period, each with the previous period's value and change."""
    return await service.kpis(db, caller, period)
