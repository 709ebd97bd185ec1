"""``trident worker hibachi``: the taskiq broker factory the worker process runs."""

from __future__ import annotations

from taskiq import AsyncBroker

from trident.apps.hibachi import tasks  # noqa: F401  (registers the jobs)
from trident.apps.hibachi.config import HibachiSettings
from trident.apps.hibachi.runtime import HibachiRuntime


def broker() -> AsyncBroker:
    return HibachiRuntime(HibachiSettings()).worker_broker()
