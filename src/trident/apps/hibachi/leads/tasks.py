"""Background jobs of leads: keeping scores current as event dates come closer."""

from __future__ import annotations

from trident.apps.hibachi.leads import service
from trident.apps.hibachi.runtime import HibachiRuntime, jobs

#: the date signal moves in whole days; hourly keeps every station's midnight close
RESCORE_EVERY_SECONDS = 3600


@jobs.job("rescore_leads", every=RESCORE_EVERY_SECONDS)
async def rescore_leads(rt: HibachiRuntime) -> None:
    """Score again the leads whose event-date points moved since they were scored."""
    await service.rescore_by_date(rt)
