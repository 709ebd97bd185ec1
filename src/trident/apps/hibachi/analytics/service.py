"""Analytics: the dashboard, revenue, customer and booking reports, booking stats, KPIs.

Definitions (every report uses these, so their numbers agree):

* **Period**: ``date_from``..``date_to`` inclusive, station-local days (the CRM
  document's ``start_date``/``end_date`` are accepted too).  Default: the last 30
  days up to the station's today.  Only ``date_from``: up to today (or 30 days when
  it is in the future); only ``date_to``: the 30 days ending then.  At most 731 days
  (two years); ``date_to`` before ``date_from`` is a 422.
* **Bookings of a period** are those whose ``event_date`` falls in it, whatever
  their status (a cancelled booking is still a booking of its period; the status
  counts say how many).
* **Revenue** is the sum of ``total_cents`` of the period's confirmed and completed
  bookings.  Cancelled (and pending) bookings never count as revenue.
  **Average booking value** is revenue / the number of those bookings.
* **New customers**: customers created in the period (station-local days).
* **Returning customers**: customers with a booking (not cancelled) in the period
  who had a booking (not cancelled) dated before the period began.
* **Active in the period**: customers with a booking (not cancelled) in it;
  **repeat rate** = returning / active in the period.
* **Total active customers**: customers with a booking (not cancelled) in the 365
  days ending on the period's last day.
* **Cancellation rate**: cancelled bookings / bookings of the period.
* **Conversion rate**: of the leads created in the period, the share converted.
* **Average rating**: of the reviews created in the period (null when none).
* **Loyalty tier**: by all-time completed spend (customers/loyalty.py): bronze under
  2,000, silver from 2,000, gold from 5,000, platinum from 10,000 dollars.
* **change_percent** compares with the previous period of equal length (the days
  just before), one decimal; null when the previous value is 0.  **trend** is
  ``up``, ``down`` or ``flat`` (the value against the previous one), null exactly
  when change_percent is null.

Every figure is aggregated by the database (see repository.py): bookings are never
loaded into Python.  Charts are zero-filled: every day (week, month) of the period
appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.analytics import repository
from trident.apps.hibachi.analytics.repository import REVENUE_STATUSES, StatusTotals
from trident.apps.hibachi.analytics.schemas import (
    AllTimeOut,
    BookingBucket,
    BookingReport,
    BookingStats,
    CustomerReport,
    DepositsOut,
    GroupBy,
    Kpi,
    KpisOut,
    LocationCount,
    PeriodOut,
    RevenueBucket,
    RevenueReport,
    TimeCount,
    TopCustomer,
    Trend,
)
from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.bookings.schemas import EVENT_TYPES
from trident.apps.hibachi.customers.loyalty import TIERS
from trident.apps.hibachi.models import BookingStatus
from trident.core.clock import today_in
from trident.core.dates import DateRange, add_days, date_range
from trident.core.errors import Unprocessable
from trident.core.money import cents_to_decimal, cents_to_number

DEFAULT_DAYS = 30
MAX_DAYS = 731
ACTIVE_WINDOW_DAYS = 365
TOP_CUSTOMERS = 10
TOP_LOCATIONS = 10
METRICS = ("revenue", "bookings", "customers")
STATUSES = tuple(s.value for s in BookingStatus)
TENTH = Decimal("0.1")


# -- periods ---------------------------------------------------------------------------

#: a report's period: closed, inclusive station-local days (core/dates.py)
Period = DateRange


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(from_=period.start, to=period.end)


def resolve_period(
    today: date, date_from: date | None, date_to: date | None, timezone: str = "UTC"
) -> Period:
    """The period a request asks for (see the module docstring for the defaults)."""
    span = DEFAULT_DAYS - 1
    if date_from is None and date_to is None:
        date_to = today
    if date_from is None:
        assert date_to is not None
        date_from = add_days(date_to, -span)
    if date_to is None:
        date_to = today if date_from <= today else add_days(date_from, span)
    period = date_range(date_from, date_to, timezone=timezone, max_days=MAX_DAYS)
    if period.previous() is None:
        # every report compares with the days just before; the calendar has none
        raise Unprocessable(
            "date_from leaves no earlier period to compare with.",
            code="invalid_period",
            details={"date_from": "must leave room for the period before it"},
        )
    return period


def previous_of(period: Period) -> Period:
    """The comparison period (resolve_period guarantees there is one)."""
    previous = period.previous()
    assert previous is not None
    return previous


def period_of(caller: Caller, date_from: date | None, date_to: date | None) -> Period:
    timezone = caller.station.timezone
    return resolve_period(today_in(timezone), date_from, date_to, timezone)


# -- arithmetic ------------------------------------------------------------------------


def change_percent(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """(current - previous) / previous in percent, one decimal; None when previous is 0."""
    if current is None or previous is None or previous == 0:
        return None
    change = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return change.quantize(TENTH, rounding=ROUND_HALF_UP)


def trend(current: Decimal | int | None, previous: Decimal | int | None) -> Trend | None:
    """The direction of change_percent: None exactly when change_percent is None (no
    previous value to compare with), so the two never disagree."""
    if change_percent(current, previous) is None:
        return None
    assert current is not None and previous is not None
    if current == previous:
        return "flat"
    return "up" if current > previous else "down"


def rate(part: int, whole: int) -> Decimal:
    """part / whole in percent with one decimal (0 when there is no whole)."""
    if whole == 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def average_cents(total_cents: int, count: int) -> int:
    if count == 0:
        return 0
    return int((Decimal(total_cents) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def buckets(period: Period, group_by: GroupBy) -> list[tuple[date, date, date]]:
    """(key, first day, last day) of each day, week (from Monday) or month of the
    period; the first and last are clipped to the period."""
    out: list[tuple[date, date, date]] = []
    day = period.start
    while day <= period.end:
        if group_by == "day":
            key, last = day, day
        elif group_by == "week":
            key = add_days(day, -day.weekday())
            last = add_days(key, 6)
        else:
            key = day.replace(day=1)
            last = add_days(add_days(key, 32).replace(day=1), -1)
        last = min(last, period.end)
        out.append((key, day, last))
        if last == date.max:
            break
        day = last + timedelta(days=1)
    return out


# -- totals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Totals:
    """A period's bookings folded from the per-status aggregates."""

    by_status: dict[str, StatusTotals]

    def count(self, status: str) -> int:
        return self.by_status.get(status, StatusTotals()).count

    @property
    def bookings(self) -> int:
        return sum(t.count for t in self.by_status.values())

    def _revenue(self, attr: str) -> int:
        return sum(getattr(t, attr) for s, t in self.by_status.items() if s in REVENUE_STATUSES)

    @property
    def revenue_cents(self) -> int:
        return self._revenue("total_cents")

    @property
    def revenue_bookings(self) -> int:
        return self._revenue("count")

    @property
    def paid_cents(self) -> int:
        return self._revenue("paid_cents")

    @property
    def outstanding_cents(self) -> int:
        return self._revenue("outstanding_cents")

    @property
    def average_cents(self) -> int:
        return average_cents(self.revenue_cents, self.revenue_bookings)

    @property
    def live_guests(self) -> tuple[int, int]:
        """(guests, bookings) over bookings not cancelled."""
        live = [t for s, t in self.by_status.items() if s != repository.CANCELLED]
        return sum(t.guests for t in live), sum(t.count for t in live)


