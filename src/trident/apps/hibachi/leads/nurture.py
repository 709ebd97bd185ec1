"""A lead's follow-up plan: which touch is due when, and which are already done.

The plan is computed, never stored: a sequence of steps at offsets from the lead's
creation, chosen by the lead's score tier (a hot lead gets its call within hours, a
cold one is given more room), checked against the interactions logged on the lead.

* A step is **done** when an interaction of its channel was logged on or after the
  step's scheduled time (``email`` and ``quote_sent`` count as email, ``call`` and
  ``meeting`` as a call, ``sms`` as SMS).  One interaction completes one step: the
  latest step of that channel already scheduled when it happened.
* A step not done is **skipped** when the lead is converted or lost, or when a later
  step is already done (the sequence has moved on); else **due** when its time has
  come, else **upcoming**.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from trident.apps.hibachi.leads.scoring import tier

#: which logged interactions complete a step of each channel
CHANNEL_EVENTS: dict[str, frozenset[str]] = {
    "email": frozenset({"email", "quote_sent"}),
    "sms": frozenset({"sms"}),
    "call": frozenset({"call", "meeting"}),
}
#: statuses that end the sequence
CLOSED_STATUSES = frozenset({"converted", "lost"})


@dataclass(frozen=True, slots=True)
class PlannedStep:
    template: str
    channel: str
    offset: timedelta
    purpose: str


def _step(
    template: str, channel: str, purpose: str, *, days: int = 0, hours: int = 0
) -> PlannedStep:
    return PlannedStep(template, channel, timedelta(days=days, hours=hours), purpose)


INTRO = "Thank them for the request and confirm the details we have"
CHECK_IN = "Check in by text: any questions, is the date still open?"
QUICK_CALL = "Call while the interest is fresh: date, guests, quote"
CALL = "Call to settle the date, the guest count and the menu"
OFFER = "Send the quote with a limited-time offer"
LAST_CHANCE = "Last reminder before we release the date"

SEQUENCES: dict[str, tuple[PlannedStep, ...]] = {
    "hot": (
        _step("intro_email", "email", INTRO),
        _step("quick_call", "call", QUICK_CALL, hours=2),
        _step("check_in_sms", "sms", CHECK_IN, days=1),
        _step("offer_email", "email", OFFER, days=3),
        _step("last_chance_sms", "sms", LAST_CHANCE, days=7),
    ),
    "warm": (
        _step("intro_email", "email", INTRO),
        _step("check_in_sms", "sms", CHECK_IN, days=1),
        _step("follow_up_call", "call", CALL, days=3),
        _step("offer_email", "email", OFFER, days=7),
        _step("last_chance_sms", "sms", LAST_CHANCE, days=14),
    ),
    "cold": (
        _step("intro_email", "email", INTRO),
        _step("check_in_sms", "sms", CHECK_IN, days=2),
        _step("follow_up_call", "call", CALL, days=5),
        _step("offer_email", "email", OFFER, days=10),
        _step("last_chance_sms", "sms", LAST_CHANCE, days=21),
    ),
}


@dataclass(frozen=True, slots=True)
class NurtureStep:
    step: int
    day: int
    offset_hours: int
    channel: str
    template: str
    purpose: str
    scheduled_at: datetime
    state: str  # done | due | upcoming | skipped
    completed_at: datetime | None
    reason: str | None


def channel_of(event_type: str) -> str | None:
    for channel, kinds in CHANNEL_EVENTS.items():
        if event_type in kinds:
            return channel
    return None


def nurture_sequence(
    *,
    created_at: datetime,
    status: str,
    score: int,
    interactions: Iterable[tuple[str, datetime]],
    now: datetime,
) -> list[NurtureStep]:
    """The lead's steps with their state; ``interactions`` are (event_type, time)."""
    planned = SEQUENCES[tier(score)]
    scheduled = [created_at + p.offset for p in planned]
    done_at: dict[int, datetime] = {}
    for event_type, at in sorted(interactions, key=lambda pair: pair[1]):
        channel = channel_of(event_type)
        if channel is None:
            continue
        open_steps = [
            i
            for i, p in enumerate(planned)
            if p.channel == channel and i not in done_at and scheduled[i] <= at
        ]
        if open_steps:
            done_at[max(open_steps)] = at
    last_done = max(done_at, default=-1)
    closed = status in CLOSED_STATUSES
    steps = []
    for i, p in enumerate(planned):
        reason = None
        if i in done_at:
            state = "done"
        elif closed:
            state, reason = "skipped", f"the lead is {status}"
        elif i < last_done:
            state, reason = "skipped", "a later step is already done"
        elif scheduled[i] <= now:
            state = "due"
        else:
            state = "upcoming"
        steps.append(
            NurtureStep(
                step=i + 1,
                day=p.offset.days,
                offset_hours=int(p.offset.total_seconds() // 3600),
                channel=p.channel,
                template=p.template,
                purpose=p.purpose,
                scheduled_at=scheduled[i],
                state=state,
                completed_at=done_at.get(i),
                reason=reason,
            )
        )
    return steps
