from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.hibachi.db import KEYRING, Base
from trident.core.auth.models import AuthSessionMixin, RefreshTokenMixin
from trident.core.db.base import CreatedAtMixin, TimestampMixin, UTCDateTime
from trident.core.security.fields import EncryptedText


class Role(StrEnum):
    SUPER_ADMIN = "super_admin"
    ADMIN = "admin"
    MANAGER = "manager"
    STAFF = "staff"
    VIEWER = "viewer"
    AI_SYSTEM = "ai_system"
    CUSTOMER = "customer"


class User(TimestampMixin, Base):
    """Staff of a station, a customer with an account, or a super admin (any station)."""

    __tablename__ = "users"
    #: null for super admins, who belong to no one station
    __tenant_column__ = "station_id"
    __table_args__ = (Index("ix_users_station_id_role", "station_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    hashed_password: Mapped[str] = mapped_column(String(255), nullable=False)
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    #: the user's station; a super admin's is only their default
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)
    #: a customer account's own customer record
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    mfa_secret: Mapped[str | None] = mapped_column(EncryptedText(KEYRING), nullable=True)
    #: hashes of unused backup codes (each works once)
    mfa_backup_codes: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class AuthSession(AuthSessionMixin, Base):
    __tablename__ = "auth_sessions"

    #: the station this login chose (station login); a super admin acts in it by default
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), nullable=True)


class RefreshToken(RefreshTokenMixin, Base):
    __tablename__ = "refresh_tokens"
    __audit__ = False


class ApiKey(CreatedAtMixin, Base):
    """A key for an integration: acts for its station with the permissions it lists."""

    __tablename__ = "api_keys"
    __tenant_column__ = "station_id"
    __table_args__ = (Index("ix_api_keys_station_id_created_at", "station_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    permissions: Mapped[list[str]] = mapped_column(JSON, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
