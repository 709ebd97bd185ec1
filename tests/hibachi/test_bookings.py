"""Bookings through HTTP: every document's create form, the list, the status machine,
repricing, cancellation, availability, booked dates, roles and stations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.hibachi.helpers import Client, business_today, future_day, next_weekday

V1_PRICING = {
    "tax_rate": "0.10",
    "service_fee_rate": "0.20",
    "deposit_type": "percent",
    "deposit_value": "50",
    "minimum_order": "0",
}


async def test_create_with_the_newest_documents_body(client: Client) -> None:
    admin = await client.staff("admin")
    day = future_day()
    response = await client.post(
        "/api/v1/bookings",
        json={
            "date": day.isoformat(),
            "time": "18:00",
            "guests": 8,
            "menu": "adult",
            "location": "123 Main St, San Jose, CA",
            "customer_email": "customer@example.com",
            "customer_name": "John Doe",
            "customer_phone": "+1234567890",
        },
        headers=admin.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert (body["date"], body["time"], body["guests"]) == (day.isoformat(), "18:00", 8)
    assert (body["total_amount"], body["deposit_amount"]) == (800.0, 100.0)
    assert body["reference_number"] == f"BK-{business_today().year}-{body['id']:05d}"
    assert body["customer"] == {
        "id": body["customer_id"],
        "name": "John Doe",
        "email": "customer@example.com",
        "phone": "+1234567890",
    }
    assert body["message"] == "Booking created successfully"


async def test_create_with_the_v1_admin_body_prices_menu_items(client: Client) -> None:
    admin = await client.staff("admin")
    assert (
        await client.put("/api/v1/pricing", json=V1_PRICING, headers=admin.headers())
    ).status_code == 200
    items = (await client.get("/api/v1/menu-items", headers=admin.headers())).json()
    ids = {item["name"]: item["id"] for item in items}
    first = await client.book(admin)
    response = await client.post(
        "/api/v1/bookings",
        json={
            "customer_id": first["customer_id"],
            "event_date": future_day(40).isoformat(),
            "event_time": "18:00",
            "guest_count": 25,
            "event_type": "birthday",
            "location": "123 Main St, Los Angeles, CA 90001",
            "menu_items": [
                {"menu_item_id": ids["Hibachi Chicken"], "quantity": 15},
                {"menu_item_id": ids["Hibachi Steak"], "quantity": 10},
            ],
            "notes": "Customer requested outdoor setup",
            "status": "confirmed",
        },
        headers=admin.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["confirmed_at"] is not None
    assert [(i["name"], i["quantity"], i["price"]) for i in body["menu_items"]] == [
        ("Hibachi Chicken", 15, 25.0),
        ("Hibachi Steak", 10, 35.0),
    ]
    assert (body["subtotal"], body["tax"], body["service_fee"]) == (725.0, 72.5, 145.0)
    assert (body["total_amount"], body["deposit_amount"], body["balance_due"]) == (
        942.5,
        471.25,
        942.5,
    )
    assert body["payment_status"] == "unpaid"


async def test_create_with_the_crm_body_address_object_and_dish_names(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        "/api/bookings",
        json={
            "customer": {"name": "Jane Doe", "email": "jane@example.com", "phone": "+1987654321"},
            "event_date": future_day().isoformat(),
            "event_time": "19:00",
            "location": {
                "address": "456 Oak Ave",
                "city": "Sacramento",
                "state": "CA",
                "zip_code": "95825",
            },
            "guest_count": 6,
            "menu_items": ["Hibachi Steak", "Vegetables", "Chef's surprise"],
            "special_requests": "Birthday celebration",
        },
        headers=admin.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["location"] == "456 Oak Ave, Sacramento, CA 95825"
    assert body["location_details"] == {
        "address": "456 Oak Ave",
        "city": "Sacramento",
        "state": "CA",
        "zip_code": "95825",
    }
    assert (body["event_time"], body["slot"]) == ("19:00:00", "18:00")
    choices = [(i["name"], i["quantity"]) for i in body["menu_items"] if i["price"] is None]
    assert choices == [("Hibachi Steak", None), ("Vegetables", None), ("Chef's surprise", None)]
    assert body["total_amount"] == 600.0  # 6 guests on the default adult menu


async def test_a_slot_holds_one_party(client: Client) -> None:
    admin = await client.staff("admin")
    day = future_day().isoformat()
    await client.book(admin, date=day, time="18:00")
    response = await client.post(
        "/api/v1/bookings",
        json={
            "date": day,
            "time": "19:30",
            "guests": 10,
            "location": "Fremont, CA",
            "customer_email": "other@example.com",
        },
        headers=admin.headers(),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "slot_unavailable"
    assert body["details"] == {
        "date": day,
        "time": "18:00",
        "available_slots": ["12:00", "15:00", "21:00"],
    }


async def test_without_a_time_the_first_free_slot_is_taken(client: Client) -> None:
    admin = await client.staff("admin")
    day = future_day().isoformat()
    await client.book(admin, date=day, time="12:00")
    booking = await client.book(admin, date=day, time=None)
    assert booking["time"] == "15:00"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"date": "yesterday"}, "invalid_event_date", "event_date"),
        ({"date": "next monday"}, "closed_date", "event_date"),
        ({"time": "09:00"}, "outside_service_hours", "event_time"),
        ({"menu": "vegan-feast"}, "unknown_menu", "menu"),
        ({"guests": 501}, "guest_count_out_of_range", "guest_count"),
        (
            {"menu_items": [{"menu_item_id": 999999, "quantity": 1}]},
            "unknown_menu_item",
            "menu_items",
        ),
        ({"customer_email": None, "customer_phone": None}, "customer_required", "customer"),
    ],
)
async def test_create_refuses_what_cannot_be_booked(
    client: Client, overrides: dict[str, object], code: str, field: str
) -> None:
    admin = await client.staff("admin")
    payload: dict[str, object] = {
        "date": future_day().isoformat(),
        "time": "18:00",
        "guests": 8,
        "location": "San Jose, CA",
        "customer_email": "x@example.com",
        "customer_phone": "+14085550100",
    }
    payload.update(overrides)
    # dates are named, not computed at collection: "today" is the app's, at run time
    named_days = {"yesterday": business_today() - timedelta(days=1), "next monday": next_weekday(0)}
    if payload["date"] in named_days:
        payload["date"] = named_days[str(payload["date"])].isoformat()
    response = await client.post("/api/v1/bookings", json=payload, headers=admin.headers())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert field in body["details"]


@pytest.mark.parametrize(
    "payload",
    [
        {"date": "2030-02-30", "guests": 8, "location": "x"},
        {"date": "2030-01-10", "guests": 0, "location": "x"},
        {"date": "2030-01-10", "guests": 8, "location": "x", "time": "25:00"},
        {"date": "2030-01-10", "guests": 8, "location": "x", "unexpected": 1},
        {"date": "2030-01-10", "guests": 8, "location": {"city": "A", "zip": "abc"}},
    ],
)
async def test_malformed_bodies_answer_422_in_the_envelope(
    client: Client, payload: dict[str, object]
) -> None:
    admin = await client.staff("admin")
    response = await client.post("/api/v1/bookings", json=payload, headers=admin.headers())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["error"] == "Validation error"
    assert body["status_code"] == 422
    assert body["path"] == "/api/v1/bookings"
    assert body["details"]["validation_errors"]


async def test_list_filters_sorts_and_pages(client: Client) -> None:
    admin = await client.staff("admin")
    a = await client.book(admin, date=future_day(20).isoformat(), guests=10)
    b = await client.book(admin, date=future_day(30).isoformat(), guests=20)
    c = await client.book(admin, date=future_day(40).isoformat(), guests=30)
    await client.put(
        f"/api/v1/bookings/{b['id']}", json={"status": "confirmed"}, headers=admin.headers()
    )
    listing = await client.get(
        "/api/v1/bookings",
        params={"sort": "guest_count", "order": "asc", "page": 2, "limit": 1},
        headers=admin.headers(),
    )
    assert listing.status_code == 200
    body = listing.json()
    assert [i["id"] for i in body["items"]] == [b["id"]]
    assert body["data"] == body["items"]
    assert (body["total"], body["page"], body["limit"]) == (3, 2, 1)
    assert body["pagination"] == {
        "page": 2,
        "limit": 1,
        "total_items": 3,
        "total_pages": 3,
        "has_next": True,
        "has_prev": True,
        "total": 3,
        "pages": 3,
    }
    confirmed = await client.get(
        "/api/v1/bookings", params={"status": "CONFIRMED"}, headers=admin.headers()
    )
    assert [i["id"] for i in confirmed.json()["items"]] == [b["id"]]
    ranged = await client.get(
        "/api/v1/bookings",
        params={
            "event_date_from": future_day(25).isoformat(),
            "date_to": future_day(35).isoformat(),
        },
        headers=admin.headers(),
    )
    assert [i["id"] for i in ranged.json()["items"]] == [b["id"]]
    newest_first = await client.get("/api/v1/bookings", headers=admin.headers())
    assert [i["id"] for i in newest_first.json()["items"]] == [c["id"], b["id"], a["id"]]


async def test_list_refuses_an_unknown_status(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get(
        "/api/v1/bookings", params={"status": "lost"}, headers=admin.headers()
    )
    assert response.status_code == 422
    assert "status" in response.json()["details"]


async def test_get_by_id_and_by_reference_number(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    by_id = await client.get(f"/api/v1/bookings/{booking['id']}", headers=admin.headers())
    by_ref = await client.get(
        f"/api/v1/bookings/{booking['reference_number'].lower()}", headers=admin.headers()
    )
    assert (by_id.status_code, by_ref.status_code) == (200, 200)
    assert by_id.json()["id"] == by_ref.json()["id"] == booking["id"]


async def test_unknown_booking_is_404(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.get("/api/v1/bookings/424242", headers=admin.headers())
    assert response.status_code == 404
    assert response.json()["code"] == "booking_not_found"


async def test_status_machine(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    url = f"/api/v1/bookings/{booking['id']}"
    confirmed = await client.put(url, json={"status": "CONFIRMED"}, headers=admin.headers())
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["message"] == "Booking updated successfully"
    back = await client.put(url, json={"status": "pending"}, headers=admin.headers())
    assert back.status_code == 409
    assert back.json()["details"] == {
        "from": "confirmed",
        "to": "pending",
        "allowed": ["cancelled", "completed"],
    }
    early = await client.put(url, json={"status": "completed"}, headers=admin.headers())
    assert early.status_code == 409
    assert early.json()["code"] == "invalid_status_transition"


async def test_update_reprices_and_moves_the_slot(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin, guests=8)
    url = f"/api/v1/bookings/{booking['id']}"
    response = await client.put(
        url, json={"guests": 12, "time": "12:30", "menu": "premium"}, headers=admin.headers()
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["guest_count"], body["slot"], body["menu"]) == (12, "12:00", "premium")
    assert body["total_amount"] == 1560.0  # 12 x 130.00
    taken = await client.book(admin, date=booking["date"], time="18:00")
    assert taken["slot"] == "18:00"  # the old slot was freed by the move


async def test_update_into_a_taken_slot_is_409_and_changes_nothing(client: Client) -> None:
    admin = await client.staff("admin")
    day = future_day().isoformat()
    await client.book(admin, date=day, time="12:00")
    moving = await client.book(admin, date=day, time="18:00")
    response = await client.put(
        f"/api/v1/bookings/{moving['id']}", json={"time": "12:00"}, headers=admin.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    again = await client.get(f"/api/v1/bookings/{moving['id']}", headers=admin.headers())
    assert again.json()["slot"] == "18:00"


async def test_cancel_frees_the_slot_and_delete_is_idempotent(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    cancel = await client.post(
        f"/api/v1/bookings/{booking['id']}/cancel", json={"reason": "Rain"}, headers=admin.headers()
    )
    assert cancel.status_code == 200
    assert (cancel.json()["status"], cancel.json()["cancellation_reason"]) == ("cancelled", "Rain")
    rebooked = await client.book(admin, date=booking["date"], time=booking["time"])
    assert rebooked["status"] == "pending"
    first = await client.delete(f"/api/v1/bookings/{rebooked['id']}", headers=admin.headers())
    second = await client.delete(f"/api/v1/bookings/{rebooked['id']}", headers=admin.headers())
    assert (first.status_code, second.status_code) == (204, 204)
    gone = await client.get(f"/api/v1/bookings/{rebooked['id']}", headers=admin.headers())
    assert gone.json()["status"] == "cancelled"


async def test_a_cancelled_booking_cannot_be_edited(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    await client.delete(f"/api/v1/bookings/{booking['id']}", headers=admin.headers())
    response = await client.put(
        f"/api/v1/bookings/{booking['id']}", json={"guests": 20}, headers=admin.headers()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "booking_locked"


async def test_staff_cannot_delete_but_can_cancel(client: Client) -> None:
    staff = await client.staff("staff")
    booking = await client.book(staff)
    refused = await client.delete(f"/api/v1/bookings/{booking['id']}", headers=staff.headers())
    assert refused.status_code == 403
    assert refused.json()["details"]["required_permission"] == "bookings:delete"
    cancelled = await client.post(
        f"/api/v1/bookings/{booking['id']}/cancel", headers=staff.headers()
    )
    assert cancelled.status_code == 200


async def test_viewer_reads_but_cannot_book(client: Client) -> None:
    admin = await client.staff("admin")
    viewer = await client.staff("viewer")
    await client.book(admin)
    listing = await client.get("/api/v1/bookings", headers=viewer.headers())
    assert listing.status_code == 200
    assert listing.json()["total"] == 1
    refused = await client.post(
        "/api/v1/bookings",
        json={
            "date": future_day().isoformat(),
            "guests": 8,
            "location": "x",
            "customer_email": "a@example.com",
        },
        headers=viewer.headers(),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_permissions"


async def test_anonymous_gets_401(client: Client) -> None:
    response = await client.get("/api/v1/bookings")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


class TestCustomers:
    async def test_a_customer_books_for_themselves(self, client: Client) -> None:
        customer = await client.customer()
        response = await client.post(
            "/api/v1/bookings",
            json={
                "date": future_day().isoformat(),
                "time": "18:00",
                "guests": 10,
                "location": "Folsom, CA",
                "customer_email": "somebody-else@example.com",
            },
            headers=customer.headers(),
        )
        assert response.status_code == 201
        body = response.json()
        assert body["customer"]["email"] == customer.email
        assert body["source"] == "customer"

    async def test_a_customer_cannot_create_a_confirmed_booking(self, client: Client) -> None:
        customer = await client.customer()
        response = await client.post(
            "/api/v1/bookings",
            json={
                "date": future_day().isoformat(),
                "guests": 10,
                "location": "x",
                "status": "confirmed",
            },
            headers=customer.headers(),
        )
        assert response.status_code == 403

    async def test_a_customer_sees_only_their_own(self, client: Client) -> None:
        admin = await client.staff("admin")
        other = await client.book(admin)
        customer = await client.customer()
        mine = await client.book(customer, date=future_day(50).isoformat())
        listing = await client.get("/api/v1/bookings", headers=customer.headers())
        assert [i["id"] for i in listing.json()["items"]] == [mine["id"]]
        hidden = await client.get(f"/api/v1/bookings/{other['id']}", headers=customer.headers())
        assert hidden.status_code == 404

    async def test_a_customer_changes_a_pending_booking_but_not_a_confirmed_one(
        self, client: Client
    ) -> None:
        admin = await client.staff("admin")
        customer = await client.customer()
        mine = await client.book(customer)
        url = f"/api/v1/bookings/{mine['id']}"
        changed = await client.put(url, json={"guests": 12}, headers=customer.headers())
        assert changed.status_code == 200
        assert changed.json()["guest_count"] == 12
        confirm = await client.put(url, json={"status": "confirmed"}, headers=customer.headers())
        assert confirm.status_code == 403
        await client.put(url, json={"status": "confirmed"}, headers=admin.headers())
        locked = await client.put(url, json={"guests": 14}, headers=customer.headers())
        assert locked.status_code == 409
        assert locked.json()["code"] == "booking_locked"


class TestStations:
    async def test_another_stations_staff_cannot_see_a_booking(self, client: Client) -> None:
        admin = await client.staff("admin")
        booking = await client.book(admin)
        other_station = await client.station()
        outsider = await client.staff("admin", station=other_station["id"])
        got = await client.get(f"/api/v1/bookings/{booking['id']}", headers=outsider.headers())
        assert got.status_code == 404
        listing = await client.get("/api/v1/bookings", headers=outsider.headers())
        assert listing.json()["total"] == 0
        changed = await client.put(
            f"/api/v1/bookings/{booking['id']}",
            json={"status": "confirmed"},
            headers=outsider.headers(),
        )
        assert changed.status_code == 404

    async def test_staff_cannot_switch_station_with_the_header(self, client: Client) -> None:
        admin = await client.staff("admin")
        other_station = await client.station()
        response = await client.get("/api/v1/bookings", headers=admin.headers(other_station["id"]))
        assert response.status_code == 404
        assert response.json()["code"] == "station_not_found"

    async def test_super_admin_chooses_the_station(self, client: Client) -> None:
        other_station = await client.station()
        outsider = await client.staff("admin", station=other_station["id"])
        theirs = await client.book(outsider)
        response = await client.get(
            "/api/v1/bookings", headers=client.root.headers(other_station["code"])
        )
        assert [i["id"] for i in response.json()["items"]] == [theirs["id"]]
        home = await client.get("/api/v1/bookings", headers=client.root.headers())
        assert home.json()["total"] == 0

    async def test_slots_are_per_station(self, client: Client) -> None:
        admin = await client.staff("admin")
        other_station = await client.station()
        outsider = await client.staff("admin", station=other_station["id"])
        day = future_day().isoformat()
        mine = await client.book(admin, date=day, time="18:00")
        theirs = await client.book(outsider, date=day, time="18:00")
        assert mine["slot"] == theirs["slot"] == "18:00"


async def test_every_documented_prefix_answers(client: Client) -> None:
    admin = await client.staff("admin")
    booking = await client.book(admin)
    for prefix in ("/api/v1/bookings", "/api/bookings", "/api/app/bookings"):
        response = await client.get(f"{prefix}/{booking['id']}", headers=admin.headers())
        assert response.status_code == 200, prefix
        assert response.json()["id"] == booking["id"]


async def test_idempotency_key_replays_the_first_booking(client: Client) -> None:
    admin = await client.staff("admin")
    payload = {
        "date": future_day().isoformat(),
        "time": "18:00",
        "guests": 8,
        "location": "San Jose, CA",
        "customer_email": "retry@example.com",
    }
    headers = {**admin.headers(), "Idempotency-Key": "booking-retry-1"}
    first = await client.post("/api/v1/bookings", json=payload, headers=headers)
    second = await client.post("/api/v1/bookings", json=payload, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    changed = await client.post("/api/v1/bookings", json={**payload, "guests": 9}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency_key_reused"


class TestCalendar:
    async def test_availability_is_public_and_shows_taken_slots(self, client: Client) -> None:
        admin = await client.staff("admin")
        day = future_day().isoformat()
        await client.book(admin, date=day, time="18:00")
        response = await client.get("/api/v1/bookings/availability", params={"date": day})
        assert response.status_code == 200
        body = response.json()
        assert body["available_slots"] == ["12:00", "15:00", "21:00"]
        assert {"time": "18:00", "available": False} in body["slots"]
        assert (body["available"], body["is_closed"], body["reason"]) == (True, False, None)

    async def test_availability_on_a_closed_day(self, client: Client) -> None:
        response = await client.get(
            "/api/v1/bookings/availability", params={"date": next_weekday(0).isoformat()}
        )
        body = response.json()
        assert (body["available"], body["is_closed"]) == (False, True)
        assert body["available_slots"] == []
        assert body["reason"] == "We are closed on Mondays; please choose another date."

    async def test_availability_needs_a_date(self, client: Client) -> None:
        response = await client.get("/api/v1/bookings/availability")
        assert response.status_code == 422
        assert "date" in response.json()["details"]

    async def test_booked_dates_marks_full_days(self, client: Client) -> None:
        admin = await client.staff("admin")
        full, partial = future_day(20), future_day(30)
        for slot in ("12:00", "15:00", "18:00", "21:00"):
            await client.book(admin, date=full.isoformat(), time=slot)
        await client.book(admin, date=partial.isoformat(), time="18:00")
        response = await client.get("/api/v1/bookings/booked-dates", headers=admin.headers())
        assert response.status_code == 200
        body = response.json()
        assert body["booked_dates"] == [full.isoformat(), partial.isoformat()]
        assert body["fully_booked_dates"] == [full.isoformat()]
        assert body["bookings_by_date"] == {full.isoformat(): 4, partial.isoformat(): 1}
        assert body["from"] == business_today().isoformat()

    async def test_booked_dates_needs_a_signed_in_caller(self, client: Client) -> None:
        response = await client.get("/api/v1/bookings/booked-dates")
        assert response.status_code == 401
