"""API keys for integrations: scoped permissions, revocation, stations."""

from __future__ import annotations

from tests.hibachi.helpers import Client


async def _key(client: Client, headers: dict[str, str], permissions: list[str]) -> object:
    return await client.post(
        "/api/admin/api-keys",
        json={"name": "Integration", "permissions": permissions},
        headers=headers,
    )


async def test_a_key_acts_with_its_permissions_only(client: Client) -> None:
    admin = await client.staff("admin")
    await client.book(admin)
    created = await _key(client, admin.headers(), ["bookings:read"])
    assert created.status_code == 201  # type: ignore[attr-defined]
    body = created.json()  # type: ignore[attr-defined]
    assert body["key"].startswith("mh_") and len(body["key"]) > 32
    assert body["prefix"] == body["key"][:12]
    key = {"X-API-Key": body["key"]}
    listing = await client.get("/api/v1/bookings", headers=key)
    assert (listing.status_code, listing.json()["total"]) == (200, 1)
    create = await client.post(
        "/api/v1/bookings",
        json={
            "date": "2030-01-10",
            "guests": 8,
            "location": "x",
            "customer_email": "a@example.com",
        },
        headers=key,
    )
    assert create.status_code == 403


async def test_listing_never_shows_the_secret(client: Client) -> None:
    admin = await client.staff("admin")
    await _key(client, admin.headers(), ["bookings:read"])
    listing = await client.get("/api/admin/api-keys", headers=admin.headers())
    item = listing.json()["items"][0]
    assert "key" not in item
    assert (item["is_active"], item["permissions"]) == (True, ["bookings:read"])


async def test_a_revoked_key_is_refused(client: Client) -> None:
    admin = await client.staff("admin")
    body = (await _key(client, admin.headers(), ["bookings:read"])).json()  # type: ignore[attr-defined]
    revoke = await client.delete(f"/api/admin/api-keys/{body['id']}", headers=admin.headers())
    again = await client.delete(f"/api/admin/api-keys/{body['id']}", headers=admin.headers())
    assert (revoke.status_code, again.status_code) == (204, 204)
    response = await client.get("/api/v1/bookings", headers={"X-API-Key": body["key"]})
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_revoked"


async def test_an_unknown_key_is_401(client: Client) -> None:
    response = await client.get("/api/v1/bookings", headers={"X-API-Key": "mh_" + "x" * 40})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_api_key"


async def test_unknown_permissions_are_422(client: Client) -> None:
    admin = await client.staff("admin")
    response = await _key(client, admin.headers(), ["bookings:read", "rockets:launch"])
    assert response.status_code == 422  # type: ignore[attr-defined]


async def test_only_admins_manage_keys(client: Client) -> None:
    manager = await client.staff("manager")
    response = await _key(client, manager.headers(), ["bookings:read"])
    assert response.status_code == 403  # type: ignore[attr-defined]


async def test_a_key_stays_in_its_station(client: Client) -> None:
    admin = await client.staff("admin")
    station = await client.station()
    body = (await _key(client, admin.headers(), ["bookings:read"])).json()  # type: ignore[attr-defined]
    response = await client.get(
        "/api/v1/bookings", headers={"X-API-Key": body["key"], "X-Station-ID": str(station["id"])}
    )
    assert response.status_code == 404
    outsider = await client.staff("admin", station=station["id"])
    revoke = await client.delete(f"/api/admin/api-keys/{body['id']}", headers=outsider.headers())
    assert revoke.status_code == 404
