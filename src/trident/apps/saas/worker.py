"""``trident worker saas``: the taskiq broker factory the worker process runs."""

from __future__ import annotations

from taskiq import AsyncBroker, TaskiqEvents

from trident.apps.saas.auth import tasks as _auth_tasks  # noqa: F401  (registers jobs)
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.runtime import SaasRuntime


def broker() -> AsyncBroker:
    runtime = SaasRuntime(SaasSettings())

    async def _shutdown(_state: object) -> None:
        await runtime.db.dispose()

    runtime.broker.add_event_handler(TaskiqEvents.WORKER_SHUTDOWN, _shutdown)
    return runtime.broker
