"""Analytics through HTTP: the dashboard with known bookings, the revenue, customer
and booking reports, booking stats, KPIs, period validation, roles and stations;
plus the pure period and percentage arithmetic."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from tests.hibachi.helpers import Actor, Client
from trident.apps.hibachi.analytics.service import (
    Period,
    buckets,
    change_percent,
    rate,
    resolve_period,
    trend,
)
from trident.apps.hibachi.models import Booking
from trident.core.errors import Unprocessable

EMPTY_TYPES = {
    "birthday": 0,
    "wedding": 0,
    "corporate": 0,
    "anniversary": 0,
    "graduation": 0,
    "holiday": 0,
    "other": 0,
}


async def open_every_day(client: Client, admin: Actor) -> None:
    """No closed weekday, so any date of a test can be booked."""
    response = await client.put(
        "/api/v1/pricing", json={"closed_weekdays": []}, headers=admin.headers()
    )
    assert response.status_code == 200, response.text


async def set_status(client: Client, actor: Actor, booking: dict[str, Any], status: str) -> None:
    response = await client.put(
        f"/api/v1/bookings/{booking['id']}", json={"status": status}, headers=actor.headers()
    )
    assert response.status_code == 200, response.text


_phones = itertools.count(1000)


async def book(client: Client, actor: Actor, **overrides: Any) -> dict[str, Any]:
    """A booking for a new customer (the helper's fixed phone would find one customer)."""
    overrides.setdefault("customer_phone", f"+1408555{next(_phones):04d}")
    return await client.book(actor, **overrides)


def span(start: date, end: date) -> dict[str, str]:
    return {"date_from": start.isoformat(), "date_to": end.isoformat()}


# -- the dashboard ---------------------------------------------------------------------


async def test_dashboard_reports_known_bookings(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    start, end = today + timedelta(days=7), today + timedelta(days=13)
    c1, c2, c3 = (today + timedelta(days=n) for n in (8, 9, 10))
    a = await book(client, admin, date=c1.isoformat(), guests=8, event_type="birthday")
    b = await book(
        client, admin, date=c1.isoformat(), time="12:00", guests=10, event_type="corporate"
    )
    await book(client, admin, date=c2.isoformat(), guests=6, event_type="birthday")
    d = await book(client, admin, date=c3.isoformat(), guests=8, event_type="wedding")
    e = await book(client, admin, date=(today + timedelta(days=2)).isoformat(), guests=8)
    f = await book(client, admin, date=(today + timedelta(days=20)).isoformat(), guests=8)
    for booking in (a, b, e, f):
        await set_status(client, admin, booking, "confirmed")
    await set_status(client, admin, d, "cancelled")

    response = await client.get(
        "/api/admin/analytics/dashboard", params=span(start, end), headers=admin.headers()
    )

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": start.isoformat(), "to": end.isoformat()}
    # 800 + 1000 confirmed; the pending 600 and the cancelled 800 are no revenue;
    # the previous seven days had 800
    assert body["revenue"] == {"total": 1800.0, "change_percent": 125.0, "trend": "up"}
    assert body["bookings"] == {
        "total": 4,
        "confirmed": 2,
        "pending": 1,
        "cancelled": 1,
        "completed": 0,
        "change_percent": 300.0,
    }
    # every customer was created today, before the period; none had booked before it
    assert body["customers"] == {"new": 0, "returning": 0, "total_active": 4}
    assert body["charts"]["revenue_by_day"] == [
        {"date": (start + timedelta(days=i)).isoformat(), "amount": 1800.0 if i == 1 else 0.0}
        for i in range(7)
    ]
    assert body["charts"]["bookings_by_type"] == {
        **EMPTY_TYPES,
        "birthday": 2,
        "corporate": 1,
        "wedding": 1,
    }
    v1 = await client.get(
        "/api/v1/admin/analytics", params=span(start, end), headers=admin.headers()
    )
    assert v1.status_code == 200
    assert v1.json() == body


async def test_dashboard_counts_new_and_returning_customers(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    first = await book(client, admin, date=(today + timedelta(days=3)).isoformat())
    await book(
        client,
        admin,
        date=(today + timedelta(days=12)).isoformat(),
        customer_id=first["customer_id"],
    )
    await book(client, admin, date=(today + timedelta(days=13)).isoformat())

    later = await client.get(
        "/api/admin/analytics/dashboard",
        params={
            **span(today + timedelta(days=10), today + timedelta(days=14)),
            "metric": "customers",
        },
        headers=admin.headers(),
    )
    default = await client.get(
        "/api/admin/analytics/dashboard", params={"metric": "customers"}, headers=admin.headers()
    )

    assert later.status_code == 200
    assert later.json() == {
        "period": {
            "from": (today + timedelta(days=10)).isoformat(),
            "to": (today + timedelta(days=14)).isoformat(),
        },
        "customers": {"new": 0, "returning": 1, "total_active": 2},
    }
    assert default.status_code == 200
    # the default period is the last 30 days up to today: two customers created today
    assert default.json() == {
        "period": {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()},
        "customers": {"new": 2, "returning": 0, "total_active": 0},
    }


async def test_dashboard_metric_limits_the_sections(client: Client, today: date) -> None:
    viewer = await client.staff("viewer")
    response = await client.get(
        "/api/admin/analytics",
        params={**span(today, today + timedelta(days=1)), "metric": "revenue"},
        headers=viewer.headers(),
    )
    assert response.status_code == 200
    assert response.json() == {
        "period": {"from": today.isoformat(), "to": (today + timedelta(days=1)).isoformat()},
        "revenue": {"total": 0.0, "change_percent": None, "trend": None},
        "charts": {
            "revenue_by_day": [
                {"date": today.isoformat(), "amount": 0.0},
                {"date": (today + timedelta(days=1)).isoformat(), "amount": 0.0},
            ]
        },
    }
    unknown = await client.get(
        "/api/admin/analytics", params={"metric": "revenue,profit"}, headers=viewer.headers()
    )
    assert unknown.status_code == 422
    body = unknown.json()
    assert (body["code"], set(body["details"])) == (
        "validation_error",
        {"metric", "validation_errors"},
    )
    assert "revenue, bookings, customers" in body["details"]["metric"]


# -- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2025-10-31", "date_to": "2025-10-01"},
        {"start_date": "2023-01-01", "end_date": "2025-01-02"},
    ],
)
async def test_invalid_periods_are_422(client: Client, params: dict[str, str]) -> None:
    response = await client.get(
        "/api/admin/analytics/dashboard", params=params, headers=client.root.headers()
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_period"
    assert "date_to" in body["details"]


async def test_a_malformed_date_is_422(client: Client) -> None:
    response = await client.get(
        "/api/analytics/bookings", params={"start_date": "soon"}, headers=client.root.headers()
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_resolve_period_defaults_and_limits() -> None:
    today = date(2025, 10, 31)
    assert resolve_period(today, None, None) == Period(date(2025, 10, 2), today)
    assert resolve_period(today, date(2025, 10, 20), None) == Period(date(2025, 10, 20), today)
    assert resolve_period(today, date(2025, 12, 1), None) == Period(
        date(2025, 12, 1), date(2025, 12, 30)
    )
    assert resolve_period(today, None, date(2025, 6, 30)) == Period(
        date(2025, 6, 1), date(2025, 6, 30)
    )
    assert resolve_period(today, date(2024, 1, 1), date(2025, 12, 31)).days == 731
    with pytest.raises(Unprocessable):
        resolve_period(today, date(2024, 1, 1), date(2026, 1, 1))
    assert Period(date(2025, 10, 1), date(2025, 10, 31)).previous() == Period(
        date(2025, 8, 31), date(2025, 9, 30)
    )


def test_change_trend_and_rate() -> None:
    assert change_percent(45000, 38961) == Decimal("15.5")
    assert change_percent(5, 0) is None
    assert change_percent(0, 4) == Decimal("-100.0")
    assert (trend(2, 1), trend(1, 2), trend(1, 1), trend(None, 1)) == ("up", "down", "flat", None)
    assert trend(5, 0) is None  # no previous value: no change_percent, so no trend
    assert rate(1, 3) == Decimal("33.3")
    assert rate(0, 0) == Decimal("0.0")


def test_buckets_clip_weeks_and_months_to_the_period() -> None:
    period = Period(date(2025, 10, 29), date(2025, 11, 4))  # Wednesday to Tuesday
    assert buckets(period, "week") == [
        (date(2025, 10, 27), date(2025, 10, 29), date(2025, 11, 2)),
        (date(2025, 11, 3), date(2025, 11, 3), date(2025, 11, 4)),
    ]
    assert buckets(period, "month") == [
        (date(2025, 10, 1), date(2025, 10, 29), date(2025, 10, 31)),
        (date(2025, 11, 1), date(2025, 11, 1), date(2025, 11, 4)),
    ]
    assert len(buckets(period, "day")) == 7


# -- the reports -----------------------------------------------------------------------


async def test_crm_booking_report_shape(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    day1, day2 = today + timedelta(days=4), today + timedelta(days=5)
    sac = {"address": "1 Capitol Mall", "city": "Sacramento", "state": "CA"}
    a = await book(client, admin, date=day1.isoformat(), location=sac, guests=10)
    b = await book(client, admin, date=day2.isoformat(), location=sac, time="12:00", guests=6)
    await book(client, admin, date=day2.isoformat(), location="Folsom Lake", guests=8)
    c = await book(client, admin, date=day1.isoformat(), time="12:00", guests=8)
    await set_status(client, admin, a, "confirmed")
    await set_status(client, admin, b, "confirmed")
    await set_status(client, admin, c, "cancelled")

    response = await client.get(
        "/api/analytics/bookings",
        params={"start_date": day1.isoformat(), "end_date": day2.isoformat()},
        headers=admin.headers(),
    )

    assert response.status_code == 200
    body = response.json()
    assert (
        body["total_bookings"],
        body["confirmed_bookings"],
        body["pending_bookings"],
        body["cancelled_bookings"],
    ) == (4, 2, 1, 1)
    assert (body["total_revenue"], body["average_booking_value"]) == (1600.0, 800.0)
    assert body["popular_times"] == ["18:00", "12:00"]
    assert body["time_slots"] == [{"time": "18:00", "count": 2}, {"time": "12:00", "count": 1}]
    assert body["top_locations"] == [
        {"city": "Sacramento", "count": 2},
        {"city": "Folsom Lake", "count": 1},
    ]
    assert body["by_status"] == {"pending": 1, "confirmed": 2, "completed": 0, "cancelled": 1}
    assert body["by_event_type"] == {**EMPTY_TYPES, "other": 4}
    assert body["average_guests"] == 8.0  # (10 + 6 + 8) / 3, the cancelled one left out
    assert body["cancellation_rate"] == 25.0
    assert body["by_period"] == [
        {
            "period": day1.isoformat(),
            "start": day1.isoformat(),
            "end": day1.isoformat(),
            "bookings": 2,
            "cancelled": 1,
            "guests": 10,
            "revenue": 1000.0,
        },
        {
            "period": day2.isoformat(),
            "start": day2.isoformat(),
            "end": day2.isoformat(),
            "bookings": 2,
            "cancelled": 0,
            "guests": 14,
            "revenue": 600.0,
        },
    ]
    admin_path = await client.get(
        "/api/admin/analytics/bookings",
        params={"date_from": day1.isoformat(), "date_to": day2.isoformat()},
        headers=admin.headers(),
    )
    assert admin_path.json() == body


async def test_revenue_report_groups_and_deposits(
    client: Client, app: FastAPI, today: date
) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    a = await book(client, admin, date=(today + timedelta(days=3)).isoformat(), guests=8)
    b = await book(client, admin, date=(today + timedelta(days=4)).isoformat(), guests=10)
    await book(client, admin, date=(today + timedelta(days=5)).isoformat(), guests=6)
    await set_status(client, admin, a, "confirmed")
    await set_status(client, admin, b, "confirmed")
    async with app.state.runtime.unit_of_work() as db:
        await db.execute(
            update(Booking).where(Booking.id == a["id"]).values(amount_paid_cents=10_000)
        )

    start, end = today, today + timedelta(days=40)
    response = await client.get(
        "/api/analytics/revenue",
        params={"start_date": start.isoformat(), "end_date": end.isoformat(), "group_by": "month"},
        headers=admin.headers(),
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["total_revenue"], body["previous_total"]) == (1800.0, 1800.0, 0.0)
    assert (body["change_percent"], body["trend"], body["bookings"]) == (None, None, 2)
    assert body["average_booking_value"] == 900.0
    assert body["deposits"] == {"collected": 100.0, "outstanding": 1700.0, "collected_percent": 5.6}
    assert body["group_by"] == "month"
    assert sum(bucket["revenue"] for bucket in body["by_period"]) == 1800.0
    assert body["by_period"][0]["period"] == start.replace(day=1).isoformat()
    assert body["by_period"][0]["start"] == start.isoformat()
    assert body["by_period"][-1]["end"] == end.isoformat()
    assert body["previous_period"] == {
        "from": (start - timedelta(days=41)).isoformat(),
        "to": (start - timedelta(days=1)).isoformat(),
    }


async def test_customer_report_top_spenders_and_tiers(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    big = await book(client, admin, date=today.isoformat(), guests=25, customer_name="Big Spender")
    await set_status(client, admin, big, "confirmed")
    await set_status(client, admin, big, "completed")
    later = await book(
        client,
        admin,
        date=(today + timedelta(days=6)).isoformat(),
        guests=8,
        customer_id=big["customer_id"],
    )
    await set_status(client, admin, later, "confirmed")
    small = await book(client, admin, date=(today + timedelta(days=7)).isoformat(), guests=6)
    await set_status(client, admin, small, "confirmed")
    await book(client, admin, date=(today + timedelta(days=8)).isoformat(), guests=8)

    params = span(today + timedelta(days=1), today + timedelta(days=10))
    response = await client.get(
        "/api/admin/analytics/customers", params=params, headers=admin.headers()
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["new"], body["returning"], body["total_active"]) == (0, 1, 3)
    assert (body["active_in_period"], body["repeat_rate"]) == (3, 33.3)
    assert body["top_customers"] == [
        {"id": big["customer_id"], "name": "Big Spender", "total_spent": 800.0, "bookings": 1},
        {"id": small["customer_id"], "name": "John Doe", "total_spent": 600.0, "bookings": 1},
    ]
    # 2,500.00 completed: silver; the others have completed nothing
    assert body["loyalty_tiers"] == {"bronze": 2, "silver": 1, "gold": 0, "platinum": 0}
    for path in ("/api/admin/customer-analytics", "/api/analytics/customers"):
        other = await client.get(path, params=params, headers=admin.headers())
        assert other.status_code == 200
        assert other.json() == body


async def test_booking_stats(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    todays = await book(client, admin, date=today.isoformat(), guests=10)
    await set_status(client, admin, todays, "confirmed")
    soon = await book(client, admin, date=(today + timedelta(days=1)).isoformat(), guests=6)
    gone = await book(client, admin, date=(today + timedelta(days=2)).isoformat(), guests=8)
    await set_status(client, admin, gone, "cancelled")

    response = await client.get("/api/admin/bookings/stats", headers=admin.headers())

    assert response.status_code == 200
    body = response.json()
    month_end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    in_month = [d for d in (today, today + timedelta(days=1)) if d <= month_end]
    assert body["today_date"] == today.isoformat()
    assert body["by_status"] == {"pending": 1, "confirmed": 1, "completed": 0, "cancelled": 1}
    assert (body["total_bookings"], body["upcoming"], body["today"]) == (3, 2, 1)
    assert body["this_month"] == len(in_month)
    assert body["revenue_this_month"] == 1000.0
    assert body["average_guest_count"] == 8.0
    assert body["all_time"] == {"bookings": 3, "revenue": 1000.0, "guests": 16}
    assert soon["status"] == "pending"


async def test_kpis_compare_with_the_previous_period(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    before = await book(client, admin, date=(today + timedelta(days=2)).isoformat(), guests=8)
    await set_status(client, admin, before, "confirmed")
    now = await book(client, admin, date=(today + timedelta(days=12)).isoformat(), guests=10)
    await set_status(client, admin, now, "confirmed")
    gone = await book(client, admin, date=(today + timedelta(days=13)).isoformat(), guests=8)
    await set_status(client, admin, gone, "cancelled")

    response = await client.get(
        "/api/admin/kpis",
        params=span(today + timedelta(days=10), today + timedelta(days=19)),
        headers=admin.headers(),
    )

    assert response.status_code == 200
    body = response.json()
    assert body["previous_period"] == {
        "from": today.isoformat(),
        "to": (today + timedelta(days=9)).isoformat(),
    }
    assert body["revenue"] == {
        "value": 1000.0,
        "previous": 800.0,
        "change_percent": 25.0,
        "trend": "up",
        "unit": "usd",
    }
    assert body["bookings"] == {
        "value": 2,
        "previous": 1,
        "change_percent": 100.0,
        "trend": "up",
        "unit": "count",
    }
    assert body["cancellation_rate"]["value"] == 50.0
    assert body["cancellation_rate"]["previous"] == 0.0
    assert body["average_rating"] == {
        "value": None,
        "previous": None,
        "change_percent": None,
        "trend": None,
        "unit": "rating",
    }
    assert body["average_booking_value"]["value"] == 1000.0
    assert set(body) >= {"conversion_rate", "new_customers", "repeat_customer_rate"}


# -- roles and stations ----------------------------------------------------------------


async def test_staff_may_not_read_analytics(client: Client) -> None:
    staff = await client.staff("staff")
    for path in ("/api/admin/analytics/dashboard", "/api/analytics/bookings", "/api/admin/kpis"):
        response = await client.get(path, headers=staff.headers())
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_permissions"


async def test_viewer_and_manager_may_read_analytics(client: Client) -> None:
    for role in ("viewer", "manager"):
        actor = await client.staff(role)
        for path in ("/api/admin/analytics/revenue", "/api/admin/bookings/stats"):
            response = await client.get(path, headers=actor.headers())
            assert response.status_code == 200, (role, path)
            assert "by_period" in response.json() or "by_status" in response.json()


async def test_anonymous_is_401(client: Client) -> None:
    response = await client.get("/api/admin/kpis")
    assert response.status_code == 401


async def test_another_station_sees_only_its_own_figures(client: Client, today: date) -> None:
    admin = await client.staff("admin")
    await open_every_day(client, admin)
    booking = await book(client, admin, date=(today + timedelta(days=3)).isoformat(), guests=8)
    await set_status(client, admin, booking, "confirmed")
    station = await client.station()
    other = await client.staff("admin", station=station["id"])
    params = span(today, today + timedelta(days=6))

    mine = await client.get(
        "/api/admin/analytics/dashboard", params=params, headers=admin.headers()
    )
    theirs = await client.get(
        "/api/admin/analytics/dashboard", params=params, headers=other.headers()
    )

    assert mine.json()["revenue"]["total"] == 800.0
    assert theirs.status_code == 200
    body = theirs.json()
    assert body["revenue"] == {"total": 0.0, "change_percent": None, "trend": None}
    assert body["bookings"]["total"] == 0
    assert body["customers"] == {"new": 0, "returning": 0, "total_active": 0}
    stats = await client.get("/api/admin/bookings/stats", headers=other.headers())
    assert stats.json()["total_bookings"] == 0
