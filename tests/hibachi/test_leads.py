"""Leads through HTTP: staff create, the list and its filters, one lead, updates,
events, the nurture plan, conversion, social threads, roles and stations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select, update

from tests.hibachi.helpers import Actor, Client, business_today, future_day
from trident.apps.hibachi.leads.service import rescore_by_date
from trident.apps.hibachi.models import Lead


async def new_lead(client: Client, actor: Actor, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": "Jane Smith",
        "email": "jane@example.com",
        "phone": "+14085550123",
        "source": "instagram",
    }
    payload.update(fields)
    response = await client.post("/api/leads", json=payload, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def test_staff_create_a_rich_lead_scored_and_assigned(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(
        client,
        staff,
        source="referral",
        guest_count=60,
        event_date=(business_today() + timedelta(days=7)).isoformat(),
        event_type="Corporate",
        location="San Jose, CA",
        budget=2500.5,
        assigned_to=staff.user_id,
        metadata={"campaign": "fall"},
    )
    assert (lead["status"], lead["source"], lead["event_type"]) == ("new", "referral", "corporate")
    # referral 25 + 60 guests 25 + in a week 25 + both contacts 5
    assert (lead["score"], lead["score_tier"]) == (80, "hot")
    assert (lead["budget"], lead["assigned_to"], lead["assigned_to_name"]) == (
        2500.5,
        staff.user_id,
        "Test User",
    )
    assert lead["metadata"] == {"campaign": "fall"}


async def test_the_assignee_must_be_staff_of_the_station(client: Client) -> None:
    other = await client.station()
    stranger = await client.staff("staff", station=other["id"])
    admin = await client.staff("admin")
    response = await client.post(
        "/api/leads",
        json={"name": "Jane Smith", "assigned_to": stranger.user_id},
        headers=admin.headers(),
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], set(body["details"])) == ("invalid_assignee", {"assigned_to"})


async def test_list_envelope_and_filters(client: Client) -> None:
    manager = await client.staff("manager")
    hot = await new_lead(
        client,
        manager,
        name="Alice Hot",
        email="alice@example.com",
        phone="+14085550001",
        source="referral",
        guest_count=60,
        event_date=(business_today() + timedelta(days=7)).isoformat(),
        assigned_to=manager.user_id,
    )
    cold = await new_lead(
        client, manager, name="Bob Cold", email=None, phone="+14085550002", source="instagram"
    )
    done = await new_lead(
        client, manager, name="Carol Lost", email="carol@example.com", status="lost"
    )
    headers = manager.headers()

    everything = await client.get("/api/leads", params={"limit": 2}, headers=headers)
    assert everything.status_code == 200
    body = everything.json()
    assert (body["total"], body["page"], body["limit"]) == (3, 1, 2)
    assert body["data"] == body["items"]
    assert [lead["id"] for lead in body["data"]] == [done["id"], cold["id"]]
    assert set(body["data"][0]) >= {
        "id", "name", "email", "phone", "status", "source", "score", "message", "guest_count",
        "event_date", "event_type", "assigned_to", "customer_id", "created_at", "updated_at",
        "last_contacted_at",
    }  # fmt: skip

    async def ids(**params: Any) -> list[int]:
        response = await client.get("/api/v1/leads", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [lead["id"] for lead in response.json()["data"]]

    today = business_today()
    assert await ids(status="new", source="instagram") == [cold["id"]]
    assert await ids(status="new,lost", sort="name", order="asc") == [
        hot["id"],
        cold["id"],
        done["id"],
    ]
    assert await ids(status="lost") == [done["id"]]
    assert await ids(min_score=50) == [hot["id"]]
    assert await ids(sort="score", order="asc") == [cold["id"], done["id"], hot["id"]]
    assert await ids(search="ALICE@") == [hot["id"]]
    assert await ids(search="(408) 555-0002") == [cold["id"]]
    assert await ids(assigned_to="me") == [hot["id"]]
    assert await ids(assigned_to=str(manager.user_id)) == [hot["id"]]
    assert len(await ids(assigned_to="unassigned")) == 2
    assert len(await ids(date_from=(today - timedelta(days=1)).isoformat())) == 3
    assert await ids(date_from=(today + timedelta(days=2)).isoformat()) == []
    assert await ids(date_to=(today - timedelta(days=2)).isoformat()) == []

    bad = await client.get("/api/leads", params={"status": "maybe"}, headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")
    assert "status" in bad.json()["details"]


async def test_another_station_sees_none_of_our_leads(client: Client) -> None:
    ours = await new_lead(client, await client.staff("staff"))
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    listed = await client.get("/api/leads", headers=theirs.headers())
    assert (listed.status_code, listed.json()["total"], listed.json()["data"]) == (200, 0, [])
    for method, path in (
        ("GET", f"/api/leads/{ours['id']}"),
        ("PUT", f"/api/leads/{ours['id']}"),
        ("GET", f"/api/leads/{ours['id']}/nurture-sequence"),
        ("POST", f"/api/leads/{ours['id']}/convert"),
    ):
        response = await client.request(
            method, path, json={} if method != "GET" else None, headers=theirs.headers()
        )
        assert (response.status_code, response.json()["code"]) == (404, "lead_not_found"), path


async def test_roles(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    viewer = await client.staff("viewer")
    assert (await client.get("/api/leads", headers=viewer.headers())).status_code == 200
    refused = await client.post("/api/leads", json={"name": "Nope"}, headers=viewer.headers())
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_permissions")
    no_delete = await client.delete(f"/api/leads/{lead['id']}", headers=staff.headers())
    assert (no_delete.status_code, no_delete.json()["details"]["required_permission"]) == (
        403,
        "leads:delete",
    )
    customer = await client.customer()
    assert (await client.get("/api/leads", headers=customer.headers())).status_code == 403
    assert (await client.get("/api/leads")).status_code == 401


async def test_manager_deletes_a_lead(client: Client) -> None:
    manager = await client.staff("manager")
    lead = await new_lead(client, manager)
    await client.post(
        f"/api/leads/{lead['id']}/events", json={"event_type": "note"}, headers=manager.headers()
    )
    response = await client.delete(f"/api/leads/{lead['id']}", headers=manager.headers())
    assert (response.status_code, response.content) == (204, b"")
    gone = await client.get(f"/api/leads/{lead['id']}", headers=manager.headers())
    assert gone.status_code == 404


async def test_update_records_status_changes_and_rescores(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    assert lead["score"] == 20  # instagram 15 + both contacts 5
    response = await client.put(
        f"/api/leads/{lead['id']}",
        json={"status": "qualified", "guests": 30, "message": "Wants a quote"},
        headers=staff.headers(),
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["guest_count"], body["score"], body["name"]) == (
        "qualified",
        30,
        40,
        "Jane Smith",
    )
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=staff.headers())).json()
    assert detail["event_count"] == 1
    event = detail["events"][0]
    assert (event["event_type"], event["data"], event["created_by"]) == (
        "status_change",
        {"from": "new", "to": "qualified"},
        staff.user_id,
    )
    assert detail["score_breakdown"] == {
        "source": 15,
        "guest_count": 20,
        "event_date": 0,
        "engagement": 5,
        "total": 40,
    }


async def test_update_refuses_converting_and_nulls(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    converting = await client.put(
        f"/api/leads/{lead['id']}", json={"status": "converted"}, headers=staff.headers()
    )
    assert (converting.status_code, converting.json()["code"]) == (422, "use_convert")
    nulled = await client.put(
        f"/api/leads/{lead['id']}", json={"name": None}, headers=staff.headers()
    )
    assert (nulled.status_code, set(nulled.json()["details"]) >= {"name"}) == (422, True)


async def test_reaching_out_marks_the_lead_contacted(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    response = await client.post(
        f"/api/leads/{lead['id']}/events",
        json={"event_type": "call", "description": "Left a voicemail", "data": {"minutes": 2}},
        headers=staff.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["event_type"], body["description"], body["data"]) == (
        "call",
        "Left a voicemail",
        {"minutes": 2},
    )
    assert (body["lead"]["status"], body["lead"]["score"]) == ("contacted", 25)
    assert body["lead"]["last_contacted_at"] is not None
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=staff.headers())).json()
    assert sorted(e["event_type"] for e in detail["events"]) == ["call", "status_change"]

    bad = await client.post(
        f"/api/leads/{lead['id']}/events", json={"event_type": "fax"}, headers=staff.headers()
    )
    assert (bad.status_code, set(bad.json()["details"]) >= {"event_type"}) == (422, True)


async def test_nurture_sequence_follows_the_lead(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    url = f"/api/leads/{lead['id']}/nurture-sequence"
    fresh = (await client.get(url, headers=staff.headers())).json()
    assert (fresh["tier"], fresh["active"], fresh["total_steps"]) == ("cold", True, 5)
    assert [s["state"] for s in fresh["steps"]] == ["due"] + ["upcoming"] * 4

    await client.post(
        f"/api/leads/{lead['id']}/events", json={"event_type": "email"}, headers=staff.headers()
    )
    emailed = (await client.get(url, headers=staff.headers())).json()
    assert [s["state"] for s in emailed["steps"]] == ["done"] + ["upcoming"] * 4
    assert (emailed["completed_steps"], emailed["next_step"]["template"]) == (1, "check_in_sms")

    await client.put(f"/api/leads/{lead['id']}", json={"status": "lost"}, headers=staff.headers())
    lost = (await client.get(url, headers=staff.headers())).json()
    assert [s["state"] for s in lost["steps"]] == ["done"] + ["skipped"] * 4
    assert (lost["active"], lost["next_step"]) == (False, None)


async def test_convert_without_a_booking(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    response = await client.post(
        f"/api/v1/leads/{lead['id']}/convert",
        json={"create_booking": False},
        headers=staff.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["booking_id"] is None
    assert body["message"] == "Lead converted to customer successfully"
    customer = await client.get(f"/api/customers/{body['customer_id']}", headers=staff.headers())
    assert customer.json()["email"] == "jane@example.com"
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=staff.headers())).json()
    assert (detail["status"], detail["customer_id"]) == ("converted", body["customer_id"])
    assert detail["converted_at"] is not None

    again = await client.post(f"/api/v1/leads/{lead['id']}/convert", headers=staff.headers())
    assert (again.status_code, again.json()["code"]) == (409, "lead_already_converted")


async def test_convert_with_a_booking(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff, location="123 Main St, San Jose, CA", guest_count=12)
    day = future_day(35)
    response = await client.post(
        f"/api/v1/leads/{lead['id']}/convert",
        json={
            "create_booking": True,
            "booking_data": {
                "event_date": day.isoformat(),
                "event_time": "18:00",
                "guest_count": 25,
            },
        },
        headers=staff.headers(),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["booking_id"] is not None
    assert body["reference_number"].startswith("BK-")
    booking = (
        await client.get(f"/api/v1/bookings/{body['booking_id']}", headers=staff.headers())
    ).json()
    assert (booking["customer_id"], booking["event_date"], booking["guest_count"]) == (
        body["customer_id"],
        day.isoformat(),
        25,
    )
    assert (booking["location"], booking["source"]) == ("123 Main St, San Jose, CA", "lead")


async def test_convert_into_a_taken_slot_changes_nothing(client: Client) -> None:
    staff = await client.staff("staff")
    day = future_day(40)
    await client.book(staff, date=day.isoformat(), time="18:00")
    lead = await new_lead(client, staff, location="1 Elm St, Fremont, CA", email="new@example.com")
    response = await client.post(
        f"/api/v1/leads/{lead['id']}/convert",
        json={
            "create_booking": True,
            "booking_data": {
                "event_date": day.isoformat(),
                "event_time": "18:00",
                "guest_count": 10,
            },
        },
        headers=staff.headers(),
    )
    assert (response.status_code, response.json()["code"]) == (409, "slot_unavailable")
    detail = (await client.get(f"/api/leads/{lead['id']}", headers=staff.headers())).json()
    assert (detail["status"], detail["customer_id"], detail["event_count"]) == ("new", None, 0)


async def test_convert_with_the_documents_exact_body_books_with_the_place_to_confirm(
    client: Client,
) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    day = future_day()
    response = await client.post(
        f"/api/v1/leads/{lead['id']}/convert",
        json={
            "create_booking": True,
            "booking_data": {
                "event_date": day.isoformat(),
                "guest_count": 25,
                "event_type": "corporate",
            },
        },
        headers=staff.headers(),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["message"] == "Lead converted to customer successfully"
    booking = (
        await client.get(f"/api/v1/bookings/{body['booking_id']}", headers=staff.headers())
    ).json()
    assert (booking["customer_id"], booking["guest_count"], booking["event_date"]) == (
        body["customer_id"],
        25,
        day.isoformat(),
    )
    assert (booking["status"], booking["location"]) == ("pending", "To be confirmed")


async def test_convert_still_needs_a_date(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    response = await client.post(
        f"/api/v1/leads/{lead['id']}/convert",
        json={"create_booking": True, "booking_data": {"guest_count": 10}},
        headers=staff.headers(),
    )
    assert response.status_code == 422
    assert set(response.json()["details"]) == {"booking_data.event_date"}


async def test_social_threads(client: Client) -> None:
    staff = await client.staff("staff")
    lead = await new_lead(client, staff)
    thread = {
        "platform": "instagram",
        "external_thread_id": "ig-123",
        "handle": "@janesmith",
        "display_name": "Jane Smith",
        "last_message": "How much for 20 people?",
        "lead_id": lead["id"],
    }
    created = await client.post("/api/leads/social-threads", json=thread, headers=staff.headers())
    assert created.status_code == 201
    body = created.json()
    assert (body["platform"], body["status"], body["lead_id"]) == ("instagram", "open", lead["id"])
    assert body["last_message_at"] is not None

    duplicate = await client.post("/api/leads/social-threads", json=thread, headers=staff.headers())
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "social_thread_exists")
    await client.post(
        "/api/leads/social-threads",
        json={"platform": "yelp", "external_thread_id": "y-1"},
        headers=staff.headers(),
    )
    listed = await client.get(
        "/api/leads/social-threads", params={"platform": "instagram"}, headers=staff.headers()
    )
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()["data"]] == [body["id"]]
    assert listed.json()["total"] == 1


async def test_social_threads_stay_in_their_station(client: Client) -> None:
    staff = await client.staff("staff")
    ours = await new_lead(client, staff)
    other = await client.station()
    theirs = await client.staff("staff", station=other["id"])
    foreign_lead = await client.post(
        "/api/leads/social-threads",
        json={"platform": "facebook", "external_thread_id": "fb-1", "lead_id": ours["id"]},
        headers=theirs.headers(),
    )
    assert (foreign_lead.status_code, foreign_lead.json()["code"]) == (404, "lead_not_found")
    await client.post(
        "/api/leads/social-threads",
        json={"platform": "facebook", "external_thread_id": "fb-1"},
        headers=staff.headers(),
    )
    listed = await client.get("/api/leads/social-threads", headers=theirs.headers())
    assert (listed.status_code, listed.json()["total"]) == (200, 0)


async def test_lead_ids_are_integers(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.get("/api/leads/lead-123", headers=staff.headers())
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")


# -- scores kept current as event dates come closer --------------------------------------


async def _stored_score(app: FastAPI, lead_id: int) -> int:
    async with app.state.runtime.unit_of_work(write=False) as db:
        return int(await db.scalar(select(Lead.score).where(Lead.id == lead_id)) or 0)


async def _set_stored_score(app: FastAPI, lead_id: int, score: int) -> None:
    async with app.state.runtime.unit_of_work() as db:
        await db.execute(update(Lead).where(Lead.id == lead_id).values(score=score))


async def test_the_hourly_job_rescores_leads_whose_event_came_closer(
    client: Client, app: FastAPI
) -> None:
    staff = await client.staff("staff")
    soon = await new_lead(client, staff, source="referral", event_date=future_day(20).isoformat())
    far = await new_lead(client, staff, source="referral", event_date=future_day(200).isoformat())
    # referral 25 + within 30 days 20 + both contacts 5
    assert (soon["score"], far["score"]) == (50, 40)
    # as if both were scored when the event was more than 60 days away
    await _set_stored_score(app, soon["id"], 40)
    await _set_stored_score(app, far["id"], 33)

    changed = await rescore_by_date(app.state.runtime)
    again = await rescore_by_date(app.state.runtime)

    assert (changed, again) == (1, 0)
    listed = await client.get("/api/leads?sort=score", headers=staff.headers())
    assert listed.status_code == 200
    scores = {item["id"]: (item["score"], item["score_tier"]) for item in listed.json()["items"]}
    assert scores[soon["id"]] == (50, "warm")
    # far beyond the horizon: its date points cannot have moved, so it is left alone
    assert await _stored_score(app, far["id"]) == 33
