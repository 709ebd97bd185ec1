"""Money and events at most once, under concurrency."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from tests.saas.helpers import Client, event
from trident.apps.saas.models import LocalPaymentObject, WebhookEvent
from trident.core.clock import unix_time


async def count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with app.state.runtime.unit_of_work(write=False) as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)))


async def test_one_event_delivered_five_times_at_once_applies_once(app, client: Client) -> None:
    owner = await client.actor()
    evt = event(
        "customer.subscription.created",
        {
            "id": "sub_storm",
            "status": "active",
            "metadata": {"org_id": str(owner.org_id), "plan": "TEAM"},
        },
    )
    responses = await asyncio.gather(*[client.send_event(evt) for _ in range(5)])
    assert [r.status_code for r in responses] == [200] * 5
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes == ["duplicate"] * 4 + ["processed"]
    assert await count(app, WebhookEvent, WebhookEvent.event_id == evt["id"]) == 1
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "TEAM"


async def test_a_storm_of_late_and_repeated_events_keeps_the_newest_state(client: Client) -> None:
    owner = await client.actor()
    now = int(unix_time())

    def update(plan: str, created: int) -> dict:  # type: ignore[type-arg]
        obj = {"id": "sub_o", "status": "active", "metadata": {"org_id": str(owner.org_id)}}
        obj["metadata"]["plan"] = plan
        return event("customer.subscription.updated", obj, created=created)

    newest = update("TEAM", now)
    storm = [update("PRO", now - 30), newest, update("PRO", now - 10), newest, newest]
    responses = await asyncio.gather(*[client.send_event(e) for e in storm])
    assert all(r.status_code == 200 for r in responses)
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "TEAM"


async def test_paying_twice_at_once_on_one_checkout_charges_once(app, client: Client) -> None:
    owner = await client.actor()
    checkout = await client.post(
        "/api/v1/billing/checkout",
        json={
            "plan_type": "PRO",
            "success_url": "http://localhost:3000/ok",
            "cancel_url": "http://localhost:3000/no",
        },
        headers=owner.headers(),
    )
    path = httpx.URL(checkout.json()["checkout_url"]).path
    first, second = await asyncio.gather(
        client.post(path, data={"action": "pay"}), client.post(path, data={"action": "pay"})
    )
    assert sorted([first.status_code, second.status_code]) == [303, 409]
    assert (
        await count(app, LocalPaymentObject, LocalPaymentObject.object_type == "subscription") == 1
    )
    assert (
        await count(app, LocalPaymentObject, LocalPaymentObject.object_type == "payment_intent")
        == 1
    )
    sub = (await client.get("/api/v1/billing/subscription", headers=owner.headers())).json()
    assert sub["plan_type"] == "PRO"
