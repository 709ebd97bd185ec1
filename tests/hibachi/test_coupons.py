"""Coupons: issuing, validating (an answer, never a 404), applying once per customer
and at most max_uses times, the station's list, tenancy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tests.hibachi.helpers import Actor, Client
from tests.hibachi.test_reviews import external
from trident.apps.hibachi.models import Coupon
from trident.apps.hibachi.reviews.coupons import discount_for, generate_code, refusal_of
from trident.core.clock import utcnow

API = "/api/reviews"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


async def issue(client: Client, actor: Actor, **body: Any) -> dict[str, Any]:
    payload = {"discount_type": "fixed", "discount_value": 50, **body}
    response = await client.post(f"{API}/ai/issue-coupon", json=payload, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def validate(client: Client, actor: Actor, **body: Any) -> dict[str, Any]:
    response = await client.post(f"{API}/coupons/validate", json=body, headers=actor.headers())
    assert response.status_code == 200, response.text
    return response.json()


async def apply(client: Client, actor: Actor, code: str, booking_id: int) -> Any:
    return await client.post(
        f"{API}/coupons/apply",
        json={"code": code, "booking_id": booking_id},
        headers=actor.headers(),
    )


async def customer_id_of(client: Client, customer: Actor) -> int:
    me = await client.get("/api/auth/me", headers=customer.headers())
    assert me.status_code == 200, me.text
    body = me.json()
    return int((body.get("user") or body)["customer_id"])


# -- pure rules ---------------------------------------------------------------------


def _coupon(**fields: Any) -> Coupon:
    values: dict[str, Any] = {
        "code": "X",
        "discount_type": "percent",
        "discount_value": Decimal(10),
        "min_order_cents": 0,
        "max_discount_cents": None,
        "customer_id": None,
        "expires_at": None,
        "max_uses": None,
        "uses_count": 0,
        "is_active": True,
        **fields,
    }
    return Coupon(**values)


def test_refusals_in_order_of_what_they_tell_the_customer() -> None:
    def reason(coupon: Coupon | None, **kw: Any) -> str | None:
        args: dict[str, Any] = {"customer_id": 7, "already_used": False, "order_cents": 10_000}
        args.update(kw)
        found = refusal_of(coupon, now=NOW, **args)
        return found.reason_code if found else None

    assert reason(None) == "unknown"
    assert reason(_coupon(is_active=False, expires_at=NOW - timedelta(days=1))) == "inactive"
    assert reason(_coupon(expires_at=NOW)) == "expired"
    assert reason(_coupon(customer_id=8, max_uses=1, uses_count=1)) == "other_customer"
    assert reason(_coupon(max_uses=1, uses_count=1), already_used=True) == "already_used"
    assert reason(_coupon(max_uses=2, uses_count=2)) == "used_up"
    assert reason(_coupon(min_order_cents=10_001)) == "below_minimum"
    assert reason(_coupon(customer_id=8), customer_id=None, order_cents=None) is None
    assert reason(_coupon(customer_id=7, expires_at=NOW + timedelta(seconds=1))) is None


def test_discounts_are_integer_cents_and_capped() -> None:
    percent = _coupon(discount_value=Decimal("12.5"))
    assert discount_for(percent, 10_001) == 1250  # 1250.125 rounds half-up to the cent
    assert discount_for(percent, None) is None
    fixed = _coupon(discount_type="fixed", discount_value=Decimal("75.50"), max_discount_cents=5000)
    assert (discount_for(fixed, None), discount_for(fixed, 3000)) == (5000, 3000)


def test_generated_codes_avoid_look_alike_characters() -> None:
    codes = {generate_code() for _ in range(50)}
    assert len(codes) == 50
    assert all(c.startswith("SORRY-") and not set(c[6:]) & set("0O1IL") for c in codes)


# -- issuing ----------------------------------------------------------------------------


async def test_issue_coupon_with_an_explicit_code_once(client: Client) -> None:
    admin = await client.staff("admin")
    made = await issue(
        client,
        admin,
        code="summer25",
        discount_type="percent",
        discount_value="25",
        reason="Summer promo",
        min_order_amount=200,
        expires_in_days=None,
        notify_customer=False,
    )
    assert (made["code"], made["discount_value"], made["min_order_amount"]) == ("SUMMER25", 25, 200)
    assert (made["reason"], made["expires_at"], made["max_uses"], made["source"]) == (
        "Summer promo",
        None,
        None,
        "manual",
    )
    assert (made["is_usable"], made["notified"]) == (True, False)
    taken = await client.post(
        f"{API}/ai/issue-coupon",
        json={"code": "SUMMER25", "discount_type": "fixed", "discount_value": 5},
        headers=admin.headers(),
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "coupon_code_taken")


async def test_issue_coupon_checks_role_values_and_ownership(client: Client) -> None:
    staff = await client.staff("staff")
    manager = await client.staff("manager")
    refused = await client.post(
        f"{API}/ai/issue-coupon",
        json={"discount_type": "fixed", "discount_value": 5},
        headers=staff.headers(),
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_permissions")
    for bad in (
        {"discount_type": "percent", "discount_value": 101},
        {"discount_type": "bogus", "discount_value": 5},
        {"discount_type": "fixed", "discount_value": 0},
        {"discount_type": "fixed", "discount_value": 5, "code": "a b"},
    ):
        response = await client.post(f"{API}/ai/issue-coupon", json=bad, headers=manager.headers())
        assert response.status_code == 422, bad
    unknown = await client.post(
        f"{API}/ai/issue-coupon",
        json={"discount_type": "fixed", "discount_value": 5, "customer_id": 999999},
        headers=manager.headers(),
    )
    assert unknown.status_code == 404


async def test_a_coupon_for_a_review_is_bound_to_its_customer(client: Client) -> None:
    manager = await client.staff("manager")
    customer = await client.customer()
    cid = await customer_id_of(client, customer)
    low = await external(client, manager, rating=1, customer_id=cid)
    made = await issue(client, manager, review_id=low["id"])
    assert (made["customer_id"], made["review_id"], made["max_uses"]) == (cid, low["id"], 1)
    assert (made["source"], made["notified"]) == ("review_recovery", True)


# -- validating ----------------------------------------------------------------------------


async def test_validate_answers_unknown_and_below_minimum_without_errors(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    unknown = await validate(client, customer, code="NOPE123")
    assert (unknown["valid"], unknown["reason_code"], unknown["discount_type"]) == (
        False,
        "unknown",
        None,
    )
    made = await issue(client, admin, discount_value=30, min_order_amount=500)
    small = await validate(client, customer, code=made["code"], order_amount=100)
    assert (small["valid"], small["reason_code"]) == (False, "below_minimum")
    assert small["reason"] == "This coupon needs an order of at least $500.00."
    big = await validate(client, customer, code=made["code"], order_amount=600)
    assert (big["valid"], big["discount_amount"], big["reason"]) == (True, 30, None)
    anonymous = await client.post(f"{API}/coupons/validate", json={"code": made["code"]})
    assert anonymous.status_code == 401


async def test_inactive_and_expired_coupons_are_invalid_with_reasons(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    off = await issue(client, admin)
    switched = await client.patch(
        f"{API}/coupons/{off['id']}", json={"is_active": False}, headers=admin.headers()
    )
    assert (switched.status_code, switched.json()["is_usable"]) == (200, False)
    inactive = await validate(client, customer, code=off["code"])
    assert (inactive["valid"], inactive["reason_code"], inactive["reason"]) == (
        False,
        "inactive",
        "This coupon is no longer active.",
    )

    old = await issue(client, admin)
    past = (utcnow() - timedelta(days=2)).isoformat()
    await client.put(
        f"{API}/coupons/{old['id']}", json={"expires_at": past}, headers=admin.headers()
    )
    expired = await validate(client, customer, code=old["code"])
    assert (expired["valid"], expired["reason_code"]) == (False, "expired")
    assert expired["reason"].startswith("This coupon expired on ")
    booking = await client.book(customer)
    refused = await apply(client, customer, old["code"], booking["id"])
    assert (refused.status_code, refused.json()["code"]) == (409, "coupon_expired")


async def test_another_customers_coupon_is_refused(client: Client) -> None:
    admin = await client.staff("admin")
    owner = await client.customer()
    other = await client.customer()
    made = await issue(client, admin, customer_id=await customer_id_of(client, owner))
    theirs = await validate(client, other, code=made["code"])
    assert (theirs["valid"], theirs["reason_code"]) == (False, "other_customer")
    booking = await client.book(other)
    refused = await apply(client, other, made["code"], booking["id"])
    assert (refused.status_code, refused.json()["code"]) == (409, "coupon_not_for_customer")
    assert (await validate(client, owner, code=made["code"]))["valid"] is True


# -- applying --------------------------------------------------------------------------------


async def test_a_coupon_is_used_once_per_customer(client: Client) -> None:
    admin = await client.staff("admin")
    first = await client.customer()
    second = await client.customer()
    made = await issue(client, admin, discount_value=40)
    one = await client.book(first, time="12:00")
    two = await client.book(first, time="15:00")
    used = await apply(client, first, made["code"], one["id"])
    assert used.status_code == 200, used.text
    assert used.json()["total_amount"] < one["total_amount"]
    again = await apply(client, first, made["code"], two["id"])
    assert (again.status_code, again.json()["code"]) == (409, "coupon_already_used")
    answer = await validate(client, first, code=made["code"], booking_id=two["id"])
    assert (answer["valid"], answer["reason_code"]) == (False, "already_used")

    # staff apply it to another customer's booking: allowed once for that customer
    theirs = await client.book(second, time="18:00")
    by_staff = await apply(client, admin, made["code"], theirs["id"])
    assert (by_staff.status_code, by_staff.json()["discount_amount"]) == (200, 40)
    coupon = await client.get(f"{API}/coupons/{made['id']}", headers=admin.headers())
    assert (coupon.json()["uses_count"], coupon.json()["remaining_uses"]) == (2, None)


async def test_a_used_up_coupon_is_refused(client: Client) -> None:
    admin = await client.staff("admin")
    first = await client.customer()
    second = await client.customer()
    made = await issue(client, admin, max_uses=1)
    used = await apply(client, first, made["code"], (await client.book(first, time="12:00"))["id"])
    assert used.status_code == 200
    booking = await client.book(second, time="15:00")
    answer = await validate(client, second, code=made["code"], booking_id=booking["id"])
    assert (answer["valid"], answer["reason_code"]) == (False, "used_up")
    refused = await apply(client, second, made["code"], booking["id"])
    assert (refused.status_code, refused.json()["code"]) == (409, "coupon_used_up")


async def test_cancelling_a_booking_gives_its_coupon_use_back(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    made = await issue(client, admin, max_uses=1, discount_value=30)
    first = await client.book(customer, time="12:00")
    assert (await apply(client, customer, made["code"], first["id"])).status_code == 200
    cancel = await client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=customer.headers())
    assert (cancel.status_code, cancel.json()["status"]) == (200, "cancelled")
    coupon = await client.get(f"{API}/coupons/{made['id']}", headers=admin.headers())
    assert (coupon.json()["uses_count"], coupon.json()["remaining_uses"]) == (0, 1)

    # the rebooking takes the coupon again, and cancelling twice gives back only once
    second = await client.book(customer, time="15:00")
    again = await apply(client, customer, made["code"], second["id"])
    assert (again.status_code, again.json()["discount_amount"]) == (200, 30)
    repeat = await client.post(f"/api/v1/bookings/{first['id']}/cancel", headers=customer.headers())
    assert repeat.status_code == 200
    coupon = await client.get(f"{API}/coupons/{made['id']}", headers=admin.headers())
    assert (coupon.json()["uses_count"], coupon.json()["remaining_uses"]) == (1, 0)


async def test_staff_cancelling_by_status_gives_the_use_back(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    made = await issue(client, admin)
    booking = await client.book(customer, time="12:00")
    assert (await apply(client, customer, made["code"], booking["id"])).status_code == 200
    changed = await client.put(
        f"/api/v1/bookings/{booking['id']}",
        json={"status": "cancelled", "cancellation_reason": "weather"},
        headers=admin.headers(),
    )
    assert (changed.status_code, changed.json()["status"]) == (200, "cancelled")
    answer = await validate(client, customer, code=made["code"])
    assert answer["valid"] is True
    coupon = await client.get(f"{API}/coupons/{made['id']}", headers=admin.headers())
    assert coupon.json()["uses_count"] == 0


async def test_apply_checks_the_booking(client: Client) -> None:
    admin = await client.staff("admin")
    customer = await client.customer()
    made = await issue(client, admin)
    someone_elses = await client.book(admin, time="12:00")
    hidden = await apply(client, customer, made["code"], someone_elses["id"])
    assert (hidden.status_code, hidden.json()["code"]) == (404, "booking_not_found")
    cancelled = await client.book(customer, time="15:00")
    cancel = await client.post(
        f"/api/v1/bookings/{cancelled['id']}/cancel", headers=customer.headers()
    )
    assert cancel.status_code == 200
    locked = await apply(client, customer, made["code"], cancelled["id"])
    assert (locked.status_code, locked.json()["code"]) == (409, "booking_locked")
    unknown = await apply(client, customer, "NOPE123", cancelled["id"] + 1000)
    assert unknown.status_code == 404
    viewer = await client.staff("viewer")
    refused = await apply(client, viewer, made["code"], someone_elses["id"])
    assert refused.status_code == 403


# -- the list and tenancy ------------------------------------------------------------------


async def test_coupon_list_filters_by_active_and_customer(client: Client) -> None:
    admin = await client.staff("admin")
    viewer = await client.staff("viewer")
    customer = await client.customer()
    cid = await customer_id_of(client, customer)
    usable = await issue(client, admin, customer_id=cid)
    off = await issue(client, admin)
    await client.patch(
        f"{API}/coupons/{off['id']}", json={"is_active": False}, headers=admin.headers()
    )

    every = await client.get(f"{API}/coupons", headers=viewer.headers())
    assert [c["id"] for c in every.json()["items"]] == [off["id"], usable["id"]]
    active = await client.get(f"{API}/coupons", params={"active": "true"}, headers=admin.headers())
    assert [c["id"] for c in active.json()["items"]] == [usable["id"]]
    inactive = await client.get(
        f"{API}/coupons", params={"active": "false"}, headers=admin.headers()
    )
    assert [c["id"] for c in inactive.json()["items"]] == [off["id"]]
    bound = await client.get(f"{API}/coupons", params={"customer_id": cid}, headers=admin.headers())
    assert [c["code"] for c in bound.json()["items"]] == [usable["code"]]
    assert (await client.get(f"{API}/coupons", headers=customer.headers())).status_code == 403
    viewer_patch = await client.patch(
        f"{API}/coupons/{off['id']}", json={"is_active": True}, headers=viewer.headers()
    )
    assert viewer_patch.status_code == 403


async def test_another_station_cannot_see_or_use_these_coupons(client: Client) -> None:
    admin = await client.staff("admin")
    made = await issue(client, admin, code="MAINONLY")
    station = await client.station()
    outsider = await client.staff("admin", station=station["id"])

    listed = await client.get(f"{API}/coupons", headers=outsider.headers())
    assert (listed.status_code, listed.json()["total"]) == (200, 0)
    got = await client.get(f"{API}/coupons/{made['id']}", headers=outsider.headers())
    assert got.status_code == 404
    changed = await client.patch(
        f"{API}/coupons/{made['id']}", json={"is_active": False}, headers=outsider.headers()
    )
    assert changed.status_code == 404
    answer = await validate(client, outsider, code="MAINONLY")
    assert (answer["valid"], answer["reason_code"]) == (False, "unknown")
    their_booking = await client.book(outsider, time="12:00")
    refused = await apply(client, outsider, "MAINONLY", their_booking["id"])
    assert (refused.status_code, refused.json()["code"]) == (404, "coupon_not_found")
    main_booking = await client.book(admin, time="15:00")
    cross = await apply(client, outsider, "MAINONLY", main_booking["id"])
    assert (cross.status_code, cross.json()["code"]) == (404, "booking_not_found")
