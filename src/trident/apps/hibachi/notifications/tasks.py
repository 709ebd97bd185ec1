"""Background jobs of notifications: delivering the outbox."""

from __future__ import annotations

from trident.apps.hibachi.runtime import DELIVER_MESSAGE_JOB, HibachiRuntime, jobs


@jobs.job(DELIVER_MESSAGE_JOB.removeprefix("hibachi."), retries=3)
async def deliver_message(rt: HibachiRuntime, message_id: int) -> None:
    """Send one queued email or SMS from the outbox (marked failed after the last try)."""
    await rt.notifier.deliver(rt, message_id)
