from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.saas.helpers import Client, event
from trident.core.clock import unix_time

CHECKOUT = {
    "plan_type": "PRO",
    "success_url": "http://localhost:3000/pricing?status=success",
    "cancel_url": "http://localhost:3000/pricing?status=cancel",
}


async def test_plans_are_public(client: Client) -> None:
    response = await client.get("/api/v1/billing/plans")
    assert response.status_code == 200
    plans = response.json()
    assert [p["plan_type"] for p in plans] == ["FREE", "PRO", "TEAM"]
    assert [p["amount_cents"] for p in plans] == [0, 2900, 9900]
    assert [p["price"] for p in plans] == [0.0, 29.0, 99.0]  # JSON numbers, not strings
    assert "analytics" in plans[1]["features"]
    assert "white-label" in plans[2]["features"]


async def test_new_org_subscription_is_free(client: Client) -> None:
    owner = await client.actor()
    response = await client.get("/api/v1/billing/subscription", headers=owner.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["plan_type"] == "FREE"
    assert body["status"] == "active"
    assert body["plan"]["limits"]["max_members"] == 3


async def test_checkout_returns_local_hosted_page(client: Client) -> None:
    owner = await client.actor()
    response = await client.post("/api/v1/billing/checkout", json=CHECKOUT, headers=owner.headers())
    assert response.status_code == 200
    body = response.json()
    assert body["provider"] == "local"
    assert body["checkout_url"] == body["url"]
    assert body["checkout_url"].startswith("http://testserver/_local/pay/checkout/cs_local_")
    page = await client.get(httpx.URL(body["checkout_url"]).path)
    assert page.status_code == 200
    assert "29.00" in page.text


async def test_paying_on_local_page_upgrades_org(client: Client) -> None:
    owner = await client.actor()
    paid = await client.pay_for(owner, "PRO")
    assert paid.status_code == 303
    assert paid.headers["location"] == "http://localhost:3000/pricing?status=success"
    sub = await client.get("/api/v1/billing/subscription", headers=owner.headers())
    body = sub.json()
    assert body["plan_type"] == "PRO"
    assert body["status"] == "active"
    assert body["provider"] == "local"
    assert body["provider_subscription_id"].startswith("sub_local_")
    assert body["current_period_end"] is not None


async def test_checkout_free_plan_is_refused(client: Client) -> None:
    owner = await client.actor()
    response = await client.post(
        "/api/v1/billing/checkout", json={**CHECKOUT, "plan_type": "FREE"}, headers=owner.headers()
    )
    assert response.status_code == 400
    assert response.json()["error"] == "free_plan"


async def test_checkout_same_plan_twice_conflicts(client: Client) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "PRO")
    response = await client.post("/api/v1/billing/checkout", json=CHECKOUT, headers=owner.headers())
    assert response.status_code == 409
    assert response.json()["error"] == "already_subscribed"


@pytest.mark.parametrize(
    "payload",
    [
        {**CHECKOUT, "plan_type": "GOLD"},
        {**CHECKOUT, "success_url": "javascript:alert(1)"},
        {"plan_type": "PRO"},
    ],
)
async def test_checkout_validation(client: Client, payload: dict[str, str]) -> None:
    owner = await client.actor()
    response = await client.post("/api/v1/billing/checkout", json=payload, headers=owner.headers())
    assert response.status_code == 422


async def test_member_cannot_checkout(client: Client) -> None:
    owner = await client.actor()
    member = await client.join(owner)
    response = await client.post(
        "/api/v1/billing/checkout", json=CHECKOUT, headers=member.headers()
    )
    assert response.status_code == 403


async def test_idempotency_key_replays_checkout(client: Client) -> None:
    owner = await client.actor()
    headers = {**owner.headers(), "Idempotency-Key": "checkout-1"}
    first = await client.post("/api/v1/billing/checkout", json=CHECKOUT, headers=headers)
    second = await client.post("/api/v1/billing/checkout", json=CHECKOUT, headers=headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    changed = await client.post(
        "/api/v1/billing/checkout", json={**CHECKOUT, "plan_type": "TEAM"}, headers=headers
    )
    assert changed.status_code == 422
    assert changed.json()["error"] == "idempotency_key_reused"


async def test_concurrent_checkouts_with_one_key_create_one_session(client: Client) -> None:
    owner = await client.actor()
    headers = {**owner.headers(), "Idempotency-Key": "same-key"}
    responses = await asyncio.gather(
        *[client.post("/api/v1/billing/checkout", json=CHECKOUT, headers=headers) for _ in range(5)]
    )
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["session_id"] for r in responses}) == 1


