"""Choose the payment provider from settings: Stripe with a key, else ``local``."""

from __future__ import annotations

from typing import Any

from trident.core.config import CoreSettings
from trident.core.payments.base import PaymentProvider
from trident.core.payments.local import Deliver, LocalPaymentProvider
from trident.core.payments.stripe_provider import StripePaymentProvider


def webhook_secret(settings: CoreSettings) -> str:
    """The secret webhooks are verified with: ``STRIPE_WEBHOOK_SECRET``, or in
    development a generated one that the local provider signs its events with."""
    return settings.secret("stripe_webhook_secret")


def create_payment_provider(
    settings: CoreSettings, *, model: type[Any], deliver: Deliver
) -> PaymentProvider:
    if settings.payments_provider == "stripe":
        return StripePaymentProvider(
            settings.stripe_secret_key.get_secret_value(), api_base=settings.stripe_api_base
        )
    return LocalPaymentProvider(
        model=model,
        deliver=deliver,
        webhook_secret=webhook_secret(settings),
        public_url=settings.public_url,
    )
