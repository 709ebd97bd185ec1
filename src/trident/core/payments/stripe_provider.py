"""Stripe through the official SDK (``StripeClient``, async methods over httpx).

``STRIPE_API_BASE`` points the SDK at another server (stripe-mock, a test
double); otherwise it talks to api.stripe.com.  Every create passes the caller's
idempotency key through, so a retried request cannot charge twice.
"""

from __future__ import annotations

from typing import Any

import stripe
from sqlalchemy.ext.asyncio import AsyncSession

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


def _options(idempotency_key: str | None) -> Any:
    return {"idempotency_key": idempotency_key} if idempotency_key else {}


def _failure(exc: stripe.StripeError) -> PaymentError:
    message = exc.user_message or str(exc) or "The payment provider refused the request."
    code = exc.code or "stripe_error"
    if isinstance(exc, stripe.CardError):
        decline = getattr(exc.error, "decline_code", None) if exc.error else None
        return PaymentError(message, code=code, status=402, decline_code=decline)
    if isinstance(exc, stripe.InvalidRequestError):
        status = 404 if code == "resource_missing" else 400
        return PaymentError(message, code=code, status=status)
    if isinstance(exc, stripe.IdempotencyError):
        return PaymentError(message, code="idempotency_error", status=409)
    if isinstance(exc, stripe.RateLimitError):
        return PaymentError(message, code="provider_rate_limited", status=503)
    return PaymentError(
        "The payment provider is unavailable; try again.", code="provider_unavailable", status=502
    )


def _line_item(item: LineItem) -> dict[str, Any]:
    if item.price_id:
        return {"price": item.price_id, "quantity": item.quantity}
    price_data: dict[str, Any] = {
        "currency": item.currency,
        "unit_amount": item.unit_amount,
        "product_data": {"name": item.name, "metadata": dict(item.metadata)},
    }
    if item.recurring_interval:
        price_data["recurring"] = {"interval": item.recurring_interval}
    return {"price_data": price_data, "quantity": item.quantity}


class StripePaymentProvider:
    name = "stripe"

    def __init__(self, api_key: str, *, api_base: str = "", max_network_retries: int = 2) -> None:
        base_addresses: Any = {"api": api_base.rstrip("/")} if api_base else None
        self.client = stripe.StripeClient(
            api_key,
            base_addresses=base_addresses,
            http_client=stripe.HTTPXClient(),
            max_network_retries=max_network_retries,
        )

    def bind(self, session: AsyncSession) -> StripePaymentProvider:
        return self  # Stripe keeps its own state; nothing joins our transaction

    async def create_customer(
        self,
        *,
        email: str,
        name: str | None = None,
        metadata: dict[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> str:
        params: Any = {"email": email, "metadata": metadata or {}}
        if name:
            params["name"] = name
        try:
            customer = await self.client.v1.customers.create_async(
                params=params, options=_options(idempotency_key)
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        return str(customer.id)

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
        params: Any = {
            "mode": mode,
            "line_items": [_line_item(item) for item in line_items],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata or {},
        }
        if customer_id:
            params["customer"] = customer_id
        elif customer_email:
            params["customer_email"] = customer_email
        if mode == "subscription" and subscription_metadata:
            params["subscription_data"] = {"metadata": subscription_metadata}
        if mode == "payment" and metadata:
            params["payment_intent_data"] = {"metadata": metadata}
        try:
            session = await self.client.v1.checkout.sessions.create_async(
                params=params,
                options=_options(idempotency_key),
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        # Optional fields are read with getattr: a StripeObject raises on absent keys.
        return CheckoutSession(
            id=session.id,
            url=getattr(session, "url", None) or "",
            status=getattr(session, "status", None) or "open",
            mode=mode,
            customer_id=_id(getattr(session, "customer", None)),
            amount_total=getattr(session, "amount_total", None) or 0,
            currency=getattr(session, "currency", None) or line_items[0].currency,
            subscription_id=_id(getattr(session, "subscription", None)),
            payment_intent_id=_id(getattr(session, "payment_intent", None)),
            metadata=_metadata(getattr(session, "metadata", None)),
        )

    async def create_portal_session(
        self, *, customer_id: str, return_url: str, plan_options: list[PlanOption]
    ) -> PortalSession:
        # Stripe's portal offers the plans configured in the dashboard.
        try:
            portal = await self.client.v1.billing_portal.sessions.create_async(
                params={"customer": customer_id, "return_url": return_url}
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        return PortalSession(id=portal.id, url=portal.url)

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
        params: Any = {
            "amount": amount,
            "currency": currency,
            "metadata": metadata or {},
            "automatic_payment_methods": {"enabled": True},
        }
        if customer_id:
            params["customer"] = customer_id
        if description:
            params["description"] = description
        try:
            intent = await self.client.v1.payment_intents.create_async(
                params=params,
                options=_options(idempotency_key),
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        return _intent(intent)

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
        params: Any = {
            "amount": amount,
            "currency": currency,
            "confirm": True,
            "payment_method_data": {"type": "card", "card": {"token": card_token}},
            # a token cannot complete a redirect (3-D Secure): such a card is refused
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "metadata": metadata or {},
        }
        if description:
            params["description"] = description
        try:
            intent = await self.client.v1.payment_intents.create_async(
                params=params, options=_options(idempotency_key)
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        if intent.status != "succeeded":
            raise PaymentError(
                "The card needs an authentication this checkout cannot do; use another card.",
                code="authentication_required",
                status=402,
            )
        return _intent(intent)

    async def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntent:
        try:
            intent = await self.client.v1.payment_intents.retrieve_async(payment_intent_id)
        except stripe.StripeError as exc:
            raise _failure(exc)
        return _intent(intent)

    async def create_refund(
        self,
        *,
        payment_intent_id: str,
        amount: int | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> Refund:
        params: Any = {"payment_intent": payment_intent_id}
        if amount is not None:
            params["amount"] = amount
        if reason in {"duplicate", "fraudulent", "requested_by_customer"}:
            params["reason"] = reason
        try:
            refund = await self.client.v1.refunds.create_async(
                params=params,
                options=_options(idempotency_key),
            )
        except stripe.StripeError as exc:
            raise _failure(exc)
        return Refund(
            id=refund.id,
            payment_intent_id=_id(getattr(refund, "payment_intent", None)) or payment_intent_id,
            amount=refund.amount,
            currency=refund.currency,
            status=getattr(refund, "status", None) or "pending",
        )

    async def cancel_subscription(self, subscription_id: str) -> None:
        try:
            await self.client.v1.subscriptions.cancel_async(subscription_id)
        except stripe.StripeError as exc:
            raise _failure(exc)


def _id(value: Any) -> str | None:
    """An expandable field: an id string, an expanded object, or None."""
    if value is None or isinstance(value, str):
        return value
    return str(value.id)


def _metadata(value: Any) -> dict[str, str]:
    """Stripe's metadata object as a plain dict (StripeObject is not a Mapping)."""
    if value is None:
        return {}
    plain = value.to_dict() if hasattr(value, "to_dict") else dict(value)
    return {str(key): str(item) for key, item in plain.items()}


def _intent(intent: Any) -> PaymentIntent:
    return PaymentIntent(
        id=intent.id,
        client_secret=getattr(intent, "client_secret", None) or "",
        amount=intent.amount,
        currency=intent.currency,
        status=intent.status,
        customer_id=_id(getattr(intent, "customer", None)),
        amount_received=getattr(intent, "amount_received", None) or 0,
        metadata=_metadata(getattr(intent, "metadata", None)),
    )
