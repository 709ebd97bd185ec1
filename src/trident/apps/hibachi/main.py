"""``create_app(settings)``: the hibachi app (MyHibachi documents), port 8000."""

from __future__ import annotations

from fastapi import FastAPI

from trident.apps.hibachi import VERSION, tasks  # noqa: F401  (tasks: registers the jobs)
from trident.apps.hibachi.api import routers
from trident.apps.hibachi.auth.permissions import TIER
from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.envelope import ErrorBody, render_error
from trident.apps.hibachi.monitoring.endpoints import health
from trident.apps.hibachi.monitoring.schemas import HealthOut
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.app import create_base_app
from trident.core.ratelimit import Tier, TierResolver, caller_tier_resolver

DESCRIPTION = """
MyHibachi: hibachi catering bookings with availability, pricing and deposits;
customers, leads, reviews and coupons, newsletters and QR campaigns; multi-tenant
stations; audit trail and error log.

Sign in at `POST /api/auth/login`, then **Authorize** with the `access_token`
(or an integration's `X-API-Key`).  Super admins choose a station with `X-Station-ID`.
Every documented path answers, under `/api/...` and `/api/v1/...` alike.
"""

TAGS = [
    {"name": "auth", "description": "Login (with MFA), register, refresh, logout."},
    {"name": "bookings", "description": "Bookings, availability and booked dates."},
    {"name": "public", "description": "The public site's forms (no account needed)."},
    {"name": "customers", "description": "Customers, preferences, loyalty and analytics."},
    {"name": "leads", "description": "Leads, their events, scores, nurture and social threads."},
    {"name": "waitlist", "description": "People waiting for a date."},
    {"name": "reviews", "description": "Reviews, escalations and coupons."},
    {"name": "newsletter", "description": "Subscribers and campaigns."},
    {"name": "qr", "description": "QR code campaigns and scans."},
    {"name": "analytics", "description": "Dashboards, KPIs and reports."},
    {"name": "admin", "description": "Error logs, audit log, notification groups."},
    {"name": "pricing", "description": "Per-station pricing, menus and quotes."},
    {"name": "stations", "description": "Stations (tenants): login, registration, admin."},
    {"name": "users", "description": "A station's staff accounts and roles."},
    {"name": "api keys", "description": "Keys for integrations (X-API-Key)."},
    {"name": "monitoring", "description": "Rate-limit status."},
    {"name": "health", "description": "Health, readiness, info and metrics."},
]

#: probes and provider callbacks never meet a 429
UNLIMITED_PREFIXES = ("/health", "/info")


def tier_resolver(rt: HibachiRuntime) -> TierResolver:
    settings = rt.settings
    tiers = {
        name: Tier(name, limit)
        for name, limit in (
            ("public", settings.rate_limit_public),
            ("authenticated", settings.rate_limit_authenticated),
            ("premium", settings.rate_limit_premium),
            ("admin", settings.rate_limit_admin),
        )
    }
    return caller_tier_resolver(
        rt.tokens.codec,
        anonymous=tiers["public"],
        api_key=tiers["premium"],
        user=lambda claims: tiers[TIER.get(claims.get("role", ""), "authenticated")],
        unlimited_prefixes=UNLIMITED_PREFIXES,
    )


def create_app(settings: HibachiSettings | None = None, *, inline_jobs: bool = False) -> FastAPI:
    settings = settings or HibachiSettings()
    runtime = HibachiRuntime(settings, inline_jobs=inline_jobs)
    return create_base_app(
        runtime,
        title="MyHibachi API",
        description=DESCRIPTION,
        version=VERSION,
        renderer=render_error,
        error_model=ErrorBody,
        tier_resolver=tier_resolver(runtime),
        routers=routers(),
        on_unhandled=runtime.record_unhandled,
        health=health,
        health_model=HealthOut,
        openapi_tags=TAGS,
        header_errors={
            "X-Station-ID": {
                "400": "A super admin named no station and has none by default",
                "404": "The station named in X-Station-ID does not exist or is not yours",
            }
        },
    )
