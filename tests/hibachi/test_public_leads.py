"""The public quote-request form: POST /api/v1/public/leads (2025-10-25 document)."""

from __future__ import annotations

from typing import Any

from tests.hibachi.helpers import Client

FORM = {
    "name": "John Doe",
    "phone": "555-123-4567",
    "email": "john@example.com",
    "message": "Interested in catering for 50 guests",
    "source": "website",
    "metadata": {"page": "homepage", "referrer": "google"},
    "honeypot": "",
}


async def submit(client: Client, **overrides: Any) -> Any:
    return await client.post("/api/v1/public/leads", json={**FORM, **overrides})


async def test_a_quote_request_creates_a_scored_lead_and_subscribes(client: Client) -> None:
    response = await submit(client)
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "success": True,
        "lead_id": body["lead_id"],
        "message": "Thank you! We'll contact you within 24 hours.",
        "newsletter_subscribed": True,
        "estimated_response_time": "24 hours",
    }
    viewer = await client.staff("viewer")
    lead = (await client.get(f"/api/leads/{body['lead_id']}", headers=viewer.headers())).json()
    assert (lead["name"], lead["phone"], lead["email"], lead["status"]) == (
        "John Doe",
        "+15551234567",
        "john@example.com",
        "new",
    )
    # website 20 + both contacts 5
    assert (lead["source"], lead["score"], lead["score_tier"]) == ("website", 25, "cold")
    assert lead["metadata"] == {"page": "homepage", "referrer": "google"}


async def test_the_same_phone_twice_is_still_accepted(client: Client) -> None:
    first = await submit(client, email=None)
    second = await submit(client, email=None, name="Johnny Doe", phone="(555) 123-4567")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["newsletter_subscribed"] is True
    assert second.json()["lead_id"] != first.json()["lead_id"]


async def test_validation_errors_name_each_field(client: Client) -> None:
    response = await client.post(
        "/api/v1/public/leads", json={"name": "", "phone": "invalid", "email": "not-an-email"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {k: body["details"][k] for k in ("name", "phone", "email")} == {
        "name": "Field is required and cannot be empty",
        "phone": "Invalid phone number format",
        "email": "Invalid email format",
    }


async def test_a_filled_honeypot_is_refused(client: Client) -> None:
    response = await submit(client, honeypot="http://spam.example")
    assert response.status_code == 422
    assert response.json()["details"]["honeypot"] == "must be empty"


async def test_phone_is_required_and_limits_hold(client: Client) -> None:
    response = await client.post(
        "/api/v1/public/leads",
        json={"name": "A", "message": "x" * 1001, "metadata": {"blob": "x" * 5000}},
    )
    assert response.status_code == 422
    details = response.json()["details"]
    assert set(details) >= {"phone", "name", "message", "metadata"}
    assert "4096" in details["metadata"]


async def test_a_lead_goes_to_the_station_the_header_names(client: Client) -> None:
    other = await client.station()
    response = await client.post(
        "/api/public/leads", json=FORM, headers={"X-Station-ID": other["code"]}
    )
    assert response.status_code == 201
    lead_id = response.json()["lead_id"]
    theirs = await client.staff("viewer", station=other["id"])
    ours = await client.staff("viewer")
    assert (await client.get(f"/api/leads/{lead_id}", headers=theirs.headers())).status_code == 200
    missing = await client.get(f"/api/leads/{lead_id}", headers=ours.headers())
    assert (missing.status_code, missing.json()["code"]) == (404, "lead_not_found")
