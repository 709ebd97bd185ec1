"""Every router of the hibachi app and the paths each answers on.

The three MyHibachi documents name most areas both ``/api/<area>`` and
``/api/v1/<area>`` (the CRM document: "Base path /api/, versioned path /api/v1/");
every path of every document keeps working, so each router is mounted at each
prefix a document gives it, and published once (``MOUNTS``).  This table is the one
place a hibachi route's prefix is set.  Hot paths come first: the router tries
routes in order.
"""

from __future__ import annotations

from fastapi import APIRouter

from trident.apps.hibachi.admin.endpoints import router as admin_router
from trident.apps.hibachi.analytics.endpoints import admin_router as analytics_router
from trident.apps.hibachi.analytics.endpoints import crm_router as crm_analytics_router
from trident.apps.hibachi.apikeys.endpoints import router as apikeys_router
from trident.apps.hibachi.auth.endpoints import router as auth_router
from trident.apps.hibachi.auth.endpoints import station_router as station_auth_router
from trident.apps.hibachi.bookings.endpoints import public_router as public_bookings_router
from trident.apps.hibachi.bookings.endpoints import router as bookings_router
from trident.apps.hibachi.customers.endpoints import router as customers_router
from trident.apps.hibachi.leads.endpoints import public_router as public_leads_router
from trident.apps.hibachi.leads.endpoints import router as leads_router
from trident.apps.hibachi.monitoring.endpoints import monitoring_router
from trident.apps.hibachi.monitoring.endpoints import router as health_router
from trident.apps.hibachi.newsletter.endpoints import router as newsletter_router
from trident.apps.hibachi.pricing.endpoints import router as pricing_router
from trident.apps.hibachi.qr.endpoints import router as qr_router
from trident.apps.hibachi.reviews.endpoints import router as reviews_router
from trident.apps.hibachi.stations.endpoints import router as stations_router
from trident.apps.hibachi.users.endpoints import router as users_router
from trident.apps.hibachi.waitlist.endpoints import router as waitlist_router

#: (router, the published prefix, the aliases it also answers on).  Each operation is
#: published once, under the newest document's path (``/api/v1/...``); the older
#: documents' paths keep working as aliases left out of the OpenAPI document, so a
#: generated client has one method per call (docs/compat.md lists them).
MOUNTS: list[tuple[APIRouter, str, tuple[str, ...]]] = [
    (bookings_router, "/api/v1/bookings", ("/api/bookings", "/api/app/bookings")),
    (customers_router, "/api/v1/customers", ("/api/customers",)),
    (leads_router, "/api/v1/leads", ("/api/leads",)),
    (public_bookings_router, "/api/v1/public", ("/api/public",)),
    (public_leads_router, "/api/v1/public", ("/api/public",)),
    (auth_router, "/api/v1/auth", ("/api/auth",)),
    (station_auth_router, "/api/v1/station/auth", ("/api/station/auth",)),
    (stations_router, "/api/v1/admin/stations", ("/api/admin/stations",)),
    (users_router, "/api/v1/users", ("/api/users",)),
    (apikeys_router, "/api/v1/admin/api-keys", ("/api/admin/api-keys",)),
    (pricing_router, "/api/v1", ("/api",)),
    (waitlist_router, "/api/v1/waitlist", ("/api/waitlist",)),
    (reviews_router, "/api/v1/reviews", ("/api/reviews",)),
    (newsletter_router, "/api/v1/newsletter", ("/api/newsletter",)),
    (qr_router, "/api/v1/qr", ("/api/qr",)),
    (analytics_router, "/api/v1/admin", ("/api/admin",)),
    (crm_analytics_router, "/api/v1/analytics", ("/api/analytics",)),
    (admin_router, "/api/v1/admin", ("/api/admin",)),
    (monitoring_router, "/api/v1/monitoring", ("/api/monitoring",)),
    (health_router, "", ()),
]


def routers() -> list[APIRouter]:
    mounted = []
    for router, published, aliases in MOUNTS:
        container = APIRouter()
        container.include_router(router, prefix=published)
        for alias in aliases:
            container.include_router(router, prefix=alias, include_in_schema=False)
        mounted.append(container)
    return mounted


#: single paths the documents give that stand for another published one (their
#: routes are declared with include_in_schema=False beside the published one)
PATH_ALIASES = {
    "/api/health/db": "/health/db",
    "/api/v1/admin/analytics/dashboard": "/api/v1/admin/analytics",
    "/api/v1/admin/customer-analytics": "/api/v1/admin/analytics/customers",
    "/api/v1/analytics/revenue": "/api/v1/admin/analytics/revenue",
    "/api/v1/analytics/customers": "/api/v1/admin/analytics/customers",
    "/api/v1/analytics/bookings": "/api/v1/admin/analytics/bookings",
}


def published_path(path: str) -> str:
    """The published path of a path a client calls (itself, or the path an alias
    stands for): ``/api/leads/{id}`` -> ``/api/v1/leads/{id}``."""

    if path in PATH_ALIASES:
        return PATH_ALIASES[path]

    def under(prefix: str) -> bool:
        return path == prefix or path.startswith(prefix + "/")

    # the longest prefix wins: /api/v1/bookings is published, /api/leads an alias
    best, replacement = "", None
    for _router, published, aliases in MOUNTS:
        if published and under(published) and len(published) > len(best):
            best, replacement = published, None
        for alias in aliases:
            if under(alias) and len(alias) > len(best):
                best, replacement = alias, published
    mapped = path if replacement is None else replacement + path[len(best) :]
    return PATH_ALIASES.get(mapped, mapped)
