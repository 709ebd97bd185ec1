"""The saas app in production mode: Stripe and an OpenAI-compatible endpoint configured,
each a fake server reached through the official SDK."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.openai import ANSWERING_MODEL, FakeOpenAI
from tests.fakes.server import serving
from tests.fakes.stripe import FakeStripe
from tests.saas.helpers import Client


@pytest.fixture
async def stripe() -> AsyncIterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    async with serving(fake.app()) as base:
        yield fake, base


@pytest.fixture
async def openai() -> AsyncIterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    async with serving(fake.app()) as base:
        yield fake, base


@pytest.fixture
def settings_overrides(stripe, openai) -> dict[str, object]:
    return {
        "stripe_secret_key": "sk_test_" + "f" * 32,
        "stripe_api_base": stripe[1],
        "openai_api_key": "sk-test",
        "openai_base_url": openai[1] + "/v1",
        "openai_model": "gpt-4o-mini",
    }


async def test_register_creates_the_stripe_customer(client: Client, stripe) -> None:
    fake, _ = stripe
    user = await client.register("stripe-user@example.com")
    assert user["stripe_customer_id"].startswith("cus_fake")
    assert fake.requests[0].form["email"] == "stripe-user@example.com"


async def test_checkout_goes_to_stripe_with_the_idempotency_key(client: Client, stripe) -> None:
    fake, _ = stripe
    owner = await client.actor()
    response = await client.post(
        "/api/v1/billing/checkout",
        json={
            "plan_type": "TEAM",
            "success_url": "http://localhost:3000/ok",
            "cancel_url": "http://localhost:3000/no",
        },
        headers={**owner.headers(), "Idempotency-Key": "team-1"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["provider"] == "stripe"
    assert body["checkout_url"].startswith("https://checkout.stripe.test/cs_fake")
    sent = next(r for r in fake.requests if r.path == "/v1/checkout/sessions")
    assert sent.idempotency_key == f"saas-org-{owner.org_id}-checkout-team-1"
    assert sent.form["line_items[0][price_data][unit_amount]"] == "9900"
    assert sent.form["subscription_data[metadata][plan]"] == "TEAM"


async def test_chat_names_the_model_that_really_answered(client: Client) -> None:
    owner = await client.actor()
    models = (await client.get("/api/v1/ai/models", headers=owner.headers())).json()
    assert [m["id"] for m in models if m["default"]] == ["gpt-4o-mini"]
    response = await client.post(
        "/api/v1/ai/chat", json={"message": "Hello"}, headers=owner.headers()
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["model"], body["provider"], body["fallback"]) == (ANSWERING_MODEL, "openai", False)
    assert body["usage"]["total_tokens"] == 18
