"""Every router of the hibachi app and the paths each answers on.

The three MyHibachi documents name most areas both ``/api/<area>`` and
``/api/v1/<area>`` (the CRM document: "Base path /api/, versioned path /api/v1/");
every path of every document keeps working, so each router is mounted at each
prefix a document gives it.  ``/api/app/bookings`` is the one deprecated alias.
Hot paths come first: the router tries routes in order.
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

#: (router, prefixes, deprecated prefixes)
MOUNTS: list[tuple[APIRouter, tuple[str, ...], tuple[str, ...]]] = [
    (bookings_router, ("/api/v1/bookings", "/api/bookings"), ("/api/app/bookings",)),
    (customers_router, ("/api/v1/customers", "/api/customers"), ()),
    (leads_router, ("/api/leads", "/api/v1/leads"), ()),
    (public_bookings_router, ("/api/v1/public", "/api/public"), ()),
    (public_leads_router, ("/api/v1/public", "/api/public"), ()),
    (auth_router, ("/api/auth", "/api/v1/auth"), ()),
    (station_auth_router, ("/api/station/auth", "/api/v1/station/auth"), ()),
    (stations_router, ("/api/admin/stations", "/api/v1/admin/stations"), ()),
    (users_router, ("/api/users", "/api/v1/users"), ()),
    (apikeys_router, ("/api/admin/api-keys", "/api/v1/admin/api-keys"), ()),
    (pricing_router, ("/api/v1", "/api"), ()),
    (waitlist_router, ("/api/waitlist", "/api/v1/waitlist"), ()),
    (reviews_router, ("/api/reviews", "/api/v1/reviews"), ()),
    (newsletter_router, ("/api/newsletter", "/api/v1/newsletter"), ()),
    (qr_router, ("/api/qr", "/api/v1/qr"), ()),
    (analytics_router, ("/api/admin", "/api/v1/admin"), ()),
    (crm_analytics_router, ("/api/analytics", "/api/v1/analytics"), ()),
    (admin_router, ("/api/admin", "/api/v1/admin"), ()),
    (monitoring_router, ("/api/v1/monitoring", "/api/monitoring"), ()),
    (health_router, ("",), ()),
]


def routers() -> list[APIRouter]:
    mounted = []
    for router, prefixes, deprecated in MOUNTS:
        container = APIRouter()
        for prefix in prefixes:
            container.include_router(router, prefix=prefix)
        for prefix in deprecated:
            container.include_router(router, prefix=prefix, deprecated=True)
        mounted.append(container)
    return mounted
