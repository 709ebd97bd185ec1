"""The payment provider interface every app codes against.

Two implementations: ``local`` (an embedded, offline stand-in that behaves like
Stripe, stores its objects in the app's database and serves hosted pages) and
``stripe`` (the official SDK).  Amounts are integer minor units (cents).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

CheckoutMode = Literal["subscription", "payment"]


class PaymentError(Exception):
    """The provider refused or failed an operation (card declined, bad id, network)."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "payment_error",
        status: int = 402,
        decline_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        #: the card network's reason for a declined card (Stripe's ``decline_code``)
        self.decline_code = decline_code


@dataclass(frozen=True, slots=True)
class LineItem:
    name: str
    unit_amount: int
    currency: str = "usd"
    quantity: int = 1
    #: "month" / "year" for a subscription price, None for a one-off payment
    recurring_interval: str | None = None
    #: a provider price id to use instead of inline price data (Stripe dashboards)
    price_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlanOption:
    """A plan the customer may switch to in the (local) billing portal."""

    key: str
    name: str
    unit_amount: int
    currency: str = "usd"
    interval: str = "month"
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open | complete | expired
    mode: CheckoutMode
    customer_id: str | None
    amount_total: int
    currency: str
    subscription_id: str | None = None
    payment_intent_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PortalSession:
    id: str
    url: str


@dataclass(frozen=True, slots=True)
class PaymentIntent:
    id: str
    client_secret: str
    amount: int
    currency: str
    status: str  # requires_payment_method | succeeded | canceled ...
    customer_id: str | None = None
    amount_received: int = 0
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Refund:
    id: str
    payment_intent_id: str
    amount: int
    currency: str
    status: str  # succeeded | pending | failed


class PaymentProvider(Protocol):
    """What services call. ``bind(session)`` gives the instance to use in a unit of work:
    the local provider writes its objects through that session (one transaction,
    no second SQLite writer); Stripe ignores it and returns itself."""

    name: str

    def bind(self, session: AsyncSession) -> PaymentProvider: ...

    async def create_customer(
        self,
        *,
        email: str,
        name: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> str: ...

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
    ) -> CheckoutSession: ...

    async def create_portal_session(
        self, *, customer_id: str, return_url: str, plan_options: list[PlanOption]
    ) -> PortalSession: ...

    async def create_payment_intent(
        self,
        *,
        amount: int,
        currency: str,
        customer_id: str | None = None,
        description: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> PaymentIntent: ...

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
        """Charge a card token (``tok_...``) now: a confirmed PaymentIntent that has
        succeeded, or ``PaymentError`` (402 for a declined card)."""
        ...

    async def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntent: ...

    async def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount: int | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> Refund: ...

    async def cancel_subscription(self, subscription_id: str) -> None: ...


def describe(obj: Any) -> str:
    return f"{type(obj).__name__}({getattr(obj, 'id', '?')})"
