"""SQL the health checks run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.models import FailedJob


async def schema_revision(db: AsyncSession) -> str | None:
    return await db.scalar(text("SELECT version_num FROM alembic_version LIMIT 1"))


async def failed_jobs_since(db: AsyncSession, since: datetime) -> int:
    return int(
        await db.scalar(select(func.count(FailedJob.id)).where(FailedJob.failed_at >= since)) or 0
    )
