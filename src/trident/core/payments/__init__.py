"""Payments behind one interface: ``local`` (offline, embedded) and Stripe."""

from trident.core.payments.base import (
    CheckoutSession,
    LineItem,
    PaymentError,
    PaymentIntent,
    PaymentProvider,
    PlanOption,
    PortalSession,
    Refund,
)
from trident.core.payments.events import (
    WebhookEventMixin,
    WebhookOutcome,
    apply_webhook,
    mark_processed,
    record_event,
)
from trident.core.payments.factory import create_payment_provider, webhook_secret
from trident.core.payments.local import LocalPaymentObjectMixin, LocalPaymentProvider
from trident.core.payments.local_pages import local_payments_router
from trident.core.payments.signature import WebhookSignatureError, sign_payload, verify_signature
from trident.core.payments.stripe_provider import StripePaymentProvider

__all__ = [
    "CheckoutSession",
    "LineItem",
    "LocalPaymentObjectMixin",
    "LocalPaymentProvider",
    "PaymentError",
    "PaymentIntent",
    "PaymentProvider",
    "PlanOption",
    "PortalSession",
    "Refund",
    "StripePaymentProvider",
    "WebhookEventMixin",
    "WebhookOutcome",
    "WebhookSignatureError",
    "apply_webhook",
    "create_payment_provider",
    "local_payments_router",
    "mark_processed",
    "record_event",
    "sign_payload",
    "verify_signature",
    "webhook_secret",
]