async def _totals(db: AsyncSession, station_id: int, period: Period) -> Totals:
    return Totals(await repository.status_totals(db, station_id, period.start, period.end))


async def _compared_totals(
    db: AsyncSession, station_id: int, period: Period
) -> tuple[Totals, Totals]:
    """The period's totals and its comparison period's, from one statement."""
    previous = previous_of(period)
    current_rows, previous_rows = await repository.status_totals_compared(
        db, station_id, (period.start, period.end), (previous.start, previous.end)
    )
    return Totals(current_rows), Totals(previous_rows)


def _by_type(counts: dict[str | None, int]) -> dict[str, int]:
    """Every known event type (zero when none); an unset type counts as ``other``."""
    out = dict.fromkeys(EVENT_TYPES, 0)
    for kind, n in counts.items():
        key = kind or "other"
        out[key] = out.get(key, 0) + n
    return out


async def _total_active(db: AsyncSession, station_id: int, period: Period) -> int:
    window = Period(add_days(period.end, 1 - ACTIVE_WINDOW_DAYS), period.end)
    return await repository.active_customers(db, station_id, window.start, window.end)


async def _new_customers(db: AsyncSession, caller: Caller, period: Period) -> int:
    start, end = period.bounds()
    return await repository.new_customers(db, caller.station_id, start, end)


