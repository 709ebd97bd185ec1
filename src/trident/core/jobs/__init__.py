"""Background jobs on taskiq: in-process by default, a Redis stream with ``trident worker``.

Apps declare jobs on a :class:`JobRegistry`; a job receives the app's runtime as
its first argument, then JSON-serialisable keyword arguments.  Services call
:func:`queue_job`, which sends the job only after the request's commit.

A job that raises is tried again with exponential backoff; after its last try the
failure is written to the app's failed-jobs table (:class:`FailedJobMixin`), so
nothing fails silently.  Every job must be idempotent: the Redis queue delivers
at least once.

A job declared with ``every=`` seconds is also periodic: a :class:`Ticker` sends it
on that interval, from ``trident worker`` (or from the web process itself when jobs
run in-process).  Each process that ticks sends its own, so a periodic job claims
its work with conditional updates and does nothing when there is none.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from taskiq import AsyncBroker, InMemoryBroker

from trident.core.clock import utcnow
from trident.core.db.base import UTCDateTime
from trident.core.db.session import after_commit

log = logging.getLogger("trident.jobs")

JobFunc = Callable[..., Awaitable[Any]]
DISPATCHER = "trident.jobs"
JOB_RECLAIM_AFTER_MS = 5 * 60 * 1000


class FailedJobMixin:
    """A job that failed its last try: what ran, with what, and why."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_name: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    arguments: Mapped[str] = mapped_column(Text, nullable=False)
    error: Mapped[str] = mapped_column(Text, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    failed_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, index=True
    )


class JobRuntime(Protocol):
    """What a job runner needs of the app's runtime."""

    async def record_failed_job(
        self, name: str, arguments: dict[str, Any], error: str, attempts: int
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    func: JobFunc
    retries: int
    #: seconds between runs of a periodic job; None for a job that is only queued
    every: float | None = None


class JobRegistry:
    """The jobs of one app, declared at import and bound to a broker at start-up."""

    def __init__(self, app_name: str) -> None:
        self.app_name = app_name
        self.specs: dict[str, JobSpec] = {}

    def job(
        self, name: str, *, retries: int = 3, every: float | None = None
    ) -> Callable[[JobFunc], JobFunc]:
        """Declare a job; with ``every`` (seconds) it is also sent on that interval.
        A periodic job takes no arguments besides the runtime."""

        def register(func: JobFunc) -> JobFunc:
            full = f"{self.app_name}.{name}"
            if full in self.specs:
                raise ValueError(f"job {full} declared twice")
            self.specs[full] = JobSpec(full, func, retries, every)
            return func

        return register

    @property
    def periodic(self) -> dict[str, float]:
        """Each periodic job's name and interval in seconds."""
        return {s.name: s.every for s in self.specs.values() if s.every is not None}

    def bind(self, broker: AsyncBroker, runtime: Any, *, backoff: float = 1.0) -> None:
        for spec in self.specs.values():
            broker.register_task(run_with_retries(spec, runtime, backoff), task_name=spec.name)


def run_with_retries(spec: JobSpec, runtime: Any, backoff: float) -> JobFunc:
    """The job as the broker runs it: tries, backoff, and the failure recorded."""

    async def run(**kwargs: Any) -> Any:
        attempts = spec.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return await spec.func(runtime, **kwargs)
            except Exception as exc:
                if attempt < attempts:
                    log.warning(
                        "job %s failed (try %d of %d): %s", spec.name, attempt, attempts, exc
                    )
                    await asyncio.sleep(backoff * 2 ** (attempt - 1))
                    continue
                log.exception("job %s failed after %d tries", spec.name, attempts)
                await _record(runtime, spec.name, kwargs, exc, attempts)
        return None

    run.__name__ = spec.func.__name__
    run.__doc__ = spec.func.__doc__
    return run


async def _record(
    runtime: Any, name: str, kwargs: dict[str, Any], exc: Exception, attempts: int
) -> None:
    try:
        await runtime.record_failed_job(name, kwargs, f"{type(exc).__name__}: {exc}", attempts)
    except Exception:
        # The database itself may be what failed; the log line is then the record.
        log.critical("could not record failed job %s %s", name, json.dumps(kwargs, default=str))


def create_broker(app_name: str, redis_url: str, *, inline: bool = False) -> AsyncBroker:
    """In-memory broker for the embedded default, a Redis stream for scale.

    ``inline`` runs each job in-process before ``kiq`` returns, even when Redis is
    configured, which keeps tests deterministic without a worker or sleeping.
    """
    if redis_url and not inline:
        from taskiq_redis import RedisStreamBroker

        # A Redis stream with a consumer group: a job is acknowledged after it ran, and
        # one left unacknowledged by a worker that died is claimed again after
        # JOB_RECLAIM_AFTER_MS, so jobs run at least once (each job is idempotent).
        # Reads block for 2 s at a time, well under redis-py's 5 s socket timeout.
        return RedisStreamBroker(
            redis_url,
            queue_name=f"trident:{app_name}:jobs",
            consumer_group_name=f"trident-{app_name}",
            consumer_id="0",
            idle_timeout=JOB_RECLAIM_AFTER_MS,
            maxlen=100_000,
        )
    return InMemoryBroker(await_inplace=inline)


class JobDispatcher:
    def __init__(self, broker: AsyncBroker) -> None:
        self.broker = broker

    async def send(self, name: str, **kwargs: Any) -> None:
        task = self.broker.find_task(name)
        if task is None:
            raise LookupError(f"no job named {name}")
        await task.kiq(**kwargs)


#: seconds a stopping ticker waits for the job it is running in-process
STOP_GRACE = 30.0


class Ticker:
    """Sends each periodic job when its interval has passed, from this process.

    The first tick sends every periodic job (a restarted worker catches up at once);
    after that each goes when ``every`` seconds have passed since it was last sent.
    """

    #: how often the loop wakes to look for due jobs
    resolution = 5.0

    def __init__(
        self,
        periodic: dict[str, float],
        dispatcher: JobDispatcher,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.periodic = periodic
        self.dispatcher = dispatcher
        self.clock = clock
        self.last_sent: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def due(self) -> list[str]:
        """The jobs to send now, marked as sent."""
        now = self.clock()
        names = [
            name
            for name, every in self.periodic.items()
            if name not in self.last_sent or now - self.last_sent[name] >= every
        ]
        for name in names:
            self.last_sent[name] = now
        return names

    async def tick(self) -> list[str]:
        """Send what is due; a job that cannot be sent is tried on the next tick."""
        sent = []
        for name in self.due():
            try:
                await self.dispatcher.send(name)
                sent.append(name)
            except Exception:
                log.exception("periodic job %s could not be sent", name)
                self.last_sent.pop(name, None)
        return sent

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            await self.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.resolution)

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        if self.periodic and self._task is None:
            self._stopping.clear()
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="ticker")

    async def stop(self) -> None:
        """Stop after the tick in progress: a job running in this process is not cut
        off halfway through a database call (it is, after ``STOP_GRACE`` seconds)."""
        if self._task is not None:
            self._stopping.set()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, STOP_GRACE)
            self._task = None


def queue_job(session: AsyncSession, name: str, **kwargs: Any) -> None:
    """Send job ``name`` once the session's transaction has committed."""
    dispatcher: JobDispatcher = session.info[DISPATCHER]

    async def send() -> None:
        await dispatcher.send(name, **kwargs)

    after_commit(session, send)
