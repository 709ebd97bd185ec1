"""The public booking request form and its validation rules (2025-10-25 document)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.hibachi.helpers import Client, business_today, future_day, next_weekday


def _form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name": "Jane Smith",
        "phone": "555-987-6543",
        "email": "jane@example.com",
        "event_date": future_day().isoformat(),
        "event_time": "18:00",
        "guest_count": 25,
        "event_type": "birthday",
        "location": "Los Angeles, CA",
        "message": "Outdoor birthday party",
        "source": "booking_form",
        "honeypot": "",
    }
    form.update(overrides)
    return form


async def test_a_request_becomes_a_pending_booking(client: Client) -> None:
    response = await client.post("/api/v1/public/bookings", json=_form())
    assert response.status_code == 201
    body = response.json()
    assert (body["success"], body["status"]) == (True, "pending")
    assert body["reference_number"] == f"BK-{business_today().year}-{body['booking_id']:05d}"
    assert (body["estimated_cost"], body["deposit_amount"]) == (2500.0, 100.0)
    assert body["message"] == "Booking request received. We'll confirm within 48 hours."
    assert body["next_steps"][-1] == "Confirm your booking with a $100.00 deposit"
    admin = await client.staff("admin")
    booking = (
        await client.get(f"/api/v1/bookings/{body['booking_id']}", headers=admin.headers())
    ).json()
    assert booking["customer"]["phone"] == "+15559876543"
    assert booking["special_requests"] == "Outdoor birthday party"
    assert booking["source"] == "booking_form"


async def test_the_same_path_without_v1_answers(client: Client) -> None:
    response = await client.post("/api/public/bookings", json=_form(event_time=None))
    assert response.status_code == 201
    assert response.json()["event_time"] == "12:00"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "J"}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"phone": "invalid"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"guest_count": 0}, "guest_count"),
        ({"guest_count": 501}, "guest_count"),
        ({"event_type": "rave"}, "event_type"),
        ({"event_time": "6pm"}, "event_time"),
        ({"honeypot": "http://spam.example"}, "honeypot"),
        ({"location": None}, "location"),
        ({"message": "x" * 1001}, "message"),
    ],
)
async def test_validation_rules(client: Client, overrides: dict[str, object], field: str) -> None:
    response = await client.post("/api/v1/public/bookings", json=_form(**overrides))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in body["details"]


@pytest.mark.parametrize(
    ("which", "code"),
    [("past", "invalid_event_date"), ("today", "invalid_event_date"), ("monday", "closed_date")],
)
async def test_the_date_must_be_future_and_not_a_monday(
    client: Client, which: str, code: str
) -> None:
    day = {
        "past": business_today() - timedelta(days=3),
        "today": business_today(),
        "monday": next_weekday(0),
    }[which]
    response = await client.post("/api/v1/public/bookings", json=_form(event_date=day.isoformat()))
    assert response.status_code == 422
    assert response.json()["code"] == code
    assert "event_date" in response.json()["details"]


async def test_a_taken_slot_is_409(client: Client) -> None:
    first = await client.post("/api/v1/public/bookings", json=_form())
    second = await client.post("/api/v1/public/bookings", json=_form(phone="408-555-0101"))
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["code"] == "slot_unavailable"


async def test_a_second_request_from_the_same_person_reuses_the_customer(client: Client) -> None:
    first = await client.post("/api/v1/public/bookings", json=_form())
    second = await client.post(
        "/api/v1/public/bookings", json=_form(event_date=future_day(60).isoformat())
    )
    admin = await client.staff("admin")
    a = (
        await client.get(f"/api/v1/bookings/{first.json()['booking_id']}", headers=admin.headers())
    ).json()
    b = (
        await client.get(f"/api/v1/bookings/{second.json()['booking_id']}", headers=admin.headers())
    ).json()
    assert a["customer_id"] == b["customer_id"]


async def test_a_request_goes_to_the_station_named_in_the_header(client: Client) -> None:
    station = await client.station()
    response = await client.post(
        "/api/v1/public/bookings", json=_form(), headers={"X-Station-ID": station["code"]}
    )
    assert response.status_code == 201
    outsider = await client.staff("admin", station=station["id"])
    listing = await client.get("/api/v1/bookings", headers=outsider.headers())
    assert [b["id"] for b in listing.json()["items"]] == [response.json()["booking_id"]]
    unknown = await client.post(
        "/api/v1/public/bookings", json=_form(), headers={"X-Station-ID": "nowhere"}
    )
    assert unknown.status_code == 404