# -- the dashboard ---------------------------------------------------------------------


async def dashboard(
    db: AsyncSession, caller: Caller, period: Period, metrics: set[str]
) -> dict[str, Any]:
    """The 2025-10-25 document's dashboard; only the sections ``metrics`` names.

    Plain values, encoded once (a year's chart is 365 points): :class:`DashboardOut`
    documents the shape, sections left out are absent, and the tests check it."""
    station_id = caller.station_id
    out: dict[str, Any] = {"period": {"from": period.start, "to": period.end}}
    charts: dict[str, Any] = {}
    current = previous = Totals({})
    if metrics & {"revenue", "bookings"}:
        current, previous = await _compared_totals(db, station_id, period)
    if "revenue" in metrics:
        out["revenue"] = {
            "total": cents_to_number(current.revenue_cents),
            "change_percent": change_percent(current.revenue_cents, previous.revenue_cents),
            "trend": trend(current.revenue_cents, previous.revenue_cents),
        }
        daily = await repository.daily_facts(db, station_id, period.start, period.end)
        charts["revenue_by_day"] = [
            {
                "date": day,
                "amount": cents_to_number(daily[day].revenue_cents if day in daily else 0),
            }
            for day in period.each_day()
        ]
    if "bookings" in metrics:
        out["bookings"] = {
            "total": current.bookings,
            "confirmed": current.count("confirmed"),
            "pending": current.count("pending"),
            "cancelled": current.count("cancelled"),
            "completed": current.count("completed"),
            "change_percent": change_percent(current.bookings, previous.bookings),
        }
        charts["bookings_by_type"] = _by_type(
            await repository.count_by_event_type(db, station_id, period.start, period.end)
        )
    if "customers" in metrics:
        out["customers"] = {
            "new": await _new_customers(db, caller, period),
            "returning": await repository.returning_customers(
                db, station_id, period.start, period.end
            ),
            "total_active": await _total_active(db, station_id, period),
        }
    if charts:
        out["charts"] = charts
    return out


# -- revenue ---------------------------------------------------------------------------


async def revenue_report(
    db: AsyncSession, caller: Caller, period: Period, group_by: GroupBy
) -> RevenueReport:
    station_id = caller.station_id
    previous_period = previous_of(period)
    current, previous = await _compared_totals(db, station_id, period)
    daily = await repository.daily_facts(db, station_id, period.start, period.end)
    by_period = []
    for key, first, last in buckets(period, group_by):
        days = [daily[d] for d in Period(first, last).each_day() if d in daily]
        by_period.append(
            RevenueBucket(
                period=key,
                start=first,
                end=last,
                revenue=cents_to_decimal(sum(f.revenue_cents for f in days)),
                bookings=sum(f.revenue_bookings for f in days),
            )
        )
    revenue = cents_to_decimal(current.revenue_cents)
    return RevenueReport(
        period=period_out(period),
        previous_period=period_out(previous_period),
        group_by=group_by,
        total=revenue,
        total_revenue=revenue,
        previous_total=cents_to_decimal(previous.revenue_cents),
        change_percent=change_percent(current.revenue_cents, previous.revenue_cents),
        trend=trend(current.revenue_cents, previous.revenue_cents),
        bookings=current.revenue_bookings,
        average_booking_value=cents_to_decimal(current.average_cents),
        deposits=DepositsOut(
            collected=cents_to_decimal(current.paid_cents),
            outstanding=cents_to_decimal(current.outstanding_cents),
            collected_percent=rate(current.paid_cents, current.revenue_cents),
        ),
        by_period=by_period,
    )