async def test_portal_changes_and_cancels_plan(client: Client) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "PRO")
    response = await client.post(
        "/api/v1/billing/portal",
        json={"return_url": "http://localhost:3000/billing"},
        headers=owner.headers(),
    )
    assert response.status_code == 200
    portal = response.json()
    assert portal["portal_url"].startswith("http://testserver/_local/pay/portal/")
    path = httpx.URL(portal["portal_url"]).path
    page = await client.get(path)
    assert page.status_code == 200
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()

    changed = await client.post(
        path,
        data={
            "action": "change",
            "subscription_id": sub["provider_subscription_id"],
            "plan": "TEAM",
        },
    )
    assert changed.status_code == 303
    assert changed.headers["location"] == "http://localhost:3000/billing"
    team = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert team["plan_type"] == "TEAM"

    cancelled = await client.post(
        path, data={"action": "cancel", "subscription_id": sub["provider_subscription_id"]}
    )
    assert cancelled.status_code == 303
    free = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert free["plan_type"] == "FREE"
    assert free["status"] == "canceled"


async def test_webhook_with_bad_signature_is_refused(client: Client) -> None:
    owner = await client.actor()
    evt = event(
        "customer.subscription.updated",
        {
            "id": "sub_x",
            "metadata": {"org_id": str(owner.org_id), "plan": "TEAM"},
            "status": "active",
        },
    )
    response = await client.send_event(evt, secret="whsec_wrong_" + "a" * 32)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_signature"
    unsigned = await client.post("/api/v1/billing/webhook/stripe", json=evt)
    assert unsigned.status_code == 400
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "FREE"


async def test_webhook_with_stale_signature_is_refused(client: Client) -> None:
    owner = await client.actor()
    evt = event(
        "customer.subscription.updated",
        {
            "id": "sub_x",
            "metadata": {"org_id": str(owner.org_id), "plan": "TEAM"},
            "status": "active",
        },
    )
    response = await client.send_event(evt, timestamp=int(unix_time()) - 301)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_signature"


async def test_repeated_event_changes_nothing(client: Client) -> None:
    owner = await client.actor()
    obj = {
        "id": "sub_test_1",
        "object": "subscription",
        "status": "active",
        "metadata": {"org_id": str(owner.org_id), "plan": "TEAM"},
    }
    evt = event("customer.subscription.created", obj)
    first = await client.send_event(evt)
    assert first.status_code == 200
    assert first.json()["outcome"] == "processed"
    # The org downgrades in between; a replay of the old event must not upgrade it again.
    cancel = event("customer.subscription.deleted", {**obj, "status": "canceled"})
    assert (await client.send_event(cancel)).json()["outcome"] == "processed"
    replay = await client.send_event(evt)
    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "FREE"


async def test_out_of_order_events_keep_the_newest_state(client: Client) -> None:
    owner = await client.actor()
    obj = {
        "id": "sub_test_2",
        "object": "subscription",
        "status": "active",
        "metadata": {"org_id": str(owner.org_id), "plan": "TEAM"},
    }
    now = int(unix_time())
    newer = event("customer.subscription.updated", obj, created=now)
    older = event(
        "customer.subscription.updated",
        {**obj, "metadata": {**obj["metadata"], "plan": "PRO"}},
        created=now - 60,
    )
    assert (await client.send_event(newer)).json()["outcome"] == "processed"
    assert (await client.send_event(older)).json()["outcome"] == "stale"
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "TEAM"


async def test_invoice_payment_failed_marks_past_due(client: Client) -> None:
    owner = await client.actor()
    await client.pay_for(owner, "PRO")
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    failed = event(
        "invoice.payment_failed",
        {"id": "in_1", "object": "invoice", "subscription": sub["provider_subscription_id"]},
        created=int(unix_time()) + 5,
    )
    response = await client.send_event(failed)
    assert response.json()["outcome"] == "processed"
    after = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert after["status"] == "past_due"
    assert after["plan_type"] == "PRO"  # still entitled while the card is retried
    paid = event(
        "invoice.paid",
        {"id": "in_2", "object": "invoice", "subscription": sub["provider_subscription_id"]},
        created=int(unix_time()) + 10,
    )
    await client.send_event(paid)
    again = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert again["status"] == "active"


async def test_unknown_event_type_is_acknowledged(client: Client) -> None:
    response = await client.send_event(event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"


class TestLinksFromTheRequestOrigin:
    """Without PUBLIC_URL, the checkout link points where the app was reached."""

    @pytest.fixture
    def settings_overrides(self) -> dict[str, object]:
        return {"public_url": ""}

    async def test_checkout_url_uses_the_request_host(self, client: Client) -> None:
        owner = await client.actor()
        response = await client.post(
            "/api/v1/billing/checkout",
            json=CHECKOUT,
            headers={**owner.headers(), "Host": "billing.example:9000"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["checkout_url"].startswith(
            "http://billing.example:9000/_local/pay/checkout/cs_local_"
        )
