"""The ``local`` payment provider: an offline stand-in that behaves like Stripe.

Its objects (customers, checkout sessions, subscriptions, payment intents,
refunds, portal sessions) are Stripe-shaped JSON documents in the app's own
table, written through the caller's session so they commit or vanish with the
request.  Hosted pages (:mod:`trident.core.payments.local_pages`) stand in for
Stripe Checkout and the billing portal; what happens there produces the same
events Stripe would send, signed with the webhook secret and delivered after the
commit to the app's webhook handler.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from trident.core.clock import unix_time, utcnow
from trident.core.db.base import UTCDateTime
from trident.core.db.session import after_commit
from trident.core.payments.base import (
    CheckoutMode,
    CheckoutSession,
    LineItem,
    PaymentError,
    PaymentIntent,
    PlanOption,
    PortalSession,
    Refund,
)
from trident.core.payments.signature import sign_payload

log = logging.getLogger("trident.payments.local")

Deliver = Callable[[bytes, str], Awaitable[None]]

CHECKOUT_TTL = timedelta(hours=24)
PORTAL_TTL = timedelta(hours=1)
BILLING_PERIOD = timedelta(days=30)
LIVE_SUBSCRIPTION = ("active", "past_due", "trialing")
#: Stripe's test card tokens (docs.stripe.com/testing): these charge successfully...
TEST_TOKENS_SUCCEEDING = frozenset(
    {"tok_visa", "tok_visa_debit", "tok_mastercard", "tok_mastercard_debit",
     "tok_mastercard_prepaid", "tok_amex", "tok_discover", "tok_diners", "tok_jcb",
     "tok_unionpay", "tok_bypassPending"}
)  # fmt: skip
#: ...and these are declined, with Stripe's decline code
TEST_TOKENS_DECLINED = {
    "tok_chargeDeclined": "generic_decline",
    "tok_chargeDeclinedInsufficientFunds": "insufficient_funds",
    "tok_chargeDeclinedFraudulent": "fraudulent",
    "tok_chargeDeclinedIncorrectCvc": "incorrect_cvc",
    "tok_chargeDeclinedExpiredCard": "expired_card",
    "tok_chargeDeclinedProcessingError": "processing_error",
    "tok_chargeCustomerFail": "generic_decline",
}


class LocalPaymentObjectMixin:
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_type: Mapped[str] = mapped_column(String(32), nullable=False)
    customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    #: the caller's Idempotency-Key: the same key returns the same object
    idempotency_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow
    )

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            UniqueConstraint("object_type", "idempotency_key", name=f"uq_{name}_idempotency"),
            Index(f"ix_{name}_customer_type", "customer_id", "object_type"),
        )


def new_id(prefix: str) -> str:
    return f"{prefix}_local_{secrets.token_hex(12)}"


def money(amount: int, currency: str) -> str:
    """``2900, "usd"`` → ``"29.00 USD"`` (minor units to a display amount)."""
    return f"{amount / 100:,.2f} {currency.upper()}"


class LocalPaymentProvider:
    name = "local"

    def __init__(
        self,
        *,
        model: type[Any],
        deliver: Deliver,
        webhook_secret: str,
        public_url: str,
        session: AsyncSession | None = None,
    ) -> None:
        self.model = model
        self.deliver = deliver
        self.webhook_secret = webhook_secret
        self.public_url = public_url.rstrip("/")
        self._session = session

    # -- plumbing ------------------------------------------------------------------
    def bind(self, session: AsyncSession) -> LocalPaymentProvider:
        return LocalPaymentProvider(
            model=self.model,
            deliver=self.deliver,
            webhook_secret=self.webhook_secret,
            public_url=self.public_url,
            session=session,
        )

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("bind(session) the local payment provider before using it")
        return self._session

    def page_url(self, kind: str, object_id: str) -> str:
        """Absolute with ``PUBLIC_URL``; else a path the app makes absolute against
        the request's origin (core/urls.py)."""
        return f"{self.public_url}/_local/pay/{kind}/{object_id}"

    async def get(self, object_id: str, object_type: str, *, lock: bool = False) -> Any | None:
        """An object by id; ``lock`` holds its row until commit (PostgreSQL), so two
        concurrent payments or refunds of one object are applied one after the other."""
        query = select(self.model).where(
            self.model.id == object_id, self.model.object_type == object_type
        )
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def _create(
        self,
        object_type: str,
        prefix: str,
        data: dict[str, Any],
        *,
        customer_id: str | None = None,
        status: str = "",
        idempotency_key: str | None = None,
    ) -> tuple[Any, bool]:
        """Insert a new object, or return the one this idempotency key already made."""
        if idempotency_key:
            existing = await self.session.scalar(
                select(self.model).where(
                    self.model.object_type == object_type,
                    self.model.idempotency_key == idempotency_key,
                )
            )
            if existing is not None:
                return existing, False
        object_id = new_id(prefix)
        document = {"id": object_id, "object": object_type, "created": int(unix_time()), **data}
        row = self.model(
            id=object_id,
            object_type=object_type,
            customer_id=customer_id,
            status=status,
            idempotency_key=idempotency_key,
            data=document,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            # A concurrent request with the same key won the insert; return its object.
            winner = await self.session.scalar(
                select(self.model).where(
                    self.model.object_type == object_type,
                    self.model.idempotency_key == idempotency_key,
                )
            )
            if winner is None:
                raise
            return winner, False
        return row, True

    def update(self, row: Any, **changes: Any) -> None:
        """Change a document (a new dict, so the JSON column sees the change)."""
        row.data = {**row.data, **changes}
        if "status" in changes:
            row.status = changes["status"]

    def emit(self, event_type: str, obj: dict[str, Any]) -> None:
        """Sign an event and deliver it to the app once this transaction commits."""
        event = {
            "id": new_id("evt"),
            "object": "event",
            "type": event_type,
            "created": int(unix_time()),
            "livemode": False,
            "api_version": "local",
            "data": {"object": obj},
        }
        payload = json.dumps(event, separators=(",", ":")).encode()
        signature = sign_payload(payload, self.webhook_secret)

        async def deliver() -> None:
            await self.deliver(payload, signature)

        after_commit(self.session, deliver)

    # -- the PaymentProvider interface ----------------------------------------------
    async def create_customer(
        self,
        *,
        email: str,
        name: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        row, _ = await self._create(
            "customer",
            "cus",
            {"email": email, "name": name, "metadata": metadata or {}},
            idempotency_key=idempotency_key,
        )
        row.customer_id = row.id
        return str(row.id)

    async def create_checkout_session(
        self,
        *,
        customer_id: str | None,
        mode: CheckoutMode,
        line_items: list[LineItem],
        success_url: str,
        cancel_url: str,
        metadata: dict[str, str] | None = None,
        subscription_metadata: dict[str, str] | None = None,
        customer_email: str | None = None,
        idempotency_key: str | None = None,
    ) -> CheckoutSession:
        if not line_items:
            raise PaymentError("A checkout needs at least one line item.", code="invalid_request")
        currencies = {item.currency.lower() for item in line_items}
        if len(currencies) != 1:
            raise PaymentError("Line items must share one currency.", code="invalid_request")
        items = [
            {
                "name": item.name,
                "unit_amount": item.unit_amount,
                "currency": item.currency.lower(),
                "quantity": item.quantity,
                "recurring": {"interval": item.recurring_interval}
                if item.recurring_interval
                else None,
                "price_id": item.price_id,
                "metadata": dict(item.metadata),
            }
            for item in line_items
        ]
        total = sum(item.unit_amount * item.quantity for item in line_items)
        row, created = await self._create(
            "checkout.session",
            "cs",
            {
                "mode": mode,
                "status": "open",
                "payment_status": "unpaid",
                "customer": customer_id,
                "customer_email": customer_email,
                "amount_total": total,
                "currency": currencies.pop(),
                "line_items": items,
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": metadata or {},
                "subscription_metadata": subscription_metadata or {},
                "subscription": None,
                "payment_intent": None,
                "expires_at": int(unix_time() + CHECKOUT_TTL.total_seconds()),
            },
            customer_id=customer_id,
            status="open",
            idempotency_key=idempotency_key,
        )
        if created:
            self.update(row, url=self.page_url("checkout", row.id))
        return checkout_of(row.data)

    async def create_portal_session(
        self, *, customer_id: str, return_url: str, plan_options: list[PlanOption]
    ) -> PortalSession:
        row, _ = await self._create(
            "billing_portal.session",
            "bps",
            {
                "customer": customer_id,
                "return_url": return_url,
                "plan_options": [
                    {
                        "key": o.key,
                        "name": o.name,
                        "unit_amount": o.unit_amount,
                        "currency": o.currency,
                        "interval": o.interval,
                        "metadata": dict(o.metadata),
                    }
                    for o in plan_options
                ],
                "expires_at": int(unix_time() + PORTAL_TTL.total_seconds()),
            },
            customer_id=customer_id,
            status="open",
        )
        url = self.page_url("portal", row.id)
        self.update(row, url=url)
        return PortalSession(id=row.id, url=url)

    async def create_payment_intent(
        self,
        *,
        amount: int,
        currency: str,
        customer_id: str | None = None,
        description: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentIntent:
        if amount < 50:
            raise PaymentError(
                "Amount must be at least 50 minor units.", code="amount_too_small", status=400
            )
        row, created = await self._create(
            "payment_intent",
            "pi",
            {
                "amount": amount,
                "currency": currency.lower(),
                "customer": customer_id,
                "description": description,
                "metadata": metadata or {},
                "status": "requires_payment_method",
                "amount_received": 0,
                "amount_refunded": 0,
            },
            customer_id=customer_id,
            status="requires_payment_method",
            idempotency_key=idempotency_key,
        )
        if created:
            self.update(
                row,
                client_secret=f"{row.id}_secret_{secrets.token_hex(12)}",
                next_action={"redirect_to_url": {"url": self.page_url("payment_intents", row.id)}},
            )
        return payment_intent_of(row.data)

    async def charge_card(
        self,
        *,
        amount: int,
        currency: str,
        card_token: str,
        description: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentIntent:
        """Charge one of Stripe's test tokens as Stripe's test mode does: a succeeding
        token pays at once, a declining one is refused (402) and nothing is kept."""
        decline = TEST_TOKENS_DECLINED.get(card_token)
        if decline is not None:
            raise PaymentError(
                "Your card was declined.", code="card_declined", status=402, decline_code=decline
            )
        if card_token not in TEST_TOKENS_SUCCEEDING:
            raise PaymentError(
                f"No such token: '{card_token[:40]}'. The local provider accepts Stripe's test "
                "tokens, such as tok_visa.",
                code="token_invalid",
                status=400,
            )
        intent = await self.create_payment_intent(
            amount=amount,
            currency=currency,
            description=description,
            metadata=metadata,
            idempotency_key=idempotency_key,
        )
        row = await self.get(intent.id, "payment_intent", lock=True)
        assert row is not None
        if row.status != "succeeded":  # a replayed idempotency key finds it paid already
            self.update(row, payment_method=f"pm_card_{card_token.removeprefix('tok_')}")
            self.pay_payment_intent(row)
        return payment_intent_of(row.data)

    async def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntent:
        row = await self.get(payment_intent_id, "payment_intent")
        if row is None:
            raise PaymentError(
                f"No such payment intent: {payment_intent_id}", code="resource_missing", status=404
            )
        return payment_intent_of(row.data)

    async def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount: int | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> Refund:
        if idempotency_key:
            existing = await self.session.scalar(
                select(self.model).where(
                    self.model.object_type == "refund",
                    self.model.idempotency_key == idempotency_key,
                )
            )
            if existing is not None:
                return refund_of(existing.data)
        intent = await self.get(payment_intent_id, "payment_intent", lock=True)
        if intent is None:
            raise PaymentError(
                f"No such payment intent: {payment_intent_id}", code="resource_missing", status=404
            )
        if intent.status != "succeeded":
            raise PaymentError(
                "Only a succeeded payment can be refunded.", code="charge_not_paid", status=400
            )
        refundable = intent.data["amount_received"] - intent.data.get("amount_refunded", 0)
        value = refundable if amount is None else amount
        if value <= 0 or value > refundable:
            raise PaymentError(
                f"The refund must be between 1 and {refundable} minor units.",
                code="amount_too_large",
                status=400,
            )
        row, _ = await self._create(
            "refund",
            "re",
            {
                "payment_intent": payment_intent_id,
                "amount": value,
                "currency": intent.data["currency"],
                "reason": reason,
                "status": "succeeded",
            },
            customer_id=intent.customer_id,
            status="succeeded",
            idempotency_key=idempotency_key,
        )
        refunded = intent.data.get("amount_refunded", 0) + value
        self.update(intent, amount_refunded=refunded)
        self.emit(
            "charge.refunded",
            {
                "id": "ch_" + payment_intent_id.removeprefix("pi_"),
                "object": "charge",
                "payment_intent": payment_intent_id,
                "amount": intent.data["amount"],
                "amount_captured": intent.data["amount_received"],
                "amount_refunded": refunded,
                "refunded": refunded >= intent.data["amount_received"],
                "currency": intent.data["currency"],
                "customer": intent.customer_id,
                "metadata": intent.data.get("metadata", {}),
            },
        )
        return refund_of(row.data)

    async def cancel_subscription(self, subscription_id: str) -> None:
        row = await self.get(subscription_id, "subscription", lock=True)
        if row is None:
            raise PaymentError(
                f"No such subscription: {subscription_id}", code="resource_missing", status=404
            )
        self.end_subscription(row)

    # -- what the hosted pages do ----------------------------------------------------
    async def pay_checkout(self, session_row: Any) -> str:
        """The customer paid: complete the session and emit what Stripe would."""
        data = session_row.data
        if data["status"] != "open":
            raise PaymentError("This checkout session is no longer open.", code="session_closed")
        if data["expires_at"] < unix_time():
            self.update(session_row, status="expired")
            raise PaymentError("This checkout session has expired.", code="session_expired")
        intent_row, _ = await self._create(
            "payment_intent",
            "pi",
            {
                "amount": data["amount_total"],
                "currency": data["currency"],
                "customer": data["customer"],
                "description": ", ".join(item["name"] for item in data["line_items"]),
                "metadata": data["metadata"],
                "status": "succeeded",
                "amount_received": data["amount_total"],
                "amount_refunded": 0,
                "client_secret": f"pi_secret_{secrets.token_hex(12)}",
            },
            customer_id=data["customer"],
            status="succeeded",
        )
        subscription = None
        if data["mode"] == "subscription":
            subscription = await self._start_subscription(data)
        self.update(
            session_row,
            status="complete",
            payment_status="paid",
            payment_intent=intent_row.id,
            subscription=subscription["id"] if subscription else None,
        )
        self.emit("checkout.session.completed", session_row.data)
        if subscription is not None:
            self.emit("customer.subscription.created", subscription)
            self.emit(
                "invoice.paid",
                {
                    "id": new_id("in"),
                    "object": "invoice",
                    "customer": data["customer"],
                    "subscription": subscription["id"],
                    "amount_paid": data["amount_total"],
                    "currency": data["currency"],
                    "status": "paid",
                    "payment_intent": intent_row.id,
                },
            )
        else:
            self.emit("payment_intent.succeeded", intent_row.data)
        return str(data["success_url"]).replace("{CHECKOUT_SESSION_ID}", session_row.id)

    async def _start_subscription(self, checkout: dict[str, Any]) -> dict[str, Any]:
        now = int(unix_time())
        end = now + int(BILLING_PERIOD.total_seconds())
        items = [
            {
                "id": new_id("si"),
                "object": "subscription_item",
                "quantity": item["quantity"],
                "current_period_start": now,
                "current_period_end": end,
                "price": {
                    "id": item["price_id"] or new_id("price"),
                    "object": "price",
                    "unit_amount": item["unit_amount"],
                    "currency": item["currency"],
                    "recurring": item["recurring"],
                    "metadata": item["metadata"],
                    "product": {"name": item["name"]},
                },
            }
            for item in checkout["line_items"]
            if item["recurring"]
        ]
        row, _ = await self._create(
            "subscription",
            "sub",
            {
                "customer": checkout["customer"],
                "status": "active",
                "metadata": checkout["subscription_metadata"],
                "items": {"object": "list", "data": items},
                "current_period_start": now,
                "current_period_end": end,
                "cancel_at_period_end": False,
                "canceled_at": None,
            },
            customer_id=checkout["customer"],
            status="active",
        )
        return dict(row.data)

    def decline_payment_intent(self, intent_row: Any) -> None:
        error = {"code": "card_declined", "message": "Your card was declined."}
        self.update(intent_row, status="requires_payment_method", last_payment_error=error)
        self.emit("payment_intent.payment_failed", intent_row.data)

    def pay_payment_intent(self, intent_row: Any) -> None:
        if intent_row.status == "succeeded":
            raise PaymentError("This payment has already succeeded.", code="already_paid")
        if intent_row.status == "canceled":
            raise PaymentError("This payment was canceled.", code="payment_canceled")
        self.update(
            intent_row,
            status="succeeded",
            amount_received=intent_row.data["amount"],
            last_payment_error=None,
        )
        self.emit("payment_intent.succeeded", intent_row.data)

    async def live_subscriptions(self, customer_id: str, *, lock: bool = False) -> list[Any]:
        query = (
            select(self.model)
            .where(
                self.model.customer_id == customer_id,
                self.model.object_type == "subscription",
                self.model.status.in_(LIVE_SUBSCRIPTION),
            )
            .order_by(self.model.created_at)
        )
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return list(await self.session.scalars(query))

    def change_subscription_plan(self, sub_row: Any, option: dict[str, Any]) -> None:
        items = list(sub_row.data["items"]["data"])
        first = dict(items[0]) if items else {"id": new_id("si"), "quantity": 1}
        first["price"] = {
            "id": new_id("price"),
            "object": "price",
            "unit_amount": option["unit_amount"],
            "currency": option["currency"],
            "recurring": {"interval": option["interval"]},
            "metadata": option["metadata"],
            "product": {"name": option["name"]},
        }
        self.update(sub_row, items={"object": "list", "data": [first, *items[1:]]})
        self.emit("customer.subscription.updated", sub_row.data)

    def end_subscription(self, sub_row: Any) -> None:
        if sub_row.status == "canceled":
            return
        self.update(sub_row, status="canceled", canceled_at=int(unix_time()))
        self.emit("customer.subscription.deleted", sub_row.data)


def checkout_of(data: dict[str, Any]) -> CheckoutSession:
    return CheckoutSession(
        id=data["id"],
        url=data["url"],
        status=data["status"],
        mode=data["mode"],
        customer_id=data["customer"],
        amount_total=data["amount_total"],
        currency=data["currency"],
        subscription_id=data.get("subscription"),
        payment_intent_id=data.get("payment_intent"),
        metadata=dict(data.get("metadata") or {}),
    )


def payment_intent_of(data: dict[str, Any]) -> PaymentIntent:
    return PaymentIntent(
        id=data["id"],
        client_secret=data["client_secret"],
        amount=data["amount"],
        currency=data["currency"],
        status=data["status"],
        customer_id=data.get("customer"),
        amount_received=data.get("amount_received", 0),
        metadata=dict(data.get("metadata") or {}),
    )


def refund_of(data: dict[str, Any]) -> Refund:
    return Refund(
        id=data["id"],
        payment_intent_id=data["payment_intent"],
        amount=data["amount"],
        currency=data["currency"],
        status=data["status"],
    )
