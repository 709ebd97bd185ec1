from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from trident.apps.saas.db import Base
from trident.core.db.base import CreatedAtMixin


class AiUsageEvent(CreatedAtMixin, Base):
    """One model call. A row is written before the call (reserving quota) and its
    token counts filled in when the answer is complete."""

    __tablename__ = "ai_usage_events"
    __tenant_column__ = "org_id"
    # Usage reports and quota checks read one org's period and aggregate these columns:
    # carrying them in the index answers them from the index alone (no row lookups).
    __table_args__ = (
        Index(
            "ix_ai_usage_events_org_period",
            "org_id",
            "created_at",
            "status",
            "model",
            "provider",
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    api_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id", ondelete="SET NULL"), nullable=True
    )
    model: Mapped[str] = mapped_column(String(100), nullable=False)
    provider: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_tokens: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
