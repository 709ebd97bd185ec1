"""Every router of the saas app, in the order the docs show them."""

from trident.apps.saas.ai.endpoints import router as ai_router
from trident.apps.saas.apikeys.endpoints import router as apikeys_router
from trident.apps.saas.auth.endpoints import router as auth_router
from trident.apps.saas.billing.endpoints import router as billing_router
from trident.apps.saas.orgs.endpoints import router as orgs_router
from trident.apps.saas.premium.endpoints import router as premium_router
from trident.apps.saas.users.endpoints import router as users_router

ROUTERS = [
    auth_router,
    users_router,
    billing_router,
    orgs_router,
    apikeys_router,
    ai_router,
    premium_router,
]
