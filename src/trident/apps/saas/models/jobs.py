from __future__ import annotations

from trident.apps.saas.db import Base
from trident.core.jobs import FailedJobMixin


class FailedJob(FailedJobMixin, Base):
    __tablename__ = "failed_jobs"
