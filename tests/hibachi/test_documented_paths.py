"""Every path the three MyHibachi documents give (outside payments, webhooks, inbox,
notifications and AI, which come in part 2) is routed and in the OpenAPI document.

A call with an unknown id may answer 404 for that resource (``booking_not_found``) or
422 for an empty body; what it must not answer is "no route" (404 ``not_found``) or 405.
"""

from __future__ import annotations

from fastapi import FastAPI

from tests.hibachi.helpers import Client
from trident.apps.hibachi.api import published_path

ID = "999999"

#: (method, path, the document that gives it)
DOCUMENTED = [
    # endpoint map (2025-11-05)
    ("POST", "/api/auth/login", "map"),
    ("POST", "/api/auth/register", "map"),
    ("GET", "/api/auth/me", "map"),
    ("POST", "/api/auth/refresh", "map"),
    ("POST", "/api/auth/logout", "map"),
    ("GET", "/health", "map"),
    ("GET", "/ready", "map"),
    ("GET", "/api/health/db", "map"),
    ("GET", "/info", "map"),
    ("GET", "/api/v1/bookings", "map"),
    ("POST", "/api/v1/bookings", "map"),
    ("GET", "/api/v1/bookings/{id}", "map"),
    ("PUT", "/api/v1/bookings/{id}", "map"),
    ("DELETE", "/api/v1/bookings/{id}", "map"),
    ("GET", "/api/v1/bookings/booked-dates", "map"),
    ("GET", "/api/v1/bookings/availability", "map"),
    ("GET", "/api/admin/bookings/stats", "map"),
    ("GET", "/api/admin/kpis", "map"),
    ("GET", "/api/admin/customer-analytics", "map"),
    ("GET", "/api/leads", "map"),
    ("POST", "/api/leads", "map"),
    ("GET", "/api/leads/{id}", "map"),
    ("PUT", "/api/leads/{id}", "map"),
    ("DELETE", "/api/leads/{id}", "map"),
    ("POST", "/api/leads/{id}/events", "map"),
    ("GET", "/api/leads/{id}/nurture-sequence", "map"),
    ("GET", "/api/leads/social-threads", "map"),
    ("POST", "/api/leads/social-threads", "map"),
    ("GET", "/api/reviews", "map"),
    ("POST", "/api/reviews", "map"),
    ("GET", "/api/reviews/{id}", "map"),
    ("PUT", "/api/reviews/{id}", "map"),
    ("DELETE", "/api/reviews/{id}", "map"),
    ("GET", "/api/reviews/admin/escalated", "map"),
    ("POST", "/api/reviews/{id}/resolve", "map"),
    ("POST", "/api/reviews/ai/issue-coupon", "map"),
    ("GET", "/api/reviews/admin/analytics", "map"),
    ("GET", "/api/reviews/customers/{id}/reviews", "map"),
    ("POST", "/api/reviews/track-external", "map"),
    ("POST", "/api/reviews/coupons/validate", "map"),
    ("POST", "/api/reviews/coupons/apply", "map"),
    ("GET", "/api/newsletter/subscribers", "map"),
    ("POST", "/api/newsletter/subscribe", "map"),
    ("POST", "/api/newsletter/unsubscribe", "map"),
    ("GET", "/api/newsletter/campaigns", "map"),
    ("POST", "/api/newsletter/campaigns", "map"),
    ("GET", "/api/newsletter/campaigns/{id}", "map"),
    ("POST", "/api/newsletter/campaigns/{id}/send", "map"),
    ("GET", "/api/newsletter/campaigns/{id}/stats", "map"),
    ("POST", "/api/v1/customers/create-or-update", "map"),
    ("GET", "/api/v1/customers/{id}/preferences", "map"),
    ("GET", "/api/v1/customers/{id}/analytics", "map"),
    ("GET", "/api/v1/customers/find-by-email", "map"),
    ("GET", "/api/v1/customers/dashboard", "map"),
    ("GET", "/api/admin/analytics/dashboard", "map"),
    ("GET", "/api/admin/analytics/revenue", "map"),
    ("GET", "/api/admin/analytics/customers", "map"),
    ("GET", "/api/admin/analytics/bookings", "map"),
    ("POST", "/api/station/auth/login", "map"),
    ("POST", "/api/station/auth/register", "map"),
    ("GET", "/api/station/auth/me", "map"),
    ("GET", "/api/admin/stations", "map"),
    ("POST", "/api/admin/stations", "map"),
    ("PUT", "/api/admin/stations/{id}", "map"),
    ("DELETE", "/api/admin/stations/{id}", "map"),
    ("POST", "/api/qr/campaigns", "map"),
    ("GET", "/api/qr/campaigns", "map"),
    ("GET", "/api/qr/campaigns/{id}", "map"),
    ("GET", "/api/qr/campaigns/{id}/analytics", "map"),
    ("POST", "/api/qr/track/{id}", "map"),
    ("GET", "/api/admin/error-logs", "map"),
    ("GET", "/api/admin/error-logs/{id}", "map"),
    ("POST", "/api/admin/error-logs/{id}/resolve", "map"),
    ("DELETE", "/api/admin/error-logs/{id}", "map"),
    ("GET", "/api/admin/notification-groups", "map"),
    ("POST", "/api/admin/notification-groups", "map"),
    ("PUT", "/api/admin/notification-groups/{id}", "map"),
    ("DELETE", "/api/admin/notification-groups/{id}", "map"),
    ("GET", "/api/app/bookings", "map (deprecated alias)"),
    ("GET", "/api/bookings", "map"),
    # 2025-10-25
    ("POST", "/api/v1/auth/login", "v1"),
    ("POST", "/api/v1/auth/logout", "v1"),
    ("POST", "/api/v1/auth/refresh", "v1"),
    ("GET", "/api/v1/monitoring/rate-limit/status", "v1"),
    ("POST", "/api/v1/public/leads", "v1"),
    ("POST", "/api/v1/public/bookings", "v1"),
    ("GET", "/api/v1/customers", "v1"),
    ("GET", "/api/v1/customers/{id}", "v1"),
    ("GET", "/api/v1/leads", "v1"),
    ("POST", "/api/v1/leads/{id}/convert", "v1"),
    ("GET", "/api/v1/admin/analytics", "v1"),
    # CRM document
    ("POST", "/api/auth/mfa/setup", "crm"),
    ("POST", "/api/auth/mfa/verify", "crm"),
    ("GET", "/api/users", "crm"),
    ("POST", "/api/users", "crm"),
    ("PUT", "/api/users/{id}", "crm"),
    ("DELETE", "/api/users/{id}", "crm"),
    ("GET", "/api/bookings", "crm"),
    ("POST", "/api/bookings", "crm"),
    ("PUT", "/api/bookings/{id}", "crm"),
    ("DELETE", "/api/bookings/{id}", "crm"),
    ("GET", "/api/customers", "crm"),
    ("POST", "/api/customers", "crm"),
    ("GET", "/api/customers/{id}", "crm"),
    ("PUT", "/api/customers/{id}", "crm"),
    ("GET", "/api/waitlist", "crm"),
    ("POST", "/api/waitlist", "crm"),
    ("POST", "/api/waitlist/{id}/convert", "crm"),
    ("GET", "/api/analytics/bookings", "crm"),
    ("GET", "/api/analytics/revenue", "crm"),
    ("GET", "/api/analytics/customers", "crm"),
    ("GET", "/health/db", "crm"),
    ("GET", "/health/workers", "crm"),
    ("GET", "/health/features", "crm"),
]


