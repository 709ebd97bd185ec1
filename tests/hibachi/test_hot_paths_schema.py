"""The hot reads skip re-validating their bodies in production; here each one's JSON
is validated against its published schema, and the hot list's lean encoding is
compared with the validated model of the same booking."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from tests.hibachi.helpers import Client, business_today, future_day
from tests.published_schema import schema_errors


async def test_the_booking_list_matches_its_schema_and_the_single_booking(
    client: Client, app: FastAPI
) -> None:
    admin = await client.staff("admin")
    made = await client.book(admin, notes="Gate code 4411", special_requests="No nuts")
    response = await client.get(
        "/api/v1/bookings", params={"status": "pending,confirmed"}, headers=admin.headers()
    )
    assert response.status_code == 200
    assert schema_errors(app, response) == []
    listed = response.json()["items"]
    single = await client.get(f"/api/v1/bookings/{made['id']}", headers=admin.headers())
    assert single.status_code == 200
    assert [item for item in listed if item["id"] == made["id"]] == [single.json()]


async def test_the_booking_list_encodes_money_and_instants_as_the_model_does(
    client: Client,
) -> None:
    admin = await client.staff("admin")
    made = await client.book(admin)
    listed = (await client.get("/api/v1/bookings", headers=admin.headers())).json()["items"]
    (item,) = [item for item in listed if item["id"] == made["id"]]
    assert isinstance(item["total_amount"], float) and item["total_amount"] == made["total_amount"]
    assert item["created_at"].endswith("Z") and item["created_at"] == made["created_at"]
    assert item["event_date"] == made["event_date"]


async def test_availability_matches_its_schema(client: Client, app: FastAPI) -> None:
    response = await client.get(
        "/api/v1/bookings/availability", params={"date": future_day().isoformat()}
    )
    assert response.status_code == 200
    assert schema_errors(app, response) == []


async def test_the_customer_list_matches_its_schema(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    await client.book(admin)
    response = await client.get("/api/v1/customers", headers=admin.headers())
    assert (response.status_code, response.json()["total"] >= 1) == (200, True)
    assert schema_errors(app, response) == []


async def test_the_dashboard_matches_its_schema(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    await client.book(admin)
    today = business_today()
    response = await client.get(
        "/api/v1/admin/analytics",
        params={"date_from": (today - timedelta(days=365)).isoformat(), "date_to": str(today)},
        headers=admin.headers(),
    )
    assert response.status_code == 200
    assert schema_errors(app, response) == []
