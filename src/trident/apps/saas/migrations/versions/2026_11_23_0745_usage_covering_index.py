"""usage reports read one org's period from a covering index

Revision ID: 5b1e0c7d2a44
Revises: dc9baee7ab51
Create Date: 2026-11-23 07:45:00

The usage report aggregated a month of events with a row lookup per event; the
index now carries the aggregated columns (bench: AI usage over a month).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b1e0c7d2a44"
down_revision: str | None = "dc9baee7ab51"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "org_id",
    "created_at",
    "status",
    "model",
    "provider",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
]


def upgrade() -> None:
    op.create_index("ix_ai_usage_events_org_period", "ai_usage_events", COLUMNS)
    op.drop_index("ix_ai_usage_events_org_id_created_at", table_name="ai_usage_events")


def downgrade() -> None:
    op.create_index(
        "ix_ai_usage_events_org_id_created_at", "ai_usage_events", ["org_id", "created_at"]
    )
    op.drop_index("ix_ai_usage_events_org_period", table_name="ai_usage_events")
