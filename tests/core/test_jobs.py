"""Jobs are retried and, after their last try, recorded rather than lost."""

from __future__ import annotations

from typing import Any

from trident.core.jobs import JobDispatcher, JobRegistry, create_broker


class FakeRuntime:
    def __init__(self) -> None:
        self.failed: list[tuple[str, dict[str, Any], str, int]] = []

    async def record_failed_job(
        self, name: str, arguments: dict[str, Any], error: str, attempts: int
    ) -> None:
        self.failed.append((name, arguments, error, attempts))


async def start(registry: JobRegistry, runtime: Any) -> JobDispatcher:
    broker = create_broker("jobs", "", inline=True)
    registry.bind(broker, runtime, backoff=0)
    await broker.startup()
    return JobDispatcher(broker)


async def test_a_flaky_job_is_retried_until_it_succeeds() -> None:
    registry = JobRegistry("jobs")
    tries: list[int] = []

    @registry.job("flaky", retries=3)
    async def flaky(runtime: Any, value: int) -> None:
        tries.append(value)
        if len(tries) < 3:
            raise ConnectionError("smtp down")

    runtime = FakeRuntime()
    await (await start(registry, runtime)).send("jobs.flaky", value=5)
    assert tries == [5, 5, 5]
    assert runtime.failed == []


async def test_a_job_that_always_fails_is_recorded_after_its_last_try() -> None:
    registry = JobRegistry("jobs")
    tries: list[int] = []

    @registry.job("doomed", retries=2)
    async def doomed(runtime: Any, order_id: int) -> None:
        tries.append(order_id)
        raise ValueError(f"order {order_id} is malformed")

    runtime = FakeRuntime()
    await (await start(registry, runtime)).send("jobs.doomed", order_id=9)
    assert tries == [9, 9, 9]
    assert runtime.failed == [
        ("jobs.doomed", {"order_id": 9}, "ValueError: order 9 is malformed", 3)
    ]
