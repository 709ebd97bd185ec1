"""Background jobs of the auth module."""

from __future__ import annotations

from trident.apps.saas.auth import repository
from trident.apps.saas.runtime import SaasRuntime, jobs


@jobs.job("touch_api_key", retries=1)
async def touch_api_key(rt: SaasRuntime, key_id: int) -> None:
    """Record when a key was last used, outside the request that used it."""
    async with rt.unit_of_work() as db:
        await repository.touch_api_key(db, key_id)
