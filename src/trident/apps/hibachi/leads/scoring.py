"""How promising a lead is: a score from 0 to 100, the sum of four signals.

======================  =====================================================  ======
signal                  rule                                                   points
======================  =====================================================  ======
source                  ``referral``                                           25
                        ``booking_form``, ``website``, ``phone``               20
                        ``instagram``, ``facebook``, ``google``, ``yelp``      15
                        anything else                                          5
guest count             50 or more                                             25
                        25 or more                                             20
                        10 or more                                             15
                        1 or more                                              5
                        unknown                                                0
event date (from the    within 14 days (today included)                        25
station's today)        within 30 days                                         20
                        within 60 days                                         15
                        later                                                  10
                        past or unknown                                        0
engagement              5 per interaction logged on the lead, at most 20;      0-25
                        plus 5 when both an email and a phone are known
======================  =====================================================  ======

The total is capped at 100.  Interactions are the lead's events except the
``status_change`` records the system writes itself (bookkeeping, not engagement).
A lead's score is computed again whenever it is created, changed, or gets an event,
and hourly (the ``hibachi.rescore_leads`` job) for leads whose event date is near
enough for the passing days to move its points.
Tiers: ``hot`` from 70, ``warm`` from 40, else ``cold``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SOURCE_POINTS: dict[str, int] = {
    "referral": 25,
    "booking_form": 20,
    "website": 20,
    "phone": 20,
    "instagram": 15,
    "facebook": 15,
    "google": 15,
    "yelp": 15,
}
OTHER_SOURCE_POINTS = 5
POINTS_PER_INTERACTION = 5
MAX_INTERACTION_POINTS = 20
BOTH_CONTACTS_POINTS = 5
MAX_SCORE = 100
HOT, WARM = 70, 40
#: an event further ahead than this many days scores the same tomorrow
DATE_HORIZON_DAYS = 61


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    source: int
    guest_count: int
    event_date: int
    engagement: int

    @property
    def total(self) -> int:
        return min(MAX_SCORE, self.source + self.guest_count + self.event_date + self.engagement)


def source_points(source: str | None) -> int:
    return SOURCE_POINTS.get((source or "").strip().lower(), OTHER_SOURCE_POINTS)


def guest_count_points(guest_count: int | None) -> int:
    if guest_count is None or guest_count < 1:
        return 0
    if guest_count >= 50:
        return 25
    if guest_count >= 25:
        return 20
    if guest_count >= 10:
        return 15
    return 5


def event_date_points(event_date: date | None, today: date) -> int:
    if event_date is None:
        return 0
    days = (event_date - today).days
    if days < 0:
        return 0
    if days <= 14:
        return 25
    if days <= 30:
        return 20
    if days <= 60:
        return 15
    return 10


def engagement_points(interactions: int, *, has_email: bool, has_phone: bool) -> int:
    points = min(MAX_INTERACTION_POINTS, POINTS_PER_INTERACTION * max(0, interactions))
    return points + (BOTH_CONTACTS_POINTS if has_email and has_phone else 0)


def breakdown(
    *,
    source: str | None,
    guest_count: int | None,
    event_date: date | None,
    today: date,
    interactions: int,
    has_email: bool,
    has_phone: bool,
) -> ScoreBreakdown:
    return ScoreBreakdown(
        source=source_points(source),
        guest_count=guest_count_points(guest_count),
        event_date=event_date_points(event_date, today),
        engagement=engagement_points(interactions, has_email=has_email, has_phone=has_phone),
    )


def score_lead(
    *,
    source: str | None,
    guest_count: int | None,
    event_date: date | None,
    today: date,
    interactions: int,
    has_email: bool,
    has_phone: bool,
) -> int:
    """The lead's score, 0 to 100 (the rules are in this module's docstring)."""
    return breakdown(
        source=source,
        guest_count=guest_count,
        event_date=event_date,
        today=today,
        interactions=interactions,
        has_email=has_email,
        has_phone=has_phone,
    ).total


def tier(score: int) -> str:
    """``hot``, ``warm`` or ``cold``."""
    if score >= HOT:
        return "hot"
    if score >= WARM:
        return "warm"
    return "cold"
