"""Background jobs of the newsletter: sending a campaign."""

from __future__ import annotations

from trident.apps.hibachi.newsletter import service
from trident.apps.hibachi.runtime import HibachiRuntime, jobs


@jobs.job(service.SEND_CAMPAIGN_JOB.removeprefix("hibachi."), retries=3)
async def send_campaign(rt: HibachiRuntime, campaign_id: int) -> None:
    """Hand a campaign's queued deliveries to the outbox in batches (resumable)."""
    await service.deliver_campaign(rt, campaign_id)


#: how late a scheduled campaign may go out
SCHEDULE_CHECK_SECONDS = 60


@jobs.job("send_scheduled_campaigns", every=SCHEDULE_CHECK_SECONDS)
async def send_scheduled_campaigns(rt: HibachiRuntime) -> None:
    """Start the scheduled campaigns whose time has come."""
    await service.send_due_campaigns(rt)
