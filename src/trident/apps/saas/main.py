"""``create_app(settings)``: the saas app (spec: saas-api.md), port 8002."""

from __future__ import annotations

from fastapi import FastAPI

from trident.apps.saas import VERSION
from trident.apps.saas.api import ROUTERS
from trident.apps.saas.auth import tasks as _auth_tasks  # noqa: F401  (registers jobs)
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.envelope import ErrorBody, render_error
from trident.apps.saas.runtime import SaasRuntime
from trident.core.app import create_base_app
from trident.core.payments import LocalPaymentProvider, local_payments_router
from trident.core.ratelimit import Tier, TierResolver, caller_tier_resolver

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


def tier_resolver(rt: SaasRuntime) -> TierResolver:
    settings = rt.settings
    anonymous = Tier("anonymous", settings.rate_limit_anonymous)
    authenticated = Tier("authenticated", settings.rate_limit_authenticated)
    return caller_tier_resolver(
        rt.tokens.codec,
        anonymous=anonymous,
        api_key=authenticated,
        user=lambda _claims: authenticated,
        # the payment provider's retries must never meet a 429
        unlimited_prefixes=UNLIMITED_PREFIXES,
    )


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
