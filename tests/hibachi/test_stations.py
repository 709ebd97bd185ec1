"""Super-admin station management."""

from __future__ import annotations

import pytest

from tests.hibachi.helpers import Client


async def test_create_opens_a_station_with_default_pricing(client: Client) -> None:
    response = await client.post(
        "/api/admin/stations",
        json={
            "name": "MyHibachi Fremont",
            "city": "Fremont",
            "state": "CA",
            "timezone": "America/Los_Angeles",
        },
        headers=client.root.headers(),
    )
    assert response.status_code == 201
    station = response.json()
    assert (station["code"], station["status"], station["user_count"]) == (
        "myhibachi-fremont",
        "active",
        0,
    )
    pricing = await client.get("/api/v1/pricing", headers={"X-Station-ID": station["code"]})
    assert pricing.status_code == 200
    assert pricing.json()["station_id"] == station["id"]
    assert [m["code"] for m in pricing.json()["menus"]] == ["adult", "kids", "premium"]


async def test_codes_are_made_unique(client: Client) -> None:
    first = await client.station("Bay Area")
    second = await client.station("Bay Area")
    assert (first["code"], second["code"]) == ("bay-area", "bay-area-2")


async def test_explicit_taken_code_is_409(client: Client) -> None:
    response = await client.post(
        "/api/admin/stations", json={"name": "Dup", "code": "main"}, headers=client.root.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "station_code_taken"


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "X", "timezone": "Mars/Olympus"},
        {"name": "X", "code": "Bad Code"},
        {"name": "X", "zip_code": "1"},
    ],
)
async def test_create_validation(client: Client, payload: dict[str, str]) -> None:
    response = await client.post("/api/admin/stations", json=payload, headers=client.root.headers())
    assert response.status_code == 422


async def test_list_counts_users_and_bookings(client: Client) -> None:
    admin = await client.staff("admin")
    await client.book(admin)
    await client.station("Second")
    response = await client.get("/api/admin/stations", headers=client.root.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    main = next(s for s in body["items"] if s["code"] == "main")
    assert (main["user_count"], main["booking_count"]) == (2, 1)  # root and the admin


async def test_only_a_super_admin_manages_stations(client: Client) -> None:
    admin = await client.staff("admin")
    for method, path in [
        ("GET", "/api/admin/stations"),
        ("POST", "/api/admin/stations"),
        ("GET", "/api/admin/stations/1"),
    ]:
        response = await client.request(method, path, json={"name": "X"}, headers=admin.headers())
        assert response.status_code == 403, path
        assert response.json()["details"]["required_permission"] == "stations:manage"


async def test_update_and_soft_delete(client: Client) -> None:
    station = await client.station("Temporary")
    url = f"/api/v1/admin/stations/{station['id']}"
    updated = await client.put(
        url, json={"name": "Renamed", "status": "suspended"}, headers=client.root.headers()
    )
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["status"]) == ("Renamed", "suspended")
    deleted = await client.delete(url, headers=client.root.headers())
    assert deleted.status_code == 204
    gone = await client.get(url, headers=client.root.headers())
    assert gone.status_code == 404
    listed = await client.get(
        "/api/admin/stations", params={"status": "deleted"}, headers=client.root.headers()
    )
    assert [s["id"] for s in listed.json()["items"]] == [station["id"]]


async def test_the_default_station_cannot_be_deleted(client: Client) -> None:
    main = (await client.get("/api/admin/stations", headers=client.root.headers())).json()["items"][
        0
    ]
    response = await client.delete(
        f"/api/admin/stations/{main['id']}", headers=client.root.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "default_station"


async def test_staff_of_a_suspended_station_are_refused(client: Client) -> None:
    station = await client.station("Paused")
    admin = await client.staff("admin", station=station["id"])
    await client.put(
        f"/api/admin/stations/{station['id']}",
        json={"status": "suspended"},
        headers=client.root.headers(),
    )
    response = await client.get("/api/v1/bookings", headers=admin.headers())
    assert response.status_code == 403
    assert response.json()["code"] == "station_inactive"


async def test_super_admin_must_name_an_existing_station(client: Client) -> None:
    response = await client.get("/api/v1/bookings", headers=client.root.headers("nowhere"))
    assert response.status_code == 404
    assert response.json()["code"] == "station_not_found"
