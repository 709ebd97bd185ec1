"""A station's users: who may create, change and delete whom."""

from __future__ import annotations

from tests.hibachi.helpers import PASSWORD, Client


async def _create(client: Client, actor_headers: dict[str, str], role: str, email: str) -> object:
    return await client.post(
        "/api/users",
        json={"email": email, "password": PASSWORD, "role": role, "full_name": "New Person"},
        headers=actor_headers,
    )


async def test_admin_creates_staff_with_a_capitalised_role(client: Client) -> None:
    admin = await client.staff("admin")
    response = await _create(client, admin.headers(), "STAFF", "chef@example.com")
    assert response.status_code == 201  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["role"], body["station"]["code"], body["is_active"]) == ("staff", "main", True)


async def test_nobody_grants_a_role_above_their_own(client: Client) -> None:
    admin = await client.staff("admin")
    response = await _create(client, admin.headers(), "super_admin", "boss@example.com")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "role_above_yours"  # type: ignore[attr-defined]


async def test_a_manager_cannot_manage_users(client: Client) -> None:
    manager = await client.staff("manager")
    response = await _create(client, manager.headers(), "staff", "x@example.com")
    assert response.status_code == 403  # type: ignore[attr-defined]
    listing = await client.get("/api/users", headers=manager.headers())
    assert listing.status_code == 200  # users:read


async def test_list_filters_by_role_and_active(client: Client) -> None:
    admin = await client.staff("admin")
    staff = await client.staff("staff")
    await client.put(
        f"/api/users/{staff.user_id}", json={"is_active": False}, headers=admin.headers()
    )
    response = await client.get(
        "/api/users", params={"role": "STAFF", "active": "false"}, headers=admin.headers()
    )
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["data"]] == [staff.user_id]
    assert response.json()["pagination"]["total"] == 1


async def test_get_update_and_delete(client: Client) -> None:
    admin = await client.staff("admin")
    staff = await client.staff("staff")
    url = f"/api/v1/users/{staff.user_id}"
    got = await client.get(url, headers=admin.headers())
    assert got.json()["email"] == staff.email
    promoted = await client.put(
        url, json={"role": "manager", "full_name": "Promoted"}, headers=admin.headers()
    )
    assert (promoted.json()["role"], promoted.json()["full_name"]) == ("manager", "Promoted")
    deleted = await client.delete(url, headers=admin.headers())
    assert deleted.status_code == 204
    assert (await client.get(url, headers=admin.headers())).status_code == 404


async def test_nobody_changes_their_own_role_or_deletes_themselves(client: Client) -> None:
    admin = await client.staff("admin")
    url = f"/api/users/{admin.user_id}"
    role = await client.put(url, json={"role": "staff"}, headers=admin.headers())
    delete = await client.delete(url, headers=admin.headers())
    off = await client.put(url, json={"is_active": False}, headers=admin.headers())
    assert [r.status_code for r in (role, delete, off)] == [409, 409, 409]
    assert [r.json()["code"] for r in (role, delete, off)] == [
        "own_role",
        "own_account",
        "own_account",
    ]


async def test_duplicate_email_is_409(client: Client) -> None:
    admin = await client.staff("admin")
    await _create(client, admin.headers(), "staff", "dup@example.com")
    response = await _create(client, admin.headers(), "staff", "DUP@example.com")
    assert response.status_code == 409  # type: ignore[attr-defined]


async def test_another_stations_users_are_invisible(client: Client) -> None:
    station = await client.station()
    outsider = await client.staff("admin", station=station["id"])
    staff = await client.staff("staff")
    got = await client.get(f"/api/users/{staff.user_id}", headers=outsider.headers())
    changed = await client.put(
        f"/api/users/{staff.user_id}", json={"role": "viewer"}, headers=outsider.headers()
    )
    listing = await client.get("/api/users", headers=outsider.headers())
    assert (got.status_code, changed.status_code) == (404, 404)
    assert [u["id"] for u in listing.json()["items"]] == [outsider.user_id]


async def test_only_a_super_admin_places_a_user_in_another_station(client: Client) -> None:
    station = await client.station()
    admin = await client.staff("admin")
    refused = await client.post(
        "/api/users",
        json={
            "email": "move@example.com",
            "password": PASSWORD,
            "role": "staff",
            "station_id": station["id"],
        },
        headers=admin.headers(),
    )
    assert refused.status_code == 403
    allowed = await client.post(
        "/api/users",
        json={
            "email": "move@example.com",
            "password": PASSWORD,
            "role": "staff",
            "station_id": station["id"],
        },
        headers=client.root.headers(),
    )
    assert allowed.status_code == 201
    assert allowed.json()["station_id"] == station["id"]


async def test_the_last_super_admin_stays_one(client: Client) -> None:
    other_admin = await client.post(
        "/api/users",
        json={"email": "root2@example.com", "password": PASSWORD, "role": "super_admin"},
        headers=client.root.headers(),
    )
    second = await client.sign_in("root2@example.com")
    demote = await client.put(
        f"/api/users/{client.root.user_id}", json={"role": "admin"}, headers=second.headers()
    )
    assert demote.status_code == 200
    again = await client.put(
        f"/api/users/{other_admin.json()['id']}", json={"role": "admin"}, headers=second.headers()
    )
    assert again.status_code == 409  # changing their own role
