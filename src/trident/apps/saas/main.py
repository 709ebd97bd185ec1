"""``create_app(settings)``: the saas app (spec: saas-api.md), port 8002."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import Scope

from trident.apps.saas import VERSION
from trident.apps.saas.api import ROUTERS
from trident.apps.saas.auth import tasks as _auth_tasks  # noqa: F401  (registers jobs)
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.envelope import ErrorBody, render_error
from trident.apps.saas.runtime import SaasRuntime
from trident.core.app import create_base_app
from trident.core.payments import LocalPaymentProvider, local_payments_router
from trident.core.ratelimit import client_ip, hashed

DESCRIPTION = """
Multi-tenant SaaS starter: organizations and members, Stripe subscription plans
gating premium features, API keys, and AI chat with streaming and usage metering.

Authorize with **OAuth2 password** (your email as username) or an **X-API-Key**.
Org-scoped endpoints take the organization in the `X-Current-Org` header.
"""

TAGS = [
    {"name": "auth", "description": "Register, log in, refresh and log out."},
    {"name": "users", "description": "The signed-in user."},
    {"name": "billing", "description": "Plans, subscription, checkout, portal, webhooks."},
    {"name": "organizations", "description": "Organizations, members and invitations."},
    {"name": "api keys", "description": "Keys that act for an organization."},
    {"name": "ai", "description": "Chat, streaming chat, usage and models."},
    {"name": "premium", "description": "Features gated by plan."},
    {"name": "health", "description": "Health, readiness, liveness and metrics."},
]

UNLIMITED_PREFIXES = ("/api/v1/billing/webhook/",)


def tier_resolver(rt: SaasRuntime):  # type: ignore[no-untyped-def]
    settings = rt.settings
    codec = rt.tokens.codec

    def resolve(scope: Scope) -> tuple[str, str, str] | None:
        if scope["path"].startswith(UNLIMITED_PREFIXES):
            return None  # the payment provider's retries must never meet a 429
        headers = dict(scope["headers"])
        api_key = headers.get(b"x-api-key")
        if api_key:
            return (
                "authenticated",
                settings.rate_limit_authenticated,
                "key:" + hashed(api_key.decode("latin-1")),
            )
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if authorization[:7].lower() == "bearer ":
            subject = codec.peek_subject(authorization[7:])
            if subject:
                return "authenticated", settings.rate_limit_authenticated, "user:" + subject
        return "anonymous", settings.rate_limit_anonymous, "ip:" + client_ip(scope)

    return resolve


def create_app(settings: SaasSettings | None = None, *, inline_jobs: bool = False) -> FastAPI:
    settings = settings or SaasSettings()
    runtime = SaasRuntime(settings, inline_jobs=inline_jobs)
    routers = list(ROUTERS)
    if isinstance(runtime.payments, LocalPaymentProvider):
        routers.append(local_payments_router(runtime.payments, runtime.unit_of_work))
    return create_base_app(
        runtime,
        title="Trident SaaS",
        description=DESCRIPTION,
        version=VERSION,
        renderer=render_error,
        error_model=ErrorBody,
        tier_resolver=tier_resolver(runtime),
        routers=routers,
        openapi_tags=TAGS,
    )
