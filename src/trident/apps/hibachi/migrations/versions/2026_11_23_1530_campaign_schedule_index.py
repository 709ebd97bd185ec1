"""campaign schedule index: the periodic job finds scheduled campaigns that are due

Revision ID: 5b9e1c2a7d40
Revises: 2d7f340dfc06
Create Date: 2026-11-23 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b9e1c2a7d40"
down_revision: str | None = "2d7f340dfc06"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("newsletter_campaigns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_newsletter_campaigns_status_scheduled_at", ["status", "scheduled_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("newsletter_campaigns", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_campaigns_status_scheduled_at")
