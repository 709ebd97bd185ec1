"""The waitlist through the API: the CRM document's add and convert bodies, queue
order, cancellation, conversion through the bookings service, and tenancy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.hibachi.helpers import Actor, Client, business_today, future_day

URL = "/api/waitlist"


async def _add(client: Client, actor: Actor, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "customer": {"name": "Bob Wilson", "email": "bob@example.com", "phone": "+1444555666"},
        "preferred_date": future_day(20).isoformat(),
        "preferred_time": "18:00",
        "guest_count": 4,
        "location": {"city": "Sacramento", "state": "CA"},
        **fields,
    }
    response = await client.post(URL, json=body, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def test_add_with_the_crm_body_creates_the_customer(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff, notes="Any evening works")
    assert entry["status"] == "waiting" and entry["position"] == 1
    assert entry["customer"]["email"] == "bob@example.com"
    assert entry["customer"]["phone"] == "+1444555666"
    assert (entry["preferred_time"], entry["guest_count"]) == ("18:00", 4)
    assert (entry["city"], entry["state"], entry["location"]) == (
        "Sacramento",
        "CA",
        "Sacramento, CA",
    )
    customers = await client.get(
        "/api/customers", params={"search": "bob@example.com"}, headers=staff.headers()
    )
    assert [c["id"] for c in customers.json()["items"]] == [entry["customer_id"]]


async def test_add_for_a_known_customer_id(client: Client) -> None:
    staff = await client.staff("staff")
    first = await _add(client, staff)
    second = await _add(
        client,
        staff,
        customer=None,
        customer_id=first["customer_id"],
        preferred_date=future_day(40).isoformat(),
        location="123 Main St, San Jose",
    )
    assert second["customer_id"] == first["customer_id"]
    assert second["location"] == "123 Main St, San Jose"


async def test_add_needs_a_customer(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post(
        URL,
        json={"preferred_date": future_day(20).isoformat(), "guest_count": 4},
        headers=staff.headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "customer_required"


async def test_add_for_a_past_date_is_422(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post(
        URL,
        json={
            "customer": {"name": "Bob Wilson", "email": "bob@example.com"},
            "preferred_date": (business_today() - timedelta(days=3)).isoformat(),
            "guest_count": 4,
        },
        headers=staff.headers(),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_preferred_date"


async def test_the_same_customer_waits_once_per_date(client: Client) -> None:
    staff = await client.staff("staff")
    first = await _add(client, staff)
    response = await client.post(
        URL,
        json={
            "customer_id": first["customer_id"],
            "preferred_date": first["preferred_date"],
            "guest_count": 6,
        },
        headers=staff.headers(),
    )
    assert response.status_code == 409
    assert response.json()["details"]["entry_id"] == first["id"]


async def test_list_in_queue_order_with_filters(client: Client) -> None:
    staff = await client.staff("staff")
    day = future_day(20).isoformat()
    first = await _add(client, staff)
    second = await _add(
        client, staff, customer={"name": "Carol King", "email": "carol@example.com"}
    )
    later = await _add(
        client,
        staff,
        customer={"name": "Dan Brown", "email": "dan@example.com"},
        preferred_date=future_day(40).isoformat(),
    )
    await client.delete(f"{URL}/{later['id']}", headers=staff.headers())
    waiting = await client.get(
        URL, params={"status": "waiting", "date_from": day, "date_to": day}, headers=staff.headers()
    )
    assert waiting.status_code == 200
    items = waiting.json()["items"]
    assert [(e["id"], e["position"]) for e in items] == [(first["id"], 1), (second["id"], 2)]
    assert items[1]["customer"]["name"] == "Carol King"
    cancelled = await client.get(URL, params={"status": "cancelled"}, headers=staff.headers())
    assert [e["id"] for e in cancelled.json()["items"]] == [later["id"]]


async def test_get_one_entry(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    response = await client.get(f"/api/v1/waitlist/{entry['id']}", headers=staff.headers())
    missing = await client.get(f"{URL}/999999", headers=staff.headers())
    assert response.status_code == 200 and response.json() == entry
    assert missing.status_code == 404
    assert missing.json()["code"] == "waitlist_entry_not_found"


async def test_delete_cancels_and_is_idempotent(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    first = await client.delete(f"{URL}/{entry['id']}", headers=staff.headers())
    again = await client.delete(f"{URL}/{entry['id']}", headers=staff.headers())
    got = await client.get(f"{URL}/{entry['id']}", headers=staff.headers())
    assert (first.status_code, again.status_code) == (204, 204)
    assert got.json()["status"] == "cancelled" and got.json()["position"] is None


async def test_convert_books_the_entry(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    response = await client.post(
        f"{URL}/{entry['id']}/convert",
        json={
            "event_time": "18:30",
            "location": {
                "address": "123 Main St",
                "city": "Sacramento",
                "state": "CA",
                "zip_code": "95814",
            },
            "menu": "adult",
        },
        headers=staff.headers(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    booking = body["booking"]
    assert body["entry"]["status"] == "converted"
    assert body["entry"]["booking_id"] == booking["id"]
    assert booking["customer_id"] == entry["customer_id"]
    assert (booking["event_date"], booking["time"], booking["guest_count"]) == (
        entry["preferred_date"],
        "18:30",
        4,
    )
    assert booking["location"] == "123 Main St, Sacramento, CA 95814"
    assert booking["source"] == "waitlist"


async def test_convert_into_a_taken_slot_is_409_and_keeps_the_entry(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    await client.book(staff, date=entry["preferred_date"], time="18:00")
    response = await client.post(
        f"{URL}/{entry['id']}/convert", json={"location": "1 A St"}, headers=staff.headers()
    )
    got = await client.get(f"{URL}/{entry['id']}", headers=staff.headers())
    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    assert got.json()["status"] == "waiting"


async def test_convert_twice_is_409(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    first = await client.post(f"{URL}/{entry['id']}/convert", headers=staff.headers())
    again = await client.post(f"{URL}/{entry['id']}/convert", headers=staff.headers())
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["code"] == "waitlist_entry_converted"


async def test_convert_a_cancelled_entry_is_409(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    await client.delete(f"{URL}/{entry['id']}", headers=staff.headers())
    response = await client.post(f"{URL}/{entry['id']}/convert", headers=staff.headers())
    assert response.status_code == 409
    assert response.json()["code"] == "waitlist_entry_cancelled"


async def test_converted_entry_cannot_be_cancelled(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    await client.post(f"{URL}/{entry['id']}/convert", headers=staff.headers())
    response = await client.delete(f"{URL}/{entry['id']}", headers=staff.headers())
    assert response.status_code == 409
    assert response.json()["code"] == "waitlist_entry_converted"


async def test_convert_without_any_location_is_422(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff, location=None)
    response = await client.post(f"{URL}/{entry['id']}/convert", headers=staff.headers())
    assert response.status_code == 422
    assert response.json()["code"] == "location_required"


async def test_another_station_does_not_see_the_waitlist(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    station = await client.station()
    other = await client.staff("admin", station=station["id"])
    listed = await client.get(URL, headers=other.headers())
    got = await client.get(f"{URL}/{entry['id']}", headers=other.headers())
    converted = await client.post(f"{URL}/{entry['id']}/convert", headers=other.headers())
    assert listed.status_code == 200 and listed.json()["items"] == []
    assert got.status_code == 404 and converted.status_code == 404


async def test_another_stations_customer_id_is_404(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    station = await client.station()
    other = await client.staff("admin", station=station["id"])
    response = await client.post(
        URL,
        json={
            "customer_id": entry["customer_id"],
            "preferred_date": entry["preferred_date"],
            "guest_count": 2,
        },
        headers=other.headers(),
    )
    assert response.status_code == 404
    assert response.json()["code"] == "customer_not_found"


async def test_viewer_reads_but_does_not_write(client: Client) -> None:
    staff = await client.staff("staff")
    entry = await _add(client, staff)
    viewer = await client.staff("viewer")
    listed = await client.get(URL, headers=viewer.headers())
    added = await client.post(
        URL,
        json={"customer_id": entry["customer_id"], "preferred_date": "2099-01-05", "guests": 2},
        headers=viewer.headers(),
    )
    deleted = await client.delete(f"{URL}/{entry['id']}", headers=viewer.headers())
    converted = await client.post(f"{URL}/{entry['id']}/convert", headers=viewer.headers())
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
    assert (added.status_code, deleted.status_code, converted.status_code) == (403, 403, 403)


async def test_customers_have_no_access(client: Client) -> None:
    customer = await client.customer()
    response = await client.get(URL, headers=customer.headers())
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_permissions"
