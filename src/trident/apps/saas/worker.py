"""``trident worker saas``: the taskiq broker factory the worker process runs."""

from __future__ import annotations

from taskiq import AsyncBroker

from trident.apps.saas.auth import tasks as _auth_tasks  # noqa: F401  (registers jobs)
from trident.apps.saas.config import SaasSettings
from trident.apps.saas.runtime import SaasRuntime


def broker() -> AsyncBroker:
    return SaasRuntime(SaasSettings()).worker_broker()
