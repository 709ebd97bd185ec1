"""Customers through the API: the CRM's create/list/get/update, the v1 detail with
loyalty derived from completed bookings, search over encrypted contact details,
preferences, analytics, the self-service dashboard, and who may see what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import text, update

from tests.hibachi.helpers import Actor, Client, business_today, future_day
from trident.apps.hibachi.models import Booking

URL = "/api/v1/customers"


async def _create(client: Client, actor: Actor, **fields: Any) -> dict[str, Any]:
    body = {"name": "Alice Johnson", "email": "alice@example.com", **fields}
    response = await client.post(URL, json=body, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def _complete(app: FastAPI, booking_id: int, cents: int, days_ago: int) -> None:
    """Move a booking into the past as completed with this total (what loyalty counts)."""
    async with app.state.runtime.db.engine.begin() as conn:
        await conn.execute(
            update(Booking.__table__)
            .where(Booking.__table__.c.id == booking_id)
            .values(
                status="completed",
                total_cents=cents,
                event_date=business_today() - timedelta(days=days_ago),
            )
        )


async def _spender(
    client: Client, app: FastAPI, actor: Actor, email: str, cents: int, day: int
) -> int:
    """A customer with one completed booking of ``cents``; their id."""
    booking = await client.book(
        actor,
        customer_email=email,
        customer_name="Spender",
        customer_phone=f"+1408555{day:04d}",
        date=future_day(day).isoformat(),
    )
    await _complete(app, booking["id"], cents, days_ago=day)
    return booking["customer_id"]


# -- create, read, update -----------------------------------------------------------


async def test_create_customer_with_the_crm_body(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        URL,
        json={
            "name": "Alice Johnson",
            "email": "Alice@Example.com",
            "phone": "+1 (916) 555-1234",
            "address": {
                "street": "789 Pine St",
                "city": "Sacramento",
                "state": "CA",
                "zip_code": "95816",
            },
            "dietary_restrictions": ["vegetarian"],
            "notes": "Prefers early evening events",
            "preferences": {"preferred_contact": "email", "seating": "outdoor"},
        },
        headers=admin.headers(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["email"] == "alice@example.com"
    assert body["phone"] == "+19165551234"
    assert body["address"] == {
        "street": "789 Pine St",
        "city": "Sacramento",
        "state": "CA",
        "zip": "95816",
        "zip_code": "95816",
    }
    assert body["preferences"] == {
        "dietary_restrictions": ["vegetarian"],
        "preferred_contact": "email",
        "seating": "outdoor",
    }
    assert (body["loyalty_tier"], body["loyalty_points"], body["total_bookings"]) == (
        "bronze",
        0,
        0,
    )
    assert body["total_spent"] == 0 and body["notes"] == "Prefers early evening events"


async def test_create_with_a_taken_email_is_409(client: Client) -> None:
    admin = await client.staff("admin")
    first = await _create(client, admin)
    response = await client.post(
        URL, json={"name": "Other Alice", "email": "ALICE@example.com"}, headers=admin.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_exists"
    assert response.json()["details"]["customer_id"] == first["id"]


async def test_create_without_email_or_phone_is_422(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post(URL, json={"name": "Nobody"}, headers=admin.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "contact_required"


async def test_email_and_phone_are_stored_encrypted(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin, phone="916-555-1234")
    async with app.state.runtime.db.engine.connect() as conn:
        email, phone, email_hash = (
            await conn.execute(
                text("SELECT email, phone, email_hash FROM customers WHERE id = :id"),
                {"id": created["id"]},
            )
        ).one()
    assert email.startswith("enc1:") and phone.startswith("enc1:")
    assert "alice" not in email and "5551234" not in phone and "alice" not in email_hash


async def test_detail_has_the_v1_shape_with_derived_loyalty(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    customer_id = await _spender(client, app, admin, "jane@example.com", 450_000, day=20)
    await client.book(admin, customer_email="jane@example.com", date=future_day(40).isoformat())
    cancelled = await client.book(
        admin, customer_email="jane@example.com", date=future_day(50).isoformat()
    )
    await client.post(f"/api/v1/bookings/{cancelled['id']}/cancel", headers=admin.headers())
    response = await client.get(f"{URL}/{customer_id}", headers=admin.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["loyalty_tier"] == "silver" and body["loyalty_points"] == 450
    assert body["total_spent"] == 4500.0
    assert body["total_bookings"] == 2  # the cancelled one does not count
    assert body["upcoming_bookings"] == 1
    assert body["last_booking_date"] == (business_today() - timedelta(days=20)).isoformat()
    assert set(body) >= {"address", "preferences", "created_at", "updated_at", "notes"}


async def test_get_by_payment_provider_customer_id(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin, stripe_customer_id="cus_Abc123")
    response = await client.get(f"{URL}/cus_Abc123", headers=admin.headers())
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]


async def test_unknown_customer_is_404(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get(f"{URL}/999999", headers=admin.headers())
    assert response.status_code == 404
    assert response.json()["code"] == "customer_not_found"


async def test_update_changes_only_what_is_sent(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(
        client, admin, phone="916-555-1234", address={"street": "1 A St", "city": "Davis"}
    )
    response = await client.put(
        f"{URL}/{created['id']}",
        json={
            "phone": "+1555987654",
            "notes": "Updated contact information",
            "address": {"zip": "95616"},
        },
        headers=admin.headers(),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["phone"] == "+1555987654" and body["notes"] == "Updated contact information"
    assert body["address"]["street"] == "1 A St" and body["address"]["zip_code"] == "95616"
    assert body["email"] == "alice@example.com" and body["name"] == "Alice Johnson"


async def test_email_change_moves_the_blind_index(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    await client.put(
        f"{URL}/{created['id']}", json={"email": "alice.new@example.com"}, headers=admin.headers()
    )
    new = await client.get(URL, params={"search": "alice.new@example.com"}, headers=admin.headers())
    old = await client.get(URL, params={"search": "alice@example.com"}, headers=admin.headers())
    assert new.status_code == 200
    assert [c["id"] for c in new.json()["items"]] == [created["id"]]
    assert old.json()["items"] == []


async def test_update_to_a_taken_email_is_409(client: Client) -> None:
    admin = await client.staff("admin")
    await _create(client, admin)
    other = await _create(client, admin, name="Bob", email="bob@example.com")
    response = await client.put(
        f"{URL}/{other['id']}", json={"email": "alice@example.com"}, headers=admin.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_exists"


async def test_create_or_update_creates_then_updates(client: Client) -> None:
    admin = await client.staff("admin")
    first = await client.post(
        f"{URL}/create-or-update",
        json={
            "email": "sync@example.com",
            "name": "Sync Person",
            "stripe_customer_id": "cus_Sync1",
        },
        headers=admin.headers(),
    )
    assert first.status_code == 201
    assert first.json()["created"] is True
    second = await client.post(
        f"{URL}/create-or-update",
        json={"email": "SYNC@example.com", "phone": "408-555-0199"},
        headers=admin.headers(),
    )
    assert second.status_code == 200
    body = second.json()
    assert body["created"] is False and body["id"] == first.json()["id"]
    assert (body["name"], body["phone"], body["stripe_customer_id"]) == (
        "Sync Person",
        "+14085550199",
        "cus_Sync1",
    )


async def test_find_by_email(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    found = await client.get(
        f"{URL}/find-by-email", params={"email": "Alice@example.com"}, headers=admin.headers()
    )
    missing = await client.get(
        f"{URL}/find-by-email", params={"email": "nobody@example.com"}, headers=admin.headers()
    )
    assert found.status_code == 200 and found.json()["id"] == created["id"]
    assert missing.status_code == 404 and missing.json()["code"] == "customer_not_found"


# -- list: search and the loyalty filter ----------------------------------------------


async def test_list_has_the_v1_item_shape(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    customer_id = await _spender(client, app, admin, "jane@example.com", 450_000, day=20)
    response = await client.get(URL, headers=admin.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["pagination"]["total_items"] == 1 and body["data"] == body["items"]
    item = body["items"][0]
    assert item["id"] == customer_id
    assert (item["loyalty_tier"], item["loyalty_points"], item["total_bookings"]) == (
        "silver",
        450,
        1,
    )
    assert item["total_spent"] == 4500.0 and item["email"] == "jane@example.com"


async def test_search_by_exact_email_finds_the_encrypted_customer(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    await _create(client, admin, name="Bob Stone", email="bob@example.com")
    exact = await client.get(URL, params={"search": " ALICE@example.com "}, headers=admin.headers())
    partial = await client.get(URL, params={"search": "alice@exam"}, headers=admin.headers())
    assert exact.status_code == 200
    assert [c["id"] for c in exact.json()["items"]] == [created["id"]]
    assert partial.json()["items"] == []  # encrypted: whole values only


async def test_search_by_phone_in_any_format(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin, phone="+14085550123")
    await _create(client, admin, name="Bob Stone", email="bob@example.com", phone="4085550999")
    response = await client.get(URL, params={"search": "(408) 555-0123"}, headers=admin.headers())
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["items"]] == [created["id"]]


async def test_search_by_part_of_a_name_any_case(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    await _create(client, admin, name="Bob Stone", email="bob@example.com")
    response = await client.get(URL, params={"search": "JOHN"}, headers=admin.headers())
    assert [c["id"] for c in response.json()["items"]] == [created["id"]]


async def test_filter_by_loyalty_tier(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    new = await _create(client, admin, name="New Person", email="new@example.com")
    silver = await _spender(client, app, admin, "silver@example.com", 300_000, day=10)
    gold = await _spender(client, app, admin, "gold@example.com", 500_000, day=12)
    headers = admin.headers()
    by_tier = {
        tier: [
            c["id"]
            for c in (await client.get(URL, params={"loyalty_tier": tier}, headers=headers)).json()[
                "items"
            ]
        ]
        for tier in ("bronze", "silver", "gold", "platinum")
    }
    assert by_tier == {"bronze": [new["id"]], "silver": [silver], "gold": [gold], "platinum": []}


async def test_unknown_loyalty_tier_is_422(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get(URL, params={"loyalty_tier": "diamond"}, headers=admin.headers())
    assert response.status_code == 422
    assert "loyalty_tier" in response.json()["details"]


# -- preferences, analytics, dashboard -----------------------------------------------


async def test_preferences_merge_and_null_removes(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin, preferences={"seating": "outdoor", "spice": 2})
    response = await client.put(
        f"{URL}/{created['id']}/preferences",
        json={"dietary_restrictions": ["gluten-free"], "preferred_contact": "sms", "seating": None},
        headers=admin.headers(),
    )
    assert response.status_code == 200, response.text
    read = await client.get(f"{URL}/{created['id']}/preferences", headers=admin.headers())
    assert read.status_code == 200
    assert read.json() == {
        "customer_id": created["id"],
        "dietary_restrictions": ["gluten-free"],
        "preferred_contact": "sms",
        "spice": 2,
    }


async def test_preferences_refuse_nested_objects(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    response = await client.put(
        f"{URL}/{created['id']}/preferences", json={"deep": {"a": 1}}, headers=admin.headers()
    )
    assert response.status_code == 422


async def test_analytics_sums_bookings_in_sql(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    email = "fan@example.com"
    first = await client.book(
        admin, customer_email=email, event_type="birthday", date=future_day(5).isoformat()
    )
    second = await client.book(
        admin, customer_email=email, event_type="birthday", date=future_day(7).isoformat()
    )
    await client.book(
        admin, customer_email=email, event_type="wedding", date=future_day(9).isoformat()
    )
    await _complete(app, first["id"], 100_000, days_ago=40)
    await _complete(app, second["id"], 50_001, days_ago=5)
    response = await client.get(f"{URL}/{first['customer_id']}/analytics", headers=admin.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["bookings_by_status"] == {
        "pending": 1,
        "confirmed": 0,
        "completed": 2,
        "cancelled": 0,
    }
    assert body["total_spent"] == 1500.01 and body["average_booking_value"] == 750.01
    assert body["favorite_event_type"] == "birthday" and body["upcoming_bookings"] == 1
    assert body["first_booking_date"] == (business_today() - timedelta(days=40)).isoformat()
    months = {(m["month"], m["bookings"], m["total_spent"]) for m in body["spend_by_month"]}
    old, recent = business_today() - timedelta(days=40), business_today() - timedelta(days=5)
    if old.strftime("%Y-%m") == recent.strftime("%Y-%m"):
        assert months == {(old.strftime("%Y-%m"), 2, 1500.01)}
    else:
        assert months == {(old.strftime("%Y-%m"), 1, 1000.0), (recent.strftime("%Y-%m"), 1, 500.01)}
    assert body["loyalty"]["tier"] == "bronze" and body["loyalty"]["points"] == 150


async def test_dashboard_for_a_customer_is_their_own(client: Client) -> None:
    customer = await client.customer()
    response = await client.get(f"{URL}/dashboard", headers=customer.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["customer"]["email"] == customer.email
    assert body["counts"]["total"] == 0 and body["upcoming_bookings"] == []
    assert body["loyalty"]["tier"] == "bronze"


async def test_dashboard_lists_upcoming_bookings_for_staff(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin, customer_email="dash@example.com")
    response = await client.get(
        f"{URL}/dashboard",
        params={"customer_id": booking["customer_id"]},
        headers=admin.headers(),
    )
    assert response.status_code == 200
    body = response.json()
    assert [b["id"] for b in body["upcoming_bookings"]] == [booking["id"]]
    assert body["counts"]["upcoming"] == 1 and body["counts"]["pending"] == 1


async def test_dashboard_needs_a_customer_id_from_staff(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get(f"{URL}/dashboard", headers=admin.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "customer_id_required"


# -- who may see what ---------------------------------------------------------------


async def test_another_station_does_not_see_the_customers(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    station = await client.station()
    other = await client.staff("admin", station=station["id"])
    listed = await client.get(URL, headers=other.headers())
    got = await client.get(f"{URL}/{created['id']}", headers=other.headers())
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert got.status_code == 404 and got.json()["code"] == "customer_not_found"


async def test_staff_cannot_update_another_stations_customer(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    station = await client.station()
    other = await client.staff("staff", station=station["id"])
    response = await client.put(
        f"{URL}/{created['id']}", json={"name": "Hijacked"}, headers=other.headers()
    )
    assert response.status_code == 404


async def test_viewer_reads_but_does_not_write(client: Client) -> None:
    admin = await client.staff("admin")
    created = await _create(client, admin)
    viewer = await client.staff("viewer")
    listed = await client.get(URL, headers=viewer.headers())
    created_by_viewer = await client.post(
        URL, json={"name": "Nope", "email": "nope@example.com"}, headers=viewer.headers()
    )
    updated = await client.put(
        f"{URL}/{created['id']}", json={"name": "Nope"}, headers=viewer.headers()
    )
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
    assert created_by_viewer.status_code == 403 and updated.status_code == 403
    assert updated.json()["code"] == "insufficient_permissions"


async def test_customer_sees_only_their_own_record(client: Client) -> None:
    admin = await client.staff("admin")
    someone = await _create(client, admin, notes="VIP")
    customer = await client.customer()
    own_id = (await client.get(f"{URL}/dashboard", headers=customer.headers())).json()["customer"][
        "id"
    ]
    own = await client.get(f"{URL}/{own_id}", headers=customer.headers())
    other = await client.get(f"{URL}/{someone['id']}", headers=customer.headers())
    listed = await client.get(URL, headers=customer.headers())
    assert own.status_code == 200 and own.json()["email"] == customer.email
    assert other.status_code == 404
    assert listed.status_code == 403


async def test_customer_updates_own_profile_but_not_contact_or_notes(client: Client) -> None:
    customer = await client.customer()
    own_id = (await client.get(f"{URL}/dashboard", headers=customer.headers())).json()["customer"][
        "id"
    ]
    profile = await client.put(
        f"{URL}/{own_id}",
        json={"name": "Cus Tomer Jr", "address": {"city": "Davis"}},
        headers=customer.headers(),
    )
    refused = await client.put(
        f"{URL}/{own_id}",
        json={"email": "someone.else@example.com", "notes": "x"},
        headers=customer.headers(),
    )
    prefs = await client.put(
        f"{URL}/{own_id}/preferences",
        json={"preferred_contact": "phone"},
        headers=customer.headers(),
    )
    assert profile.status_code == 200 and profile.json()["address"]["city"] == "Davis"
    assert profile.json()["notes"] is None
    assert refused.status_code == 403
    assert refused.json()["details"]["fields"] == ["email", "notes"]
    assert prefs.status_code == 200 and prefs.json()["preferred_contact"] == "phone"


async def test_customer_cannot_open_another_customers_dashboard(client: Client) -> None:
    admin = await client.staff("admin")
    someone = await _create(client, admin)
    customer = await client.customer()
    response = await client.get(
        f"{URL}/dashboard", params={"customer_id": someone["id"]}, headers=customer.headers()
    )
    assert response.status_code == 404
