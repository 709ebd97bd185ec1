"""Jobs through the Redis queue, consumed the way ``trident worker`` consumes them."""

from __future__ import annotations

import asyncio

import pytest
from taskiq.receiver import Receiver

from tests.conftest import redis_url
from trident.core.jobs import JobDispatcher, JobRegistry, create_broker

pytestmark = pytest.mark.skipif(not redis_url(), reason="needs TEST_REDIS_URL (postgres run)")


async def test_a_job_sent_by_the_web_process_runs_in_a_worker() -> None:
    registry = JobRegistry("redisjobs")
    done = asyncio.Event()
    ran: list[tuple[str, int]] = []

    @registry.job("record")
    async def record(runtime: str, value: int) -> None:
        ran.append((runtime, value))
        done.set()

    web = create_broker("redisjobs", redis_url())
    registry.bind(web, "web-runtime")
    await web.startup()
    await JobDispatcher(web).send("redisjobs.record", value=7)
    await web.shutdown()

    worker = create_broker("redisjobs", redis_url())
    worker.is_worker_process = True
    registry.bind(worker, "worker-runtime")
    await worker.startup()
    stop = asyncio.Event()
    listening = asyncio.create_task(Receiver(worker, run_startup=False).listen(stop))
    try:
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(listening, timeout=10)
        await worker.shutdown()
    # The worker ran it with its own runtime, exactly once.
    assert ran == [("worker-runtime", 7)]
