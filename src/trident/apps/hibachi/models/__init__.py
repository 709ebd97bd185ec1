"""Every table of the hibachi app (imported here so Alembic sees the whole metadata)."""

from trident.apps.hibachi.db import Base
from trident.apps.hibachi.models.admin import AuditLog, ErrorLog, NotificationGroup
from trident.apps.hibachi.models.bookings import (
    Booking,
    BookingStatus,
    WaitlistEntry,
)
from trident.apps.hibachi.models.customers import Customer
from trident.apps.hibachi.models.leads import Lead, LeadEvent, SocialThread
from trident.apps.hibachi.models.newsletter import Campaign, CampaignDelivery, Subscriber
from trident.apps.hibachi.models.pricing import Menu, MenuItem, PricingConfig
from trident.apps.hibachi.models.qr import QrCampaign, QrScan
from trident.apps.hibachi.models.reviews import Coupon, CouponRedemption, Review
from trident.apps.hibachi.models.stations import Station, StationStatus
from trident.apps.hibachi.models.system import FailedJob, IdempotencyRecord, OutboxMessage
from trident.apps.hibachi.models.users import ApiKey, AuthSession, RefreshToken, Role, User

__all__ = [
    "ApiKey",
    "AuditLog",
    "AuthSession",
    "Base",
    "Booking",
    "BookingStatus",
    "Campaign",
    "CampaignDelivery",
    "Coupon",
    "CouponRedemption",
    "Customer",
    "ErrorLog",
    "FailedJob",
    "IdempotencyRecord",
    "Lead",
    "LeadEvent",
    "Menu",
    "MenuItem",
    "NotificationGroup",
    "OutboxMessage",
    "PricingConfig",
    "QrCampaign",
    "QrScan",
    "RefreshToken",
    "Review",
    "Role",
    "SocialThread",
    "Station",
    "StationStatus",
    "Subscriber",
    "User",
    "WaitlistEntry",
]
