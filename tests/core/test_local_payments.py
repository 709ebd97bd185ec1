"""The local provider end to end against a real database: objects, events, refunds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from trident.core.db.base import make_base
from trident.core.db.engine import Database
from trident.core.db.session import unit_of_work
from trident.core.payments import (
    LineItem,
    LocalPaymentObjectMixin,
    LocalPaymentProvider,
    PaymentError,
    verify_signature,
)

Base = make_base()
SECRET = "whsec_local_" + "k" * 32


class PaymentObject(LocalPaymentObjectMixin, Base):
    __tablename__ = "payment_objects"


class Inbox:
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def __call__(self, payload: bytes, signature: str) -> None:
        self.events.append(verify_signature(payload, signature, SECRET))

    @property
    def types(self) -> list[str]:
        return [e["type"] for e in self.events]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/pay.db")
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def provider(inbox: Inbox) -> LocalPaymentProvider:
    return LocalPaymentProvider(
        model=PaymentObject, deliver=inbox, webhook_secret=SECRET, public_url="http://app.test/"
    )


async def test_unbound_provider_refuses_to_work(provider: LocalPaymentProvider) -> None:
    with pytest.raises(RuntimeError, match="bind"):
        await provider.create_customer(email="a@example.com")


async def test_idempotency_key_returns_the_same_payment_intent(
    db: Database, provider: LocalPaymentProvider
) -> None:
    async with unit_of_work(db) as session:
        first = await provider.bind(session).create_payment_intent(
            amount=5000, currency="USD", idempotency_key="deposit-1"
        )
    async with unit_of_work(db) as session:
        again = await provider.bind(session).create_payment_intent(
            amount=5000, currency="usd", idempotency_key="deposit-1"
        )
        rows = (await session.scalars(select(PaymentObject))).all()
    assert again == first
    assert first.status == "requires_payment_method"
    assert first.currency == "usd"
    assert len(rows) == 1


async def test_paying_an_intent_emits_a_signed_event_after_commit(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        intent = await provider.bind(session).create_payment_intent(amount=12_550, currency="usd")
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        bound.pay_payment_intent(await bound.get(intent.id, "payment_intent"))
        assert inbox.events == []  # nothing is delivered before the commit
    assert inbox.types == ["payment_intent.succeeded"]
    obj = inbox.events[0]["data"]["object"]
    assert (obj["id"], obj["amount_received"], obj["status"]) == (intent.id, 12_550, "succeeded")


async def test_a_rolled_back_payment_delivers_nothing(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        intent = await provider.bind(session).create_payment_intent(amount=1000, currency="usd")
    with pytest.raises(ZeroDivisionError):
        async with unit_of_work(db) as session:
            bound = provider.bind(session)
            bound.pay_payment_intent(await bound.get(intent.id, "payment_intent"))
            _ = 1 / 0
    assert inbox.events == []
    async with unit_of_work(db) as session:
        again = await provider.bind(session).retrieve_payment_intent(intent.id)
    assert again.status == "requires_payment_method"


async def test_refunds_are_limited_to_what_was_received(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        intent = await bound.create_payment_intent(amount=10_000, currency="usd")
        with pytest.raises(PaymentError) as unpaid:
            await bound.create_refund(payment_intent_id=intent.id)
        assert unpaid.value.code == "charge_not_paid"
        bound.pay_payment_intent(await bound.get(intent.id, "payment_intent"))
        part = await bound.create_refund(payment_intent_id=intent.id, amount=4000)
        replay = await bound.create_refund(
            payment_intent_id=intent.id, amount=4000, idempotency_key="r-1"
        )
        same = await bound.create_refund(
            payment_intent_id=intent.id, amount=4000, idempotency_key="r-1"
        )
        with pytest.raises(PaymentError) as too_much:
            await bound.create_refund(payment_intent_id=intent.id, amount=2001)
    assert (part.amount, part.status) == (4000, "succeeded")
    assert same == replay
    assert too_much.value.status == 400
    assert "2000" in too_much.value.message
    refunded = [e for e in inbox.events if e["type"] == "charge.refunded"]
    assert [e["data"]["object"]["amount_refunded"] for e in refunded] == [4000, 8000]


async def test_paid_subscription_checkout_emits_stripe_event_sequence(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        customer = await bound.create_customer(email="c@example.com", name="C")
        checkout = await bound.create_checkout_session(
            customer_id=customer,
            mode="subscription",
            line_items=[LineItem("Pro plan", 2900, recurring_interval="month")],
            success_url="http://front.test/ok?session={CHECKOUT_SESSION_ID}",
            cancel_url="http://front.test/cancel",
            subscription_metadata={"org_id": "7"},
        )
    assert checkout.url == f"http://app.test/_local/pay/checkout/{checkout.id}"
    assert (checkout.amount_total, checkout.status) == (2900, "open")
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        target = await bound.pay_checkout(await bound.get(checkout.id, "checkout.session"))
    assert target == f"http://front.test/ok?session={checkout.id}"
    assert inbox.types == [
        "checkout.session.completed",
        "customer.subscription.created",
        "invoice.paid",
    ]
    sub = inbox.events[1]["data"]["object"]
    assert sub["customer"] == customer
    assert sub["metadata"] == {"org_id": "7"}
    assert sub["items"]["data"][0]["price"]["unit_amount"] == 2900
    assert inbox.events[2]["data"]["object"]["subscription"] == sub["id"]
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        with pytest.raises(PaymentError, match="no longer open"):
            await bound.pay_checkout(await bound.get(checkout.id, "checkout.session"))


async def test_mixed_currencies_are_refused(db: Database, provider: LocalPaymentProvider) -> None:
    async with unit_of_work(db) as session:
        with pytest.raises(PaymentError, match="currency"):
            await provider.bind(session).create_checkout_session(
                customer_id=None,
                mode="payment",
                line_items=[LineItem("a", 100, "usd"), LineItem("b", 100, "eur")],
                success_url="http://x.test",
                cancel_url="http://x.test",
            )


async def test_a_declined_card_emits_payment_failed(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        bound = provider.bind(session)
        intent = await bound.create_payment_intent(amount=100, currency="usd")
        bound.decline_payment_intent(await bound.get(intent.id, "payment_intent"))
    assert inbox.types == ["payment_intent.payment_failed"]
    failed = inbox.events[0]["data"]["object"]
    assert failed["last_payment_error"]["code"] == "card_declined"
    assert failed["status"] == "requires_payment_method"


async def test_cancelling_an_unknown_subscription_is_a_404(
    db: Database, provider: LocalPaymentProvider
) -> None:
    async with unit_of_work(db) as session:
        with pytest.raises(PaymentError) as missing:
            await provider.bind(session).cancel_subscription("sub_local_nope")
    assert (missing.value.status, missing.value.code) == (404, "resource_missing")


async def test_a_succeeding_test_token_pays_at_once(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    async with unit_of_work(db) as session:
        intent = await provider.bind(session).charge_card(
            amount=2999, currency="usd", card_token="tok_visa"
        )
    assert (intent.status, intent.amount_received) == ("succeeded", 2999)
    assert inbox.types == ["payment_intent.succeeded"]


async def test_a_declining_test_token_is_a_402_and_keeps_nothing(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    with pytest.raises(PaymentError) as declined:
        async with unit_of_work(db) as session:
            await provider.bind(session).charge_card(
                amount=2999, currency="usd", card_token="tok_chargeDeclinedInsufficientFunds"
            )
    async with unit_of_work(db) as session:
        rows = (await session.scalars(select(PaymentObject))).all()
    assert (declined.value.status, declined.value.code) == (402, "card_declined")
    assert declined.value.decline_code == "insufficient_funds"
    assert rows == [] and inbox.events == []


async def test_an_unknown_token_is_a_400(db: Database, provider: LocalPaymentProvider) -> None:
    with pytest.raises(PaymentError) as unknown:
        async with unit_of_work(db) as session:
            await provider.bind(session).charge_card(
                amount=2999, currency="usd", card_token="tok_xxx"
            )
    assert (unknown.value.status, unknown.value.code) == (400, "token_invalid")


async def test_a_repeated_charge_key_charges_once(
    db: Database, provider: LocalPaymentProvider, inbox: Inbox
) -> None:
    for _ in range(2):
        async with unit_of_work(db) as session:
            intent = await provider.bind(session).charge_card(
                amount=2999, currency="usd", card_token="tok_visa", idempotency_key="cart-7"
            )
    async with unit_of_work(db) as session:
        rows = (await session.scalars(select(PaymentObject))).all()
    assert len(rows) == 1 and intent.status == "succeeded"
    assert inbox.types == ["payment_intent.succeeded"]
