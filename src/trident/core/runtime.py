"""Everything an app instance holds at run time, built from its settings."""

from __future__ import annotations

import json
import logging
import time
from contextlib import AbstractAsyncContextManager
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from taskiq import AsyncBroker, InMemoryBroker, TaskiqEvents

from trident.core.clock import BusinessClock
from trident.core.config import CoreSettings
from trident.core.db.engine import Database
from trident.core.db.session import unit_of_work
from trident.core.jobs import DISPATCHER, JobDispatcher, JobRegistry, Ticker, create_broker
from trident.core.observability.metrics import Metrics
from trident.core.ratelimit import Limiter

log = logging.getLogger("trident.runtime")


class Runtime:
    """Database, Redis, jobs, limiter and metrics of one app instance."""

    #: the app's table for jobs that failed their last try (a FailedJobMixin model)
    failed_job_model: type[Any] | None = None

    def __init__(
        self, settings: CoreSettings, jobs: JobRegistry, *, inline_jobs: bool = False
    ) -> None:
        self.settings = settings
        self.app_name = settings.app_name
        # uptime is measured on the monotonic clock: a wall-clock step is not downtime
        self._started = time.monotonic()
        #: the app's one clock: UTC now, and today in the business time zone
        self.clock = BusinessClock(settings.business_timezone)
        self.db = Database(settings.database_url, pool_size=settings.database_pool_size)
        self.redis: Redis | None = (
            Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
            if settings.redis_url
            else None
        )
        self.metrics = Metrics(settings.app_name)
        self.limiter = Limiter(
            settings.app_name, settings.redis_url, enabled=settings.rate_limit_enabled
        )
        self.broker = create_broker(settings.app_name, settings.redis_url, inline=inline_jobs)
        self.jobs = JobDispatcher(self.broker)
        jobs.bind(self.broker, self, backoff=settings.job_retry_backoff)
        self.ticker = Ticker(jobs.periodic, self.jobs)

    @property
    def uptime_seconds(self) -> int:
        return int(time.monotonic() - self._started)

    def worker_broker(self) -> AsyncBroker:
        """The broker as ``trident worker`` runs it: each worker process ticks the
        periodic jobs and closes its database connections on shutdown."""

        async def _startup(_state: object) -> None:
            if self.settings.periodic_jobs:
                self.ticker.start()

        async def _shutdown(_state: object) -> None:
            await self.ticker.stop()
            await self.db.dispose()

        self.broker.add_event_handler(TaskiqEvents.WORKER_STARTUP, _startup)
        self.broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, _shutdown)
        return self.broker

    def unit_of_work(self, *, write: bool = True) -> AbstractAsyncContextManager[AsyncSession]:
        """A transaction for work outside a request (jobs, webhooks delivered in-process)."""
        return unit_of_work(self.db, write=write, info={DISPATCHER: self.jobs})

    def on_write_session(self, session: AsyncSession, request: Request) -> None:
        """Called when a writing request opens its transaction (the audit trail hooks in)."""

    async def record_failed_job(
        self, name: str, arguments: dict[str, Any], error: str, attempts: int
    ) -> None:
        if self.failed_job_model is None:
            log.error(
                "job %s failed for good (%s); this app keeps no failed-jobs table", name, error
            )
            return
        async with self.unit_of_work() as db:
            db.add(
                self.failed_job_model(
                    job_name=name,
                    arguments=json.dumps(arguments, default=str),
                    error=error[:4000],
                    attempts=attempts,
                )
            )

    async def startup(self) -> None:
        await self.broker.startup()
        # jobs run in this process (no Redis): so do the periodic ones
        if self.settings.periodic_jobs and isinstance(self.broker, InMemoryBroker):
            self.ticker.start()

    async def shutdown(self) -> None:
        await self.ticker.stop()
        await self.broker.shutdown()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()

    async def readiness(self) -> dict[str, Any]:
        """Each dependency's state; ``ready`` is False when one is down."""
        checks: dict[str, str] = {}
        try:
            await self.db.ping()
            checks["database"] = "ok"
        except Exception as exc:
            log.warning("readiness: database down: %s", exc)
            checks["database"] = "unavailable"
        if self.redis is None:
            checks["redis"] = "not_configured"
        else:
            try:
                await self.redis.ping()
                checks["redis"] = "ok"
            except Exception as exc:
                log.warning("readiness: redis down: %s", exc)
                checks["redis"] = "unavailable"
        ready = all(v in ("ok", "not_configured") for v in checks.values())
        if checks["database"] != "ok":
            status = "unavailable"
        elif not ready:
            status = "degraded"
        else:
            status = "ready"
        return {"status": status, "ready": ready, "checks": checks}