def _template_matches(template: str, documented: str) -> bool:
    a, b = template.strip("/").split("/"), documented.strip("/").split("/")
    return len(a) == len(b) and all(
        x == y or (x.startswith("{") and y.startswith("{")) for x, y in zip(a, b, strict=True)
    )


async def test_every_documented_path_is_routed(client: Client) -> None:
    missing = []
    for method, path, source in DOCUMENTED:
        response = await client.request(
            method, path.replace("{id}", ID), json={}, headers=client.root.headers()
        )
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        unrouted = response.status_code == 405 or (
            response.status_code == 404 and body.get("code") == "not_found"
        )
        if unrouted:
            missing.append(f"{method} {path} ({source}): {response.status_code}")
    assert missing == []


async def test_every_documented_path_is_in_the_openapi_document(app: FastAPI) -> None:
    """Published once: a documented alias (``/api/leads``) is in the document under
    the path it stands for (``/api/v1/leads``)."""
    paths = app.openapi()["paths"]
    absent = [
        f"{method} {path}"
        for method, path, _source in DOCUMENTED
        if not any(
            _template_matches(template, published_path(path)) and method.lower() in operations
            for template, operations in paths.items()
        )
    ]
    assert absent == []


async def test_each_operation_is_published_once(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    legacy = sorted(p for p in paths if p.startswith("/api/") and not p.startswith("/api/v1/"))
    assert legacy == []
