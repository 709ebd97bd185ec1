from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.saas.db import Base
from trident.core.auth.models import AuthSessionMixin, RefreshTokenMixin
from trident.core.db.base import TimestampMixin


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, nullable=False)
    hashed_password: Mapped[str] = mapped_column(String(255), nullable=False)
    full_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_superuser: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuthSession(AuthSessionMixin, Base):
    __tablename__ = "auth_sessions"


class RefreshToken(RefreshTokenMixin, Base):
    __tablename__ = "refresh_tokens"
