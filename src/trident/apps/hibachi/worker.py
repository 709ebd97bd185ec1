"""``trident worker hibachi``: the taskiq broker factory the worker process runs."""

from __future__ import annotations

from taskiq import AsyncBroker, TaskiqEvents

from trident.apps.hibachi import tasks  # noqa: F401  (registers the jobs)
from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.runtime import HibachiRuntime


def broker() -> AsyncBroker:
    runtime = HibachiRuntime(HibachiSettings())

    async def _shutdown(_state: object) -> None:
        await runtime.db.dispose()

    runtime.broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, _shutdown)
    return runtime.broker
