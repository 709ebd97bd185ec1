"""The admin area through HTTP: unhandled errors landing in the error log and being
resolved, the audit trail naming who created a booking, notification groups; roles
and stations."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from tests.hibachi.helpers import Actor, Client
from trident.apps.hibachi.admin.service import recipients_for
from trident.apps.hibachi.auth.auth import station_caller

Member = station_caller()


async def boom() -> None:
    raise RuntimeError("kaboom")


async def boom_in_station(caller: Member) -> None:  # type: ignore[valid-type]
    raise RuntimeError(f"kaboom in station {caller.station_id}")  # type: ignore[attr-defined]


def add_failing_routes(app: FastAPI) -> None:
    """Routes that crash, added once to the (shared) test app and kept out of its
    OpenAPI document, which other tests read."""
    if getattr(app.state, "failing_routes", False):
        return
    app.add_api_route("/boom", boom, include_in_schema=False)
    app.add_api_route("/boom-station", boom_in_station, include_in_schema=False)
    app.state.failing_routes = True


GROUP = {
    "name": "Managers",
    "description": "Who hears about bookings",
    "event_types": ["booking_created", "booking_cancelled"],
    "channels": ["email", "sms"],
    "emails": ["Ops@Example.com"],
    "phones": ["(408) 555-0199"],
}


async def create_group(client: Client, actor: Actor, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/admin/notification-groups", json={**GROUP, **fields}, headers=actor.headers()
    )
    assert response.status_code == 201, response.text
    return response.json()


# -- error logs ------------------------------------------------------------------------


async def test_an_unhandled_error_lands_in_the_error_log(client: Client, app: FastAPI) -> None:
    add_failing_routes(app)

    crashed = await client.get("/boom", headers={"User-Agent": "pytest-agent"})

    assert crashed.status_code == 500
    assert crashed.json()["code"] == "internal_error"
    assert crashed.json()["status_code"] == 500
    listed = await client.get(
        "/api/admin/error-logs", params={"path": "boom"}, headers=client.root.headers()
    )
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["path"] == "/boom"
    assert (item["method"], item["status_code"], item["level"]) == ("GET", 500, "error")
    assert (item["error_type"], item["message"]) == ("builtins.RuntimeError", "kaboom")
    assert (item["station_id"], item["resolved"]) == (None, False)
    assert item["request_id"] == crashed.json()["request_id"]
    assert item["user_agent"] == "pytest-agent"
    detail = await client.get(f"/api/admin/error-logs/{item['id']}", headers=client.root.headers())
    assert detail.status_code == 200
    assert 'raise RuntimeError("kaboom")' in detail.json()["traceback"]


async def test_station_staff_see_and_resolve_only_their_stations_errors(
    client: Client, app: FastAPI
) -> None:
    add_failing_routes(app)
    admin = await client.staff("admin")
    assert (await client.get("/boom")).status_code == 500
    assert (await client.get("/boom-station", headers=admin.headers())).status_code == 500

    listed = await client.get("/api/admin/error-logs", headers=admin.headers())

    assert listed.status_code == 200
    body = listed.json()
    assert body["total"] == 1  # the station-less error is the super admin's
    [item] = body["items"]
    assert (item["path"], item["station_id"]) == ("/boom-station", admin.station_id)
    assert item["user_id"] == admin.user_id
    everything = await client.get("/api/admin/error-logs", headers=client.root.headers())
    assert everything.json()["total"] == 2

    resolved = await client.post(
        f"/api/admin/error-logs/{item['id']}/resolve",
        json={"resolution_notes": "Fixed in 1.2.3"},
        headers=admin.headers(),
    )
    assert resolved.status_code == 200
    assert resolved.json()["resolved"] is True
    assert resolved.json()["resolved_by_id"] == admin.user_id
    assert resolved.json()["resolution_notes"] == "Fixed in 1.2.3"
    assert resolved.json()["resolved_at"] is not None
    again = await client.post(
        f"/api/admin/error-logs/{item['id']}/resolve", headers=admin.headers()
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_resolved"
    open_only = await client.get(
        "/api/admin/error-logs", params={"resolved": "false"}, headers=admin.headers()
    )
    assert open_only.json()["total"] == 0

    deleted = await client.delete(f"/api/admin/error-logs/{item['id']}", headers=admin.headers())
    assert deleted.status_code == 204
    gone = await client.get(f"/api/admin/error-logs/{item['id']}", headers=admin.headers())
    assert gone.status_code == 404
    assert gone.json()["code"] == "error_log_not_found"


async def test_another_stations_admin_cannot_reach_an_error_log(
    client: Client, app: FastAPI
) -> None:
    add_failing_routes(app)
    admin = await client.staff("admin")
    await client.get("/boom-station", headers=admin.headers())
    [item] = (await client.get("/api/admin/error-logs", headers=admin.headers())).json()["items"]
    station = await client.station()
    other = await client.staff("admin", station=station["id"])

    listed = await client.get("/api/admin/error-logs", headers=other.headers())
    assert listed.status_code == 200
    assert listed.json()["total"] == 0
    url = f"/api/admin/error-logs/{item['id']}"
    for response in (
        await client.get(url, headers=other.headers()),
        await client.post(f"{url}/resolve", headers=other.headers()),
        await client.delete(url, headers=other.headers()),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "error_log_not_found"


async def test_error_logs_need_errors_manage(client: Client) -> None:
    manager = await client.staff("manager")
    response = await client.get("/api/admin/error-logs", headers=manager.headers())
    assert response.status_code == 403
    assert response.json()["details"]["required_permission"] == "errors:manage"


async def test_error_log_filters_are_validated(client: Client) -> None:
    response = await client.get(
        "/api/admin/error-logs",
        params={"date_from": "2025-10-31", "date_to": "2025-10-01"},
        headers=client.root.headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_period"


# -- audit log -------------------------------------------------------------------------


async def test_the_audit_log_shows_who_created_a_booking(client: Client) -> None:
    admin = await client.staff("admin")
    await client.book(admin)

    listed = await client.get(
        "/api/admin/audit-logs",
        params={"method": "post", "path": "/api/v1/bookings"},
        headers=admin.headers(),
    )

    assert listed.status_code == 200
    [entry] = listed.json()["items"]
    assert (entry["actor_type"], entry["actor_id"]) == ("user", admin.user_id)
    assert entry["actor_email"] == admin.email
    assert (entry["method"], entry["path"]) == ("POST", "/api/v1/bookings")
    assert entry["action"] == "POST /api/v1/bookings"
    assert entry["ip_address"] == "127.0.0.1"
    assert (entry["station_id"], entry["tenant_id"]) == (admin.station_id, admin.station_id)
    assert entry["request_id"] and entry["changes"]["created"]
    one = await client.get(f"/api/admin/audit-logs/{entry['id']}", headers=admin.headers())
    assert one.status_code == 200
    assert one.json() == entry
    by_actor = await client.get(
        "/api/admin/audit-logs", params={"actor_id": admin.user_id}, headers=admin.headers()
    )
    # newest first: the booking, then the admin's login
    actions = [(e["actor_id"], e["action"]) for e in by_actor.json()["items"]]
    assert actions == [
        (admin.user_id, "POST /api/v1/bookings"),
        (admin.user_id, "POST /api/auth/login"),
    ]


async def test_the_audit_entry_lists_the_booking_created(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    listed = await client.get(
        "/api/admin/audit-logs", params={"path": "/api/v1/bookings"}, headers=admin.headers()
    )
    [entry] = listed.json()["items"]
    assert f"bookings:{booking['id']}" in entry["changes"]["created"]


async def test_another_station_cannot_read_this_stations_audit_log(client: Client) -> None:
    admin = await client.staff("admin")
    await client.book(admin)
    [entry] = (
        await client.get(
            "/api/admin/audit-logs",
            params={"method": "POST", "path": "/api/v1/bookings"},
            headers=admin.headers(),
        )
    ).json()["items"]
    station = await client.station()
    other = await client.staff("admin", station=station["id"])

    one = await client.get(f"/api/admin/audit-logs/{entry['id']}", headers=other.headers())
    assert one.status_code == 404
    assert one.json()["code"] == "audit_log_not_found"
    theirs = await client.get(
        "/api/admin/audit-logs", params={"path": "/api/v1/bookings"}, headers=other.headers()
    )
    assert theirs.json()["total"] == 0
    everywhere = await client.get(
        "/api/admin/audit-logs", params={"all_stations": "true"}, headers=other.headers()
    )
    assert everywhere.status_code == 403
    platform = await client.get(
        "/api/admin/audit-logs",
        params={"all_stations": "true", "path": "/api/v1/bookings"},
        headers=client.root.headers(),
    )
    assert [e["id"] for e in platform.json()["items"]] == [entry["id"]]


async def test_the_audit_log_needs_audit_read(client: Client) -> None:
    viewer = await client.staff("viewer")
    response = await client.get("/api/admin/audit-logs", headers=viewer.headers())
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_permissions"


# -- notification groups ---------------------------------------------------------------


async def test_notification_group_crud(client: Client) -> None:
    admin = await client.staff("admin")

    created = await create_group(client, admin, user_ids=[admin.user_id])

    assert created["name"] == "Managers"
    assert created["station_id"] == admin.station_id
    assert created["event_types"] == ["booking_created", "booking_cancelled"]
    assert created["channels"] == ["email", "sms"]
    assert created["emails"] == ["ops@example.com"]
    assert created["phones"] == ["+14085550199"]
    assert (created["user_ids"], created["is_active"]) == ([admin.user_id], True)
    url = f"/api/admin/notification-groups/{created['id']}"
    assert (await client.get(url, headers=admin.headers())).json() == created
    listed = await client.get("/api/v1/admin/notification-groups", headers=admin.headers())
    assert [g["id"] for g in listed.json()["items"]] == [created["id"]]

    updated = await client.put(
        url,
        json={"channels": ["sms"], "is_active": False, "description": None},
        headers=admin.headers(),
    )
    assert updated.status_code == 200
    body = updated.json()
    assert (body["channels"], body["is_active"], body["description"]) == (["sms"], False, None)
    assert body["name"] == "Managers" and body["emails"] == ["ops@example.com"]
    active = await client.get(
        "/api/admin/notification-groups", params={"is_active": "true"}, headers=admin.headers()
    )
    assert active.json()["total"] == 0

    deleted = await client.delete(url, headers=admin.headers())
    assert deleted.status_code == 204
    gone = await client.get(url, headers=admin.headers())
    assert gone.status_code == 404
    assert gone.json()["code"] == "notification_group_not_found"


async def test_notification_group_names_are_unique_in_a_station(client: Client) -> None:
    admin = await client.staff("admin")
    first = await create_group(client, admin)
    second = await create_group(client, admin, name="Owners")

    duplicate = await client.post(
        "/api/admin/notification-groups",
        json={**GROUP, "name": "managers"},
        headers=admin.headers(),
    )
    renamed = await client.put(
        f"/api/admin/notification-groups/{second['id']}",
        json={"name": "Managers"},
        headers=admin.headers(),
    )

    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "notification_group_exists"
    assert renamed.status_code == 409
    assert renamed.json()["code"] == "notification_group_exists"
    assert first["name"] == "Managers"


async def test_notification_group_validation(client: Client) -> None:
    admin = await client.staff("admin")
    station = await client.station()
    outsider = await client.staff("staff", station=station["id"])
    cases = [
        ({"event_types": ["booking_exploded"]}, "event_types.0"),
        ({"channels": []}, "channels"),
        ({"channels": ["fax"]}, "channels.0"),
        ({"phones": ["not a phone"]}, "phones.0"),
        ({"emails": ["nobody"]}, "emails.0"),
        ({"name": "   "}, "name"),
        ({"surprise": True}, "surprise"),
    ]
    for fields, field in cases:
        response = await client.post(
            "/api/admin/notification-groups", json={**GROUP, **fields}, headers=admin.headers()
        )
        assert response.status_code == 422, fields
        assert field in response.json()["details"], (fields, response.json()["details"])

    foreign = await client.post(
        "/api/admin/notification-groups",
        json={**GROUP, "user_ids": [admin.user_id, outsider.user_id]},
        headers=admin.headers(),
    )
    assert foreign.status_code == 422
    assert foreign.json()["code"] == "unknown_users"
    assert str(outsider.user_id) in foreign.json()["details"]["user_ids"]

    group = await create_group(client, admin)
    null_name = await client.put(
        f"/api/admin/notification-groups/{group['id']}",
        json={"name": None},
        headers=admin.headers(),
    )
    assert null_name.status_code == 422
    assert "name" in null_name.json()["details"]


async def test_notification_groups_are_per_station_and_for_admins(client: Client) -> None:
    admin = await client.staff("admin")
    group = await create_group(client, admin)
    station = await client.station()
    other = await client.staff("admin", station=station["id"])
    manager = await client.staff("manager")
    url = f"/api/admin/notification-groups/{group['id']}"

    for response in (
        await client.get(url, headers=other.headers()),
        await client.put(url, json={"is_active": False}, headers=other.headers()),
        await client.delete(url, headers=other.headers()),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "notification_group_not_found"
    theirs = await client.get("/api/admin/notification-groups", headers=other.headers())
    assert theirs.json()["total"] == 0
    # the same name is free in another station
    assert (await create_group(client, other))["station_id"] == station["id"]
    forbidden = await client.get("/api/admin/notification-groups", headers=manager.headers())
    assert forbidden.status_code == 403


async def test_recipients_follow_the_groups_channels(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    await create_group(client, admin, user_ids=[admin.user_id], channels=["email"])
    await create_group(
        client, admin, name="Night shift", event_types=["booking_created"], channels=["sms"]
    )
    await create_group(client, admin, name="Off", is_active=False, emails=["off@example.com"])

    async with app.state.runtime.unit_of_work() as db:
        created = await recipients_for(db, admin.station_id, "booking_created")
        escalated = await recipients_for(db, admin.station_id, "review_escalated")

    assert created.emails == ["ops@example.com", admin.email]
    assert created.phones == ["+14085550199"]
    assert (escalated.emails, escalated.phones) == ([], [])
