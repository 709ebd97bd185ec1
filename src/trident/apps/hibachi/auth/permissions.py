"""Who may do what: the roles of the CRM document and the permissions each grants.

A permission is ``<area>:<action>``.  ``*:own`` permissions let a customer act on
their own records only (the service narrows the query to them).
"""

from __future__ import annotations

from trident.apps.hibachi.models import Role
from trident.core.auth.permissions import PermissionMap

READ = {
    "bookings:read",
    "customers:read",
    "leads:read",
    "waitlist:read",
    "reviews:read",
    "coupons:read",
    "newsletter:read",
    "qr:read",
}
OPERATIONS = {
    "bookings:write",
    "customers:write",
    "leads:write",
    "waitlist:write",
}
MARKETING = {
    "bookings:delete",
    "customers:delete",
    "leads:delete",
    "reviews:moderate",
    "coupons:manage",
    "newsletter:manage",
    "campaigns:send",
    "qr:manage",
    "analytics:read",
    "users:read",
}
#: diagnostics beyond a status: versions, environment, providers (/info, /health/features)
MONITORING = "monitoring:read"
ADMINISTRATION = {
    MONITORING,
    "users:manage",
    "apikeys:manage",
    "pricing:manage",
    "notifications:manage",
    "errors:manage",
    "audit:read",
}
CUSTOMER = {"bookings:own", "customers:own", "reviews:own", "coupons:apply"}

GRANTS: dict[str, set[str]] = {
    Role.SUPER_ADMIN: {"*"},
    Role.ADMIN: READ | OPERATIONS | MARKETING | ADMINISTRATION,
    Role.MANAGER: READ | OPERATIONS | MARKETING,
    Role.STAFF: READ | OPERATIONS,
    Role.VIEWER: READ | {"analytics:read"},
    Role.AI_SYSTEM: {
        "bookings:read",
        "bookings:write",
        "customers:read",
        "customers:write",
        "leads:read",
        "leads:write",
        "waitlist:read",
        "waitlist:write",
    },
    Role.CUSTOMER: CUSTOMER,
}

PERMISSIONS = PermissionMap(GRANTS)

#: every permission a role may hold (what an API key may be given)
ALL_PERMISSIONS = sorted(set().union(*(p for p in GRANTS.values() if "*" not in p)))

#: a user may grant roles up to their own rank, never above
RANK = {
    Role.SUPER_ADMIN: 100,
    Role.ADMIN: 80,
    Role.MANAGER: 60,
    Role.STAFF: 40,
    Role.AI_SYSTEM: 30,
    Role.VIEWER: 20,
    Role.CUSTOMER: 10,
}

#: rate-limit tier of each role (the newest document's tiers)
TIER = {
    Role.SUPER_ADMIN: "admin",
    Role.ADMIN: "admin",
    Role.MANAGER: "premium",
    Role.AI_SYSTEM: "premium",
}


def permissions_of(role: str) -> list[str]:
    perms = PERMISSIONS.permissions(role)
    return ["*"] if "*" in perms else sorted(perms)
