"""Edge values of every date and date-time a client can send: the calendar's ends,
offsets that cross them, reversed ranges and lax spellings.  Each answers 200 with the
right rows or 422 in the envelope, never 500 (issue 12: each case below once did)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.hibachi.helpers import Actor, Client, business_today, future_day

EDGE_DAYS = ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31"]


@pytest.mark.parametrize("prefix", ["/api", "/api/v1"])
@pytest.mark.parametrize("day", EDGE_DAYS)
async def test_lead_filters_at_the_ends_of_the_calendar(
    client: Client, prefix: str, day: str
) -> None:
    admin = await client.staff("admin")
    for params in ({"date_to": day}, {"date_from": day}):
        response = await client.get(f"{prefix}/leads", params=params, headers=admin.headers())
        assert response.status_code == 200, (params, response.text)
        assert response.json()["items"] == []


@pytest.mark.parametrize("day", EDGE_DAYS)
async def test_booked_dates_from_the_ends_of_the_calendar(client: Client, day: str) -> None:
    admin = await client.staff("admin")
    response = await client.get(
        "/api/v1/bookings/booked-dates", params={"from": day}, headers=admin.headers()
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["from"] == day
    assert body["booked_dates"] == []


async def test_booked_dates_refuse_a_reversed_range(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get(
        "/api/v1/bookings/booked-dates",
        params={"from": "2026-05-10", "to": "2026-05-01"},
        headers=admin.headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_period"
    assert response.json()["details"] == {"to": "must not be before from"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/reviews/admin/analytics",
        "/api/leads",
        "/api/analytics/bookings",
    ],
)
async def test_a_reversed_range_is_one_422_everywhere(client: Client, path: str) -> None:
    admin = await client.staff("admin")
    response = await client.get(
        path, params={"date_from": "2026-02-01", "date_to": "2026-01-01"}, headers=admin.headers()
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_period"
    assert response.json()["details"] == {"date_to": "must not be before date_from"}


@pytest.mark.parametrize("day", EDGE_DAYS)
async def test_review_analytics_at_the_ends_of_the_calendar(client: Client, day: str) -> None:
    admin = await client.staff("admin")
    response = await client.get(
        "/api/reviews/admin/analytics", params={"date_to": day}, headers=admin.headers()
    )
    assert response.status_code == 200, response.text
    assert response.json()["total_reviews"] == 0


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
async def test_qr_analytics_at_the_ends_of_the_calendar(client: Client, day: str) -> None:
    admin = await client.staff("admin")
    created = await client.post(
        "/api/qr/campaigns",
        json={"name": "Flyer", "target_url": "https://myhibachi.example/menu"},
        headers=admin.headers(),
    )
    assert created.status_code == 201, created.text
    response = await client.get(
        f"/api/qr/campaigns/{created.json()['id']}/analytics",
        params={"date_to": day},
        headers=admin.headers(),
    )
    assert response.status_code == 200, response.text
    assert response.json()["total_scans"] == 0


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/qr/campaigns",
            {
                "name": "Edge",
                "target_url": "https://myhibachi.example/menu",
                "expires_at": "9999-12-31T23:59:59-12:00",
            },
            "expires_at",
        ),
        (
            "/api/newsletter/campaigns",
            {
                "name": "Edge",
                "subject": "Edge",
                "content": "Hello",
                "scheduled_at": "0001-01-01T00:00:00+14:00",
            },
            "scheduled_at",
        ),
    ],
)
async def test_an_instant_beyond_the_calendar_in_utc_is_a_422(
    client: Client, path: str, body: dict[str, str], field: str
) -> None:
    admin = await client.staff("admin")
    response = await client.post(path, json=body, headers=admin.headers())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["details"]


@pytest.mark.parametrize("lax", ["0", "1e9", "20260101", "2026-1-1", "2026-02-30"])
async def test_dates_are_parsed_strictly(client: Client, lax: str) -> None:
    admin = await client.staff("admin")
    response = await client.get("/api/leads", params={"date_from": lax}, headers=admin.headers())
    assert response.status_code == 422
    assert "date_from" in response.json()["details"]


async def _book_on(client: Client, actor: Actor, day: date, email: str) -> httpx.Response:
    """Staff book ``day`` for a new customer with the newest document's body."""
    return await client.post(
        "/api/v1/bookings",
        json={
            "date": day.isoformat(),
            "time": "18:00",
            "guests": 8,
            "location": "123 Main St, San Jose, CA",
            "customer_email": email,
            "customer_name": "Far Future",
        },
        headers=actor.headers(),
    )


async def test_a_booking_more_than_five_years_ahead_is_refused(client: Client) -> None:
    admin = await client.staff("admin")
    far = business_today() + timedelta(days=5 * 365 + 2)
    while far.weekday() == 0:
        far += timedelta(days=1)
    response = await _book_on(client, admin, far, "far@example.com")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_event_date"


async def test_a_signed_token_naming_an_impossible_user_is_a_401(client: Client, app) -> None:
    codec = app.state.runtime.tokens.codec
    token, _ = codec.encode(10**30, "access", timedelta(minutes=5), sid="x")
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


class TestAConfiguredHorizon:
    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"booking_horizon_days": 30}

    async def test_a_date_past_it_is_refused_and_shown_unavailable(self, client: Client) -> None:
        admin = await client.staff("admin")
        past_horizon = future_day(40)
        response = await _book_on(client, admin, past_horizon, "soon@example.com")
        assert (response.status_code, response.json()["code"]) == (422, "invalid_event_date")
        latest = (business_today() + timedelta(days=30)).isoformat()
        assert response.json()["details"]["event_date"] == f"must be on or before {latest}"
        shown = await client.get(
            "/api/v1/bookings/availability", params={"date": past_horizon.isoformat()}
        )
        assert shown.status_code == 200
        assert (shown.json()["available"], shown.json()["available_slots"]) == (False, [])
        assert latest in shown.json()["reason"]
