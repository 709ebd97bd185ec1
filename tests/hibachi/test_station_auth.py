"""Station registration, approval, station login and the current station."""

from __future__ import annotations

from tests.hibachi.helpers import PASSWORD, ROOT_EMAIL, ROOT_PASSWORD, Client


async def _register(client: Client, code: str = "sacramento") -> dict[str, object]:
    response = await client.post(
        "/api/station/auth/register",
        json={
            "station_name": "MyHibachi Sacramento",
            "station_code": code,
            "city": "Sacramento",
            "state": "CA",
            "email": f"owner@{code}.example.com",
            "password": PASSWORD,
            "full_name": "Owner",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_registration_creates_a_pending_station_and_its_admin(client: Client) -> None:
    body = await _register(client)
    assert body["station"]["status"] == "pending"  # type: ignore[index]
    assert body["user"]["role"] == "admin"  # type: ignore[index]
    assert body["message"] == "Station registered. A super admin will review and activate it."


async def test_a_pending_station_cannot_sign_in_until_approved(client: Client) -> None:
    body = await _register(client)
    login = {
        "email": "owner@sacramento.example.com",
        "password": PASSWORD,
        "station_code": "sacramento",
    }
    refused = await client.post("/api/station/auth/login", json=login)
    assert refused.status_code == 403
    assert refused.json()["code"] == "station_inactive"
    approve = await client.put(
        f"/api/admin/stations/{body['station']['id']}",  # type: ignore[index]
        json={"status": "active"},
        headers=client.root.headers(),
    )
    assert approve.status_code == 200
    accepted = await client.post("/api/station/auth/login", json=login)
    assert accepted.status_code == 200
    assert accepted.json()["station"]["code"] == "sacramento"


async def test_registration_with_a_taken_code_or_email_is_409(client: Client) -> None:
    await _register(client, "fremont")
    again = await client.post(
        "/api/station/auth/register",
        json={
            "station_name": "X",
            "station_code": "fremont",
            "email": "other@example.com",
            "password": PASSWORD,
        },
    )
    assert again.status_code == 409
    assert again.json()["code"] == "station_code_taken"


async def test_staff_cannot_sign_in_to_another_station(client: Client) -> None:
    other = await client.station(code="folsom")
    staff = await client.staff("staff")
    response = await client.post(
        "/api/station/auth/login",
        json={"email": staff.email, "password": PASSWORD, "station_code": other["code"]},
    )
    assert response.status_code == 401


async def test_a_super_admin_signs_in_to_a_station_and_acts_in_it(client: Client) -> None:
    other = await client.station(code="roseville")
    there = await client.staff("admin", station=other["id"])
    booking = await client.book(there)
    login = await client.post(
        "/api/station/auth/login",
        json={"email": ROOT_EMAIL, "password": ROOT_PASSWORD, "station_id": other["id"]},
    )
    assert login.status_code == 200
    token = login.json()["access_token"]
    listing = await client.get("/api/v1/bookings", headers={"Authorization": f"Bearer {token}"})
    assert [b["id"] for b in listing.json()["items"]] == [booking["id"]]
    me = await client.get("/api/station/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["station"]["code"] == "roseville"
    assert me.json()["permissions"] == ["*"]


async def test_station_me_shows_the_role_and_permissions(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.get("/api/v1/station/auth/me", headers=staff.headers())
    assert response.status_code == 200
    body = response.json()
    assert (body["station"]["code"], body["role"], body["user"]["id"]) == (
        "main",
        "staff",
        staff.user_id,
    )
    assert "bookings:write" in body["permissions"]
    assert "users:manage" not in body["permissions"]


async def test_station_me_needs_authentication(client: Client) -> None:
    response = await client.get("/api/station/auth/me")
    assert response.status_code == 401
