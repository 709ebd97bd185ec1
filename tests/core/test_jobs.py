"""Jobs are retried and, after their last try, recorded rather than lost; periodic
jobs are sent on their interval."""

from __future__ import annotations

from typing import Any

from trident.core.jobs import JobDispatcher, JobRegistry, Ticker, create_broker


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


# -- periodic jobs ------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class RecordingDispatcher(JobDispatcher):
    def __init__(self, failing: set[str] | None = None) -> None:
        self.sent: list[str] = []
        self.failing = failing or set()

    async def send(self, name: str, **kwargs: Any) -> None:
        if name in self.failing:
            raise ConnectionError("redis down")
        self.sent.append(name)


def test_only_jobs_declared_with_an_interval_are_periodic() -> None:
    registry = JobRegistry("jobs")

    @registry.job("queued_only")
    async def queued_only(runtime: Any) -> None:
        return None

    @registry.job("hourly", every=3600)
    async def hourly(runtime: Any) -> None:
        return None

    assert registry.periodic == {"jobs.hourly": 3600}


async def test_the_ticker_sends_each_job_at_once_then_on_its_interval() -> None:
    clock, dispatcher = FakeClock(), RecordingDispatcher()
    ticker = Ticker({"jobs.minutely": 60, "jobs.hourly": 3600}, dispatcher, clock)

    first = await ticker.tick()
    clock.now += 59
    early = await ticker.tick()
    clock.now += 1
    minute = await ticker.tick()
    clock.now += 3540
    hour = await ticker.tick()

    assert first == ["jobs.minutely", "jobs.hourly"]
    assert (early, minute) == ([], ["jobs.minutely"])
    assert hour == ["jobs.minutely", "jobs.hourly"]
    assert dispatcher.sent == first + minute + hour


async def test_a_job_the_ticker_could_not_send_is_sent_on_the_next_tick() -> None:
    clock, dispatcher = FakeClock(), RecordingDispatcher(failing={"jobs.hourly"})
    ticker = Ticker({"jobs.hourly": 3600}, dispatcher, clock)

    assert await ticker.tick() == []
    dispatcher.failing.clear()
    clock.now += ticker.resolution

    assert await ticker.tick() == ["jobs.hourly"]
    assert dispatcher.sent == ["jobs.hourly"]
