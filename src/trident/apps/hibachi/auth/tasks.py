"""Background jobs of the auth module."""

from __future__ import annotations

from trident.apps.hibachi.auth import repository
from trident.apps.hibachi.runtime import HibachiRuntime, jobs


@jobs.job("touch_api_key", retries=1)
async def touch_api_key(rt: HibachiRuntime, key_id: int) -> None:
    """Record when a key was last used, outside the request that used it."""
    async with rt.unit_of_work() as db:
        await repository.touch_api_key(db, key_id)
