"""Reviews: writing one about a completed booking, moderation, escalations and their
resolution with a recovery coupon, outside reviews, analytics, tenancy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.hibachi.helpers import Actor, Client
from trident.apps.hibachi.reviews.service import escalate_if_low, short_name
from trident.core.clock import today_in

API = "/api/reviews"
V1 = "/api/v1/reviews"
TIMEZONE = "America/Los_Angeles"  # the default station's


async def completed_booking(
    client: Client, admin: Actor, customer: Actor | None = None, **overrides: Any
) -> dict[str, Any]:
    """A booking held today and completed (booked by staff; for ``customer`` if given)."""
    today = today_in(TIMEZONE)
    if today.weekday() == 0:  # Monday is closed by default
        response = await client.put(
            "/api/v1/pricing", json={"closed_weekdays": []}, headers=client.root.headers("main")
        )
        assert response.status_code == 200, response.text
    if customer is not None:
        overrides.setdefault("customer_email", customer.email)
    booking = await client.book(admin, date=today.isoformat(), time=None, **overrides)
    for status in ("confirmed", "completed"):
        response = await client.put(
            f"/api/v1/bookings/{booking['id']}", json={"status": status}, headers=admin.headers()
        )
        assert response.status_code == 200, response.text
    return booking


async def review(client: Client, actor: Actor, **body: Any) -> dict[str, Any]:
    response = await client.post(API, json=body, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def external(client: Client, actor: Actor, **body: Any) -> dict[str, Any]:
    payload = {"source": "google", "external_id": "g-1", "rating": 5, **body}
    response = await client.post(f"{API}/track-external", json=payload, headers=actor.headers())
    assert response.status_code in (200, 201), response.text
    return response.json()


# -- pure rules ---------------------------------------------------------------------


def test_short_name_is_first_name_and_initial() -> None:
    assert [short_name("John Doe"), short_name("Cher"), short_name("Ana de la Cruz")] == [
        "John D.",
        "Cher",
        "Ana C.",
    ]


def test_escalation_reopens_only_when_the_rating_drops() -> None:
    from trident.apps.hibachi.models import Review

    resolved_at = datetime(2025, 1, 1, tzinfo=UTC)
    low = Review(rating=2, escalated_at=resolved_at, resolved_at=resolved_at)
    escalate_if_low(low, 2)  # unchanged rating: stays resolved
    assert low.resolved_at == resolved_at
    low.rating = 1
    escalate_if_low(low, 2)  # dropped further: open again
    assert (low.resolved_at, low.escalated_at > resolved_at) == (None, True)
    high = Review(rating=3, escalated_at=None, resolved_at=None)
    escalate_if_low(high, 5)
    assert high.escalated_at is None


# -- the escalation flow, end to end -------------------------------------------------


async def test_low_rating_escalates_resolves_with_coupon_that_lowers_a_new_booking(
    client: Client,
) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    done = await completed_booking(client, admin, customer)

    created = await review(
        client, customer, booking_id=done["id"], rating=1, title="Cold food", comment="Late."
    )
    assert created["is_escalated"] is True
    assert created["escalated_at"] is not None
    assert (created["customer_id"], created["booking_id"]) == (done["customer_id"], done["id"])
    assert (created["author_name"], created["is_verified"], created["source"]) == (
        "Cus T.",
        True,
        "internal",
    )

    escalated = await client.get(f"{API}/admin/escalated", headers=admin.headers())
    assert escalated.status_code == 200
    assert [r["id"] for r in escalated.json()["items"]] == [created["id"]]
    assert escalated.json()["items"][0]["customer"]["email"] == customer.email

    resolved = await client.post(
        f"{V1}/{created['id']}/resolve",
        json={
            "resolution_notes": "Called, apologised.",
            "issue_coupon": {"discount_type": "percent", "discount_value": 20},
        },
        headers=admin.headers(),
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    coupon = body["coupon"]
    assert body["is_escalated"] is False
    assert (body["resolved_by_id"], body["resolution_notes"]) == (
        admin.user_id,
        "Called, apologised.",
    )
    assert coupon["code"].startswith("SORRY-") and len(coupon["code"]) == 12
    assert (coupon["customer_id"], coupon["review_id"], coupon["max_uses"]) == (
        done["customer_id"],
        created["id"],
        1,
    )
    assert (coupon["source"], coupon["notified"]) == ("review_recovery", True)

    still_open = await client.get(f"{API}/admin/escalated", headers=admin.headers())
    assert still_open.json()["total"] == 0
    every = await client.get(
        f"{API}/admin/escalated", params={"include_resolved": "true"}, headers=admin.headers()
    )
    assert [r["id"] for r in every.json()["items"]] == [created["id"]]

    # the customer books again and redeems the coupon on it
    new = await client.book(customer)
    check = await client.post(
        f"{API}/coupons/validate",
        json={"code": coupon["code"].lower(), "booking_id": new["id"]},
        headers=customer.headers(),
    )
    assert check.status_code == 200
    expected_discount = round(new["subtotal"] * 0.2, 2)
    assert (check.json()["valid"], check.json()["discount_amount"]) == (True, expected_discount)

    applied = await client.post(
        f"{API}/coupons/apply",
        json={"code": coupon["code"], "booking_id": new["id"]},
        headers=customer.headers(),
    )
    assert applied.status_code == 200, applied.text
    result = applied.json()
    assert result["discount_amount"] == expected_discount
    assert result["subtotal"] == new["subtotal"]
    assert result["total_amount"] < new["total_amount"]
    assert result["deposit_amount"] <= new["deposit_amount"]
    booking = (await client.get(f"/api/v1/bookings/{new['id']}", headers=customer.headers())).json()
    assert (booking["coupon_code"], booking["discount"], booking["total_amount"]) == (
        coupon["code"],
        expected_discount,
        result["total_amount"],
    )

    again = await client.post(
        f"{API}/coupons/apply",
        json={"code": coupon["code"], "booking_id": (await client.book(customer, time=None))["id"]},
        headers=customer.headers(),
    )
    assert again.status_code == 409
    assert again.json()["code"] == "coupon_already_used"
    same_booking = await client.post(
        f"{API}/coupons/apply",
        json={"code": coupon["code"], "booking_id": new["id"]},
        headers=customer.headers(),
    )
    assert (same_booking.status_code, same_booking.json()["code"]) == (409, "booking_has_coupon")


async def test_resolve_refuses_a_review_not_escalated_or_already_resolved(
    client: Client,
) -> None:
    manager = await client.staff("manager")
    happy = await external(client, manager, external_id="h", rating=5)
    unhappy = await external(client, manager, external_id="u", rating=2)
    url = f"{API}/{{}}/resolve"
    not_escalated = await client.post(
        url.format(happy["id"]), json={"resolution_notes": "x"}, headers=manager.headers()
    )
    assert (not_escalated.status_code, not_escalated.json()["code"]) == (
        409,
        "review_not_escalated",
    )
    first = await client.post(
        url.format(unhappy["id"]), json={"resolution_notes": "done"}, headers=manager.headers()
    )
    assert (first.status_code, first.json()["coupon"]) == (200, None)
    twice = await client.post(
        url.format(unhappy["id"]), json={"resolution_notes": "again"}, headers=manager.headers()
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "review_already_resolved")


# -- writing a review ---------------------------------------------------------------


async def test_a_customer_reviews_a_booking_once(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    done = await completed_booking(client, admin, customer)
    first = await review(client, customer, booking_id=done["id"], rating=5, content="Great!")
    assert (first["comment"], first["is_escalated"], first["status"]) == (
        "Great!",
        False,
        "published",
    )
    second = await client.post(
        API, json={"booking_id": done["id"], "rating": 4}, headers=customer.headers()
    )
    assert second.status_code == 409
    assert second.json()["code"] == "review_exists"
    assert second.json()["details"]["review_id"] == first["id"]


async def test_a_booking_is_reviewed_only_by_its_customer_once_completed(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    someone_elses = await completed_booking(client, admin)
    others = await client.post(
        API, json={"booking_id": someone_elses["id"], "rating": 5}, headers=customer.headers()
    )
    assert (others.status_code, others.json()["code"]) == (404, "booking_not_found")

    pending = await client.book(customer)
    early = await client.post(
        API, json={"booking_id": pending["id"], "rating": 5}, headers=customer.headers()
    )
    assert (early.status_code, early.json()["code"]) == (409, "booking_not_completed")


async def test_review_input_is_validated(client: Client) -> None:
    customer = await client.customer()
    for body in (
        {"rating": 6},
        {"rating": 0},
        {"rating": "5"},
        {"rating": 5, "extra": 1},
        {"rating": 5, "comment": "nul \u0000 byte"},
    ):
        response = await client.post(API, json=body, headers=customer.headers())
        assert response.status_code == 422, body
        assert response.json()["code"] == "validation_error"
    anonymous = await client.post(API, json={"rating": 5})
    assert anonymous.status_code == 401


async def test_staff_record_a_review_for_a_customer_and_viewers_cannot(client: Client) -> None:
    manager = await client.staff("manager")
    viewer = await client.staff("viewer")
    done = await completed_booking(client, manager)
    made = await review(client, manager, booking_id=done["id"], rating=4, author_name="Jo")
    assert (made["customer_id"], made["author_name"]) == (done["customer_id"], "Jo")
    refused = await client.post(
        API, json={"rating": 4, "customer_id": done["customer_id"]}, headers=viewer.headers()
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_permissions")
    nobody = await client.post(API, json={"rating": 4}, headers=manager.headers())
    assert (nobody.status_code, nobody.json()["code"]) == (422, "customer_required")


# -- editing, hiding, deleting ---------------------------------------------------------------


async def test_the_author_edits_and_a_drop_to_two_stars_escalates(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    other = await client.customer()
    done = await completed_booking(client, admin, customer)
    mine = await review(client, customer, booking_id=done["id"], rating=4)
    url = f"{API}/{mine['id']}"

    edited = await client.put(url, json={"rating": 2, "title": "Worse"}, headers=customer.headers())
    assert edited.status_code == 200, edited.text
    assert (edited.json()["rating"], edited.json()["title"]) == (2, "Worse")
    staff_view = (await client.get(url, headers=admin.headers())).json()
    assert staff_view["is_escalated"] is True

    not_theirs = await client.put(url, json={"rating": 5}, headers=other.headers())
    assert (not_theirs.status_code, not_theirs.json()["code"]) == (404, "review_not_found")
    moderation = await client.put(url, json={"status": "hidden"}, headers=customer.headers())
    assert (moderation.status_code, moderation.json()["code"]) == (403, "insufficient_permissions")


async def test_hidden_reviews_leave_the_public_list_but_not_staff_view(client: Client) -> None:
    manager = await client.staff("manager")
    shown = await external(client, manager, external_id="a", rating=5, comment="Yum")
    hidden = await external(client, manager, external_id="b", rating=4, comment="spam")
    hide = await client.put(
        f"{API}/{hidden['id']}",
        json={"status": "hidden", "response": "Thanks"},
        headers=manager.headers(),
    )
    assert (hide.status_code, hide.json()["status"], hide.json()["response"]) == (
        200,
        "hidden",
        "Thanks",
    )

    public = await client.get(API)
    assert public.status_code == 200
    assert [r["id"] for r in public.json()["items"]] == [shown["id"]]
    assert "resolution_notes" not in public.json()["items"][0]
    anonymous = await client.get(f"{API}/{hidden['id']}")
    assert (anonymous.status_code, anonymous.json()["code"]) == (404, "review_not_found")
    assert (await client.get(f"{API}/{shown['id']}")).json()["comment"] == "Yum"

    staff_list = await client.get(API, headers=manager.headers())
    assert {r["id"] for r in staff_list.json()["items"]} == {shown["id"], hidden["id"]}
    only_hidden = await client.get(API, params={"status": "hidden"}, headers=manager.headers())
    assert [r["id"] for r in only_hidden.json()["items"]] == [hidden["id"]]
    staff_get = await client.get(f"{API}/{hidden['id']}", headers=manager.headers())
    assert (staff_get.status_code, staff_get.json()["status"]) == (200, "hidden")


async def test_public_list_filters_and_pages_newest_first(client: Client) -> None:
    manager = await client.staff("manager")
    day = datetime(2025, 3, 1, tzinfo=UTC)
    for n, (source, rating) in enumerate([("google", 5), ("yelp", 3), ("google", 4)]):
        await external(
            client,
            manager,
            source=source,
            external_id=f"r{n}",
            rating=rating,
            review_date=(day + timedelta(days=n)).isoformat(),
        )
    newest = await client.get(API, params={"limit": 2})
    assert [r["rating"] for r in newest.json()["items"]] == [4, 3]
    assert newest.json()["pagination"]["total_pages"] == 2
    google = await client.get(API, params={"source": "google", "min_rating": 5})
    assert [r["rating"] for r in google.json()["items"]] == [5]
    threes = await client.get(API, params={"rating": 3})
    assert [r["source"] for r in threes.json()["items"]] == ["yelp"]
    bad = await client.get(API, params={"rating": 9})
    assert bad.status_code == 422


async def test_only_moderators_delete_reviews(client: Client) -> None:
    manager = await client.staff("manager")
    staff = await client.staff("staff")
    made = await external(client, manager, rating=5)
    refused = await client.delete(f"{API}/{made['id']}", headers=staff.headers())
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_permissions")
    deleted = await client.delete(f"{API}/{made['id']}", headers=manager.headers())
    assert deleted.status_code == 204
    gone = await client.get(f"{API}/{made['id']}", headers=manager.headers())
    assert gone.status_code == 404


async def test_a_viewer_reads_escalations_but_cannot_resolve(client: Client) -> None:
    manager = await client.staff("manager")
    viewer = await client.staff("viewer")
    low = await external(client, manager, rating=1)
    listed = await client.get(f"{API}/admin/escalated", headers=viewer.headers())
    assert [r["id"] for r in listed.json()["items"]] == [low["id"]]
    refused = await client.post(
        f"{API}/{low['id']}/resolve", json={"resolution_notes": "x"}, headers=viewer.headers()
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_permissions")
    customer = await client.customer()
    hidden_from_customers = await client.get(f"{API}/admin/escalated", headers=customer.headers())
    assert hidden_from_customers.status_code == 403


# -- outside reviews -----------------------------------------------------------------------


async def test_track_external_creates_then_updates_in_place(client: Client) -> None:
    manager = await client.staff("manager")
    payload = {
        "source": "yelp",
        "external_id": "yelp-42",
        "external_url": "https://yelp.com/r/42",
        "rating": 5,
        "author_name": "Pat",
        "review_date": "2025-06-01",
    }
    first = await client.post(f"{API}/track-external", json=payload, headers=manager.headers())
    assert first.status_code == 201, first.text
    assert (first.json()["created"], first.json()["is_escalated"]) == (True, False)
    assert first.json()["created_at"].startswith("2025-06-01")

    updated = await client.post(
        f"{API}/track-external",
        json={**payload, "rating": 1, "comment": "Changed my mind"},
        headers=manager.headers(),
    )
    assert updated.status_code == 200
    assert (updated.json()["id"], updated.json()["created"]) == (first.json()["id"], False)
    assert (updated.json()["rating"], updated.json()["is_escalated"]) == (1, True)
    listed = await client.get(API, params={"source": "yelp"})
    assert listed.json()["total"] == 1


async def test_track_external_checks_role_and_input(client: Client) -> None:
    staff = await client.staff("staff")
    manager = await client.staff("manager")
    body = {"source": "google", "external_id": "x", "rating": 4}
    refused = await client.post(f"{API}/track-external", json=body, headers=staff.headers())
    assert refused.status_code == 403
    for bad in ({**body, "source": "myspace"}, {**body, "external_url": "javascript:x"}):
        response = await client.post(f"{API}/track-external", json=bad, headers=manager.headers())
        assert response.status_code == 422, bad
    stranger = await client.post(
        f"{API}/track-external", json={**body, "customer_id": 999999}, headers=manager.headers()
    )
    assert stranger.status_code == 404


# -- a customer's reviews, analytics ---------------------------------------------------------------


async def test_customer_reviews_for_staff_and_for_the_customer_alone(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    other = await client.customer()
    done = await completed_booking(client, admin, customer)
    made = await review(client, customer, booking_id=done["id"], rating=5)
    url = f"{API}/customers/{done['customer_id']}/reviews"

    staff_view = await client.get(url, headers=admin.headers())
    assert staff_view.status_code == 200
    assert [(r["id"], r["customer_id"]) for r in staff_view.json()["items"]] == [
        (made["id"], done["customer_id"])
    ]
    own = await client.get(url, headers=customer.headers())
    assert [r["id"] for r in own.json()["items"]] == [made["id"]]
    assert "customer_id" not in own.json()["items"][0]
    foreign = await client.get(url, headers=other.headers())
    assert (foreign.status_code, foreign.json()["code"]) == (404, "customer_not_found")


async def test_analytics_are_aggregated_by_the_database(client: Client) -> None:
    manager = await client.staff("manager")
    viewer = await client.staff("viewer")
    for n, (source, rating, when) in enumerate(
        [("google", 5, "2025-01-10"), ("google", 4, "2025-02-10"), ("yelp", 1, "2025-02-11")]
    ):
        made = await external(
            client, manager, source=source, external_id=str(n), rating=rating, review_date=when
        )
    resolved = await client.post(
        f"{API}/{made['id']}/resolve", json={"resolution_notes": "ok"}, headers=manager.headers()
    )
    assert resolved.status_code == 200

    response = await client.get(f"{API}/admin/analytics", headers=viewer.headers())
    assert response.status_code == 200, response.text
    stats = response.json()
    assert (stats["total_reviews"], stats["average_rating"]) == (3, 3.33)
    assert stats["rating_distribution"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 1}
    assert stats["by_source"] == {
        "google": {"count": 2, "average_rating": 4.5},
        "yelp": {"count": 1, "average_rating": 1.0},
    }
    assert stats["escalations"]["total"] == 1
    assert (stats["escalations_open"], stats["escalations_resolved"]) == (0, 1)
    assert stats["average_resolution_hours"] is not None
    assert [(m["month"], m["count"]) for m in stats["monthly_trend"]] == [
        ("2025-01", 1),
        ("2025-02", 2),
    ]

    february = await client.get(
        f"{API}/admin/analytics",
        params={"date_from": "2025-02-01", "date_to": "2025-02-28"},
        headers=manager.headers(),
    )
    assert february.json()["total_reviews"] == 2
    backwards = await client.get(
        f"{API}/admin/analytics",
        params={"date_from": "2025-03-01", "date_to": "2025-02-01"},
        headers=manager.headers(),
    )
    assert backwards.status_code == 422
    customer = await client.customer()
    assert (
        await client.get(f"{API}/admin/analytics", headers=customer.headers())
    ).status_code == 403


# -- tenancy ---------------------------------------------------------------------------------


async def test_another_station_sees_none_of_these_reviews(client: Client) -> None:
    manager = await client.staff("manager")
    low = await external(client, manager, rating=1)
    station = await client.station()
    outsider = await client.staff("admin", station=station["id"])

    assert (await client.get(API, headers=outsider.headers())).json()["total"] == 0
    assert (await client.get(API, headers={"X-Station-ID": station["code"]})).json()["total"] == 0
    got = await client.get(f"{API}/{low['id']}", headers=outsider.headers())
    assert (got.status_code, got.json()["code"]) == (404, "review_not_found")
    escalated = await client.get(f"{API}/admin/escalated", headers=outsider.headers())
    assert escalated.json()["total"] == 0
    for method, url, body in (
        ("PUT", f"{API}/{low['id']}", {"rating": 5}),
        ("POST", f"{API}/{low['id']}/resolve", {"resolution_notes": "x"}),
        ("DELETE", f"{API}/{low['id']}", None),
    ):
        response = await client.request(method, url, json=body, headers=outsider.headers())
        assert response.status_code == 404, (method, url)
    stats = await client.get(f"{API}/admin/analytics", headers=outsider.headers())
    assert stats.json()["total_reviews"] == 0
    # still there for its own station
    assert (await client.get(f"{API}/{low['id']}", headers=manager.headers())).status_code == 200
