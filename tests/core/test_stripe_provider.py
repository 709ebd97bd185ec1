"""The Stripe provider through the official SDK, against a fake Stripe over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.server import serving
from tests.fakes.stripe import FakeStripe
from trident.core.payments import LineItem, PaymentError, StripePaymentProvider


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeStripe, StripePaymentProvider]]:
    stripe = FakeStripe()
    async with serving(stripe.app()) as base:
        yield stripe, StripePaymentProvider("sk_test_fake", api_base=base, max_network_retries=0)


async def test_customer_creation_sends_idempotency_key(fake) -> None:
    stripe, provider = fake
    first = await provider.create_customer(
        email="a@example.com", metadata={"org_id": "3"}, idempotency_key="org-3-customer"
    )
    second = await provider.create_customer(email="a@example.com", idempotency_key="org-3-customer")
    assert first == second
    assert first.startswith("cus_fake")
    sent = stripe.requests[0]
    assert (sent.method, sent.path, sent.idempotency_key) == (
        "POST",
        "/v1/customers",
        "org-3-customer",
    )
    assert sent.form["metadata[org_id]"] == "3"


async def test_subscription_checkout_sends_inline_recurring_price(fake) -> None:
    stripe, provider = fake
    session = await provider.create_checkout_session(
        customer_id="cus_1",
        mode="subscription",
        line_items=[LineItem("Pro plan", 2900, recurring_interval="month")],
        success_url="http://front.test/ok",
        cancel_url="http://front.test/no",
        metadata={"org_id": "1"},
        subscription_metadata={"org_id": "1", "plan": "PRO"},
    )
    assert session.url.startswith("https://checkout.stripe.test/cs_fake")
    assert (session.amount_total, session.metadata) == (2900, {"org_id": "1"})
    form = stripe.requests[0].form
    assert form["line_items[0][price_data][recurring][interval]"] == "month"
    assert form["line_items[0][price_data][product_data][name]"] == "Pro plan"
    assert form["subscription_data[metadata][plan]"] == "PRO"
    assert form["customer"] == "cus_1"


async def test_configured_price_id_is_used_instead_of_inline_price(fake) -> None:
    stripe, provider = fake
    await provider.create_checkout_session(
        customer_id=None,
        mode="subscription",
        line_items=[LineItem("Team", 9900, recurring_interval="month", price_id="price_team")],
        success_url="http://front.test/ok",
        cancel_url="http://front.test/no",
        customer_email="b@example.com",
    )
    form = stripe.requests[0].form
    assert form["line_items[0][price]"] == "price_team"
    assert "line_items[0][price_data][unit_amount]" not in form
    assert form["customer_email"] == "b@example.com"


async def test_card_error_becomes_payment_error_402(fake) -> None:
    _, provider = fake
    with pytest.raises(PaymentError) as declined:
        await provider.create_payment_intent(amount=402, currency="usd")
    assert (declined.value.status, declined.value.code) == (402, "card_declined")
    assert declined.value.message == "Your card was declined."


async def test_missing_intent_is_404(fake) -> None:
    _, provider = fake
    with pytest.raises(PaymentError) as missing:
        await provider.retrieve_payment_intent("pi_nope")
    assert (missing.value.status, missing.value.code) == (404, "resource_missing")


async def test_payment_intent_and_refund_round_trip(fake) -> None:
    stripe, provider = fake
    intent = await provider.create_payment_intent(
        amount=47_125, currency="usd", metadata={"booking": "BK-2026-00001"}, idempotency_key="k1"
    )
    fetched = await provider.retrieve_payment_intent(intent.id)
    refund = await provider.create_refund(
        payment_intent_id=intent.id, amount=1000, reason="requested_by_customer"
    )
    assert fetched.client_secret == f"{intent.id}_secret_x"
    assert (refund.payment_intent_id, refund.amount, refund.status) == (
        intent.id,
        1000,
        "succeeded",
    )
    assert stripe.requests[0].form["automatic_payment_methods[enabled]"] == "true"
    assert stripe.requests[-1].form["reason"] == "requested_by_customer"


async def test_unreachable_stripe_is_a_502() -> None:
    provider = StripePaymentProvider(
        "sk_test", api_base="http://127.0.0.1:9", max_network_retries=0
    )
    with pytest.raises(PaymentError) as down:
        await provider.create_customer(email="x@example.com")
    assert (down.value.status, down.value.code) == (502, "provider_unavailable")


async def test_a_card_token_is_charged_and_confirmed_at_once(fake) -> None:
    stripe, provider = fake
    intent = await provider.charge_card(
        amount=2999, currency="usd", card_token="tok_visa", idempotency_key="checkout-1"
    )
    assert (intent.status, intent.amount_received) == ("succeeded", 2999)
    sent = stripe.requests[-1]
    assert sent.idempotency_key == "checkout-1"
    assert sent.form["confirm"] == "true"
    assert sent.form["payment_method_data[card][token]"] == "tok_visa"
    assert sent.form["automatic_payment_methods[allow_redirects]"] == "never"


async def test_a_declined_card_token_is_a_402_with_its_decline_code(fake) -> None:
    _stripe, provider = fake
    with pytest.raises(PaymentError) as declined:
        await provider.charge_card(amount=2999, currency="usd", card_token="tok_chargeDeclined")
    assert (declined.value.status, declined.value.code) == (402, "card_declined")
    assert declined.value.decline_code == "generic_decline"