# -- customers -------------------------------------------------------------------------


async def customer_report(db: AsyncSession, caller: Caller, period: Period) -> CustomerReport:
    """New, returning and active customers, top spenders, the loyalty tiers."""
    station_id = caller.station_id
    new = await _new_customers(db, caller, period)
    previous_new = await _new_customers(db, caller, previous_of(period))
    returning = await repository.returning_customers(db, station_id, period.start, period.end)
    active = await repository.active_customers(db, station_id, period.start, period.end)
    top = await repository.top_spenders(db, station_id, period.start, period.end, TOP_CUSTOMERS)
    tiers: dict[str, int] = {name: 0 for name, _ in TIERS}
    tiers.update(await repository.tier_distribution(db, station_id, TIERS))
    return CustomerReport(
        period=period_out(period),
        new=new,
        returning=returning,
        total_active=await _total_active(db, station_id, period),
        active_in_period=active,
        repeat_rate=rate(returning, active),
        new_change_percent=change_percent(new, previous_new),
        top_customers=[
            TopCustomer(id=cid, name=name, total_spent=cents_to_decimal(cents), bookings=n)
            for cid, name, cents, n in top
        ],
        loyalty_tiers=tiers,
    )


# -- bookings --------------------------------------------------------------------------


async def booking_report(
    db: AsyncSession, caller: Caller, period: Period, group_by: GroupBy
) -> BookingReport:
    """The CRM document's booking statistics, with the breakdowns a dashboard draws."""
    station_id = caller.station_id
    current, previous = await _compared_totals(db, station_id, period)
    daily = await repository.daily_facts(db, station_id, period.start, period.end)
    slots = await repository.slot_counts(db, station_id, period.start, period.end)
    places = await repository.top_places(db, station_id, period.start, period.end, TOP_LOCATIONS)
    types = await repository.count_by_event_type(db, station_id, period.start, period.end)
    by_period = []
    for key, first, last in buckets(period, group_by):
        days = [daily[d] for d in Period(first, last).each_day() if d in daily]
        by_period.append(
            BookingBucket(
                period=key,
                start=first,
                end=last,
                bookings=sum(f.bookings for f in days),
                cancelled=sum(f.cancelled for f in days),
                guests=sum(f.guests for f in days),
                revenue=cents_to_decimal(sum(f.revenue_cents for f in days)),
            )
        )
    guests, live = current.live_guests
    cancelled = current.count("cancelled")
    return BookingReport(
        period=period_out(period),
        group_by=group_by,
        total_bookings=current.bookings,
        confirmed_bookings=current.revenue_bookings,
        pending_bookings=current.count("pending"),
        completed_bookings=current.count("completed"),
        cancelled_bookings=cancelled,
        total_revenue=cents_to_decimal(current.revenue_cents),
        average_booking_value=cents_to_decimal(current.average_cents),
        popular_times=[slot for slot, _ in slots],
        time_slots=[TimeCount(time=slot, count=n) for slot, n in slots],
        top_locations=[LocationCount(city=place, count=n) for place, n in places],
        by_status={s: current.count(s) for s in STATUSES},
        by_event_type=_by_type(types),
        by_period=by_period,
        average_guests=(Decimal(guests) / live).quantize(TENTH, rounding=ROUND_HALF_UP)
        if live
        else Decimal("0.0"),
        cancellation_rate=rate(cancelled, current.bookings),
        change_percent=change_percent(current.bookings, previous.bookings),
    )


