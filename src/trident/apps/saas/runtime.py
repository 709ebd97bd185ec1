"""The saas app's runtime: the core runtime plus tokens, payments and models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import Request

from trident.apps.saas.billing.webhooks import process_webhook
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.models import AuthSession, FailedJob, LocalPaymentObject, RefreshToken
from trident.core.ai import ModelCatalog, create_model_catalog
from trident.core.auth.tokens import TokenService
from trident.core.jobs import JobRegistry
from trident.core.payments import PaymentProvider, create_payment_provider
from trident.core.runtime import Runtime
from trident.core.security.tokens import TokenCodec

jobs = JobRegistry("saas")


class SaasRuntime(Runtime):
    settings: SaasSettings
    failed_job_model = FailedJob

    def __init__(self, settings: SaasSettings, *, inline_jobs: bool = False) -> None:
        super().__init__(settings, jobs, inline_jobs=inline_jobs)
        self.tokens = TokenService(
            TokenCodec(settings.secret("jwt_secret_key"), settings.jwt_algorithm, issuer="saas"),
            AuthSession,
            RefreshToken,
            access_ttl=timedelta(minutes=settings.access_token_expire_minutes),
            refresh_ttl=timedelta(days=settings.refresh_token_expire_days),
        )
        self.api_key_secret = settings.secret("api_key_secret")
        self.payments: PaymentProvider = create_payment_provider(
            settings, model=LocalPaymentObject, deliver=self.deliver_webhook
        )
        self.ai: ModelCatalog = create_model_catalog(settings, assistant_name="workspace assistant")
        self.counters: dict[str, Any] = {
            "ai_requests": self.metrics.counter(
                "saas_ai_requests_total", "AI chat requests.", ["provider", "model"]
            ),
            "ai_tokens": self.metrics.counter(
                "saas_ai_tokens_total", "AI tokens metered.", ["provider", "model"]
            ),
            "webhooks": self.metrics.counter(
                "saas_webhook_events_total", "Payment webhook events.", ["type", "outcome"]
            ),
            "checkouts": self.metrics.counter(
                "saas_checkout_sessions_total", "Checkout sessions created.", ["plan"]
            ),
        }

    async def deliver_webhook(self, payload: bytes, signature: str) -> None:
        """Where the local payment provider delivers its signed events: the same
        handler the HTTP webhook endpoint calls, in its own transaction."""
        async with self.unit_of_work() as db:
            await process_webhook(self, db, payload, signature)


def saas_runtime(request: Request) -> SaasRuntime:
    return request.app.state.runtime  # type: ignore[no-any-return]
