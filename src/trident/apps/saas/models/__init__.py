"""Every table of the saas app (imported here so Alembic sees the whole metadata)."""

from trident.apps.saas.db import Base
from trident.apps.saas.models.ai import AiUsageEvent
from trident.apps.saas.models.billing import (
    IdempotencyRecord,
    LocalPaymentObject,
    Subscription,
    WebhookEvent,
)
from trident.apps.saas.models.jobs import FailedJob
from trident.apps.saas.models.orgs import ApiKey, Invitation, Membership, Org, Role
from trident.apps.saas.models.users import AuthSession, RefreshToken, User

__all__ = [
    "AiUsageEvent",
    "ApiKey",
    "AuthSession",
    "Base",
    "FailedJob",
    "IdempotencyRecord",
    "Invitation",
    "LocalPaymentObject",
    "Membership",
    "Org",
    "RefreshToken",
    "Role",
    "Subscription",
    "User",
    "WebhookEvent",
]