async def booking_stats(db: AsyncSession, caller: Caller) -> BookingStats:
    """All-time counts by status, and what is upcoming, today and this month."""
    today = today_in(caller.station.timezone)
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows = await repository.booking_stats(db, caller.station_id, today, month_start, month_end)
    by_status = {s: rows[s].count if s in rows else 0 for s in STATUSES}
    live = [r for s, r in rows.items() if s != repository.CANCELLED]
    revenue = [r for s, r in rows.items() if s in REVENUE_STATUSES]
    live_count = sum(r.count for r in live)
    live_guests = sum(r.guests for r in live)
    return BookingStats(
        today_date=today,
        total_bookings=sum(by_status.values()),
        by_status=by_status,
        pending=by_status["pending"],
        confirmed=by_status["confirmed"],
        completed=by_status["completed"],
        cancelled=by_status["cancelled"],
        upcoming=sum(r.upcoming for r in live),
        today=sum(r.today for r in live),
        this_month=sum(r.this_month for r in live),
        revenue_this_month=cents_to_decimal(sum(r.month_cents for r in revenue)),
        average_guest_count=(Decimal(live_guests) / live_count).quantize(
            TENTH, rounding=ROUND_HALF_UP
        )
        if live_count
        else Decimal("0.0"),
        all_time=AllTimeOut(
            bookings=sum(by_status.values()),
            revenue=cents_to_decimal(sum(r.total_cents for r in revenue)),
            guests=live_guests,
        ),
    )


# -- KPIs ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Figures:
    revenue_cents: int
    bookings: int
    average_cents: int
    conversion_rate: Decimal
    cancellation_rate: Decimal
    average_rating: Decimal | None
    new_customers: int
    repeat_rate: Decimal


async def _figures(db: AsyncSession, caller: Caller, period: Period) -> _Figures:
    station_id = caller.station_id
    totals = await _totals(db, station_id, period)
    start, end = period.bounds()
    created, converted = await repository.lead_conversion(db, station_id, start, end)
    reviews, stars = await repository.ratings(db, station_id, start, end)
    returning = await repository.returning_customers(db, station_id, period.start, period.end)
    active = await repository.active_customers(db, station_id, period.start, period.end)
    return _Figures(
        revenue_cents=totals.revenue_cents,
        bookings=totals.bookings,
        average_cents=totals.average_cents,
        conversion_rate=rate(converted, created),
        cancellation_rate=rate(totals.count("cancelled"), totals.bookings),
        average_rating=(Decimal(stars) / reviews).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if reviews
        else None,
        new_customers=await repository.new_customers(db, station_id, start, end),
        repeat_rate=rate(returning, active),
    )


def _kpi(current: int | Decimal | None, previous: int | Decimal | None, unit: str) -> Kpi:
    return Kpi(
        value=current,
        previous=previous,
        change_percent=change_percent(current, previous),
        trend=trend(current, previous),
        unit=unit,  # type: ignore[arg-type]
    )


async def kpis(db: AsyncSession, caller: Caller, period: Period) -> KpisOut:
    previous_period = previous_of(period)
    now = await _figures(db, caller, period)
    before = await _figures(db, caller, previous_period)

    def money_kpi(cur: int, prev: int) -> Kpi:
        kpi = _kpi(cur, prev, "usd")
        kpi.value, kpi.previous = cents_to_decimal(cur), cents_to_decimal(prev)
        return kpi

    return KpisOut(
        period=period_out(period),
        previous_period=period_out(previous_period),
        revenue=money_kpi(now.revenue_cents, before.revenue_cents),
        bookings=_kpi(now.bookings, before.bookings, "count"),
        average_booking_value=money_kpi(now.average_cents, before.average_cents),
        conversion_rate=_kpi(now.conversion_rate, before.conversion_rate, "percent"),
        cancellation_rate=_kpi(now.cancellation_rate, before.cancellation_rate, "percent"),
        average_rating=_kpi(now.average_rating, before.average_rating, "rating"),
        new_customers=_kpi(now.new_customers, before.new_customers, "count"),
        repeat_customer_rate=_kpi(now.repeat_rate, before.repeat_rate, "percent"),
    )
