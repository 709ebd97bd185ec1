"""Background jobs on taskiq: in-process by default, a Redis queue with ``trident worker``.

Apps declare jobs on a :class:`JobRegistry`; a job receives the app's runtime as
its first argument, then JSON-serialisable keyword arguments.  Services call
:func:`queue_job`, which sends the job only after the request's commit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from taskiq import AsyncBroker, InMemoryBroker, SimpleRetryMiddleware

from trident.core.db.session import after_commit

log = logging.getLogger("trident.jobs")

JobFunc = Callable[..., Awaitable[Any]]
DISPATCHER = "trident.jobs"
JOB_RECLAIM_AFTER_MS = 5 * 60 * 1000


@dataclass(frozen=True, slots=True)
class JobSpec:
    name: str
    func: JobFunc
    retries: int


class JobRegistry:
    """The jobs of one app, declared at import and bound to a broker at start-up."""

    def __init__(self, app_name: str) -> None:
        self.app_name = app_name
        self.specs: dict[str, JobSpec] = {}

    def job(self, name: str, *, retries: int = 3) -> Callable[[JobFunc], JobFunc]:
        def register(func: JobFunc) -> JobFunc:
            full = f"{self.app_name}.{name}"
            if full in self.specs:
                raise ValueError(f"job {full} declared twice")
            self.specs[full] = JobSpec(full, func, retries)
            return func

        return register

    def bind(self, broker: AsyncBroker, runtime: Any) -> None:
        for spec in self.specs.values():
            broker.register_task(
                _bound(spec.func, runtime),
                task_name=spec.name,
                retry_on_error=spec.retries > 0,
                max_retries=spec.retries,
            )


def _bound(func: JobFunc, runtime: Any) -> JobFunc:
    async def run(**kwargs: Any) -> Any:
        return await func(runtime, **kwargs)

    run.__name__ = func.__name__
    run.__doc__ = func.__doc__
    return run


def create_broker(app_name: str, redis_url: str, *, inline: bool = False) -> AsyncBroker:
    """In-memory broker for the embedded default, a Redis list queue for scale.

    ``inline`` runs each job in-process before ``kiq`` returns, even when Redis is
    configured, which keeps tests deterministic without a worker or sleeping.
    """
    retry = SimpleRetryMiddleware(default_retry_count=3)
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
        ).with_middlewares(retry)
    return InMemoryBroker(await_inplace=inline).with_middlewares(retry)


class JobDispatcher:
    def __init__(self, broker: AsyncBroker) -> None:
        self.broker = broker

    async def send(self, name: str, **kwargs: Any) -> None:
        task = self.broker.find_task(name)
        if task is None:
            raise LookupError(f"no job named {name}")
        await task.kiq(**kwargs)


def queue_job(session: AsyncSession, name: str, **kwargs: Any) -> None:
    """Send job ``name`` once the session's transaction has committed."""
    dispatcher: JobDispatcher = session.info[DISPATCHER]

    async def send() -> None:
        await dispatcher.send(name, **kwargs)

    after_commit(session, send)
