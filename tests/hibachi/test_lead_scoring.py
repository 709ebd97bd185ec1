"""The lead score and the nurture plan: pure functions, tested without the app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from trident.apps.hibachi.leads.nurture import nurture_sequence
from trident.apps.hibachi.leads.scoring import breakdown, score_lead, tier

TODAY = date(2025, 11, 5)
CREATED = datetime(2025, 11, 1, 9, 0, tzinfo=UTC)


def score(**overrides: object) -> int:
    values: dict[str, object] = {
        "source": "other",
        "guest_count": None,
        "event_date": None,
        "today": TODAY,
        "interactions": 0,
        "has_email": False,
        "has_phone": False,
    }
    values.update(overrides)
    return score_lead(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "points"),
    [
        ("referral", 25),
        ("booking_form", 20),
        ("website", 20),
        ("phone", 20),
        ("instagram", 15),
        ("facebook", 15),
        ("google", 15),
        ("yelp", 15),
        ("tiktok", 5),
        ("manual", 5),
    ],
)
def test_source_points(source: str, points: int) -> None:
    assert score(source=source) == points


@pytest.mark.parametrize(
    ("guests", "points"),
    [(None, 0), (1, 5), (9, 5), (10, 15), (24, 15), (25, 20), (49, 20), (50, 25), (500, 25)],
)
def test_guest_count_points(guests: int | None, points: int) -> None:
    assert score(guest_count=guests) == 5 + points


@pytest.mark.parametrize(
    ("days_ahead", "points"),
    [(None, 0), (-1, 0), (0, 25), (14, 25), (15, 20), (30, 20), (31, 15), (60, 15), (61, 10)],
)
def test_event_date_proximity_points(days_ahead: int | None, points: int) -> None:
    event_date = TODAY + timedelta(days=days_ahead) if days_ahead is not None else None
    assert score(event_date=event_date) == 5 + points


def test_engagement_is_five_per_interaction_up_to_twenty_plus_both_contacts() -> None:
    assert [score(interactions=n) for n in (0, 1, 3, 4, 9)] == [5, 10, 20, 25, 25]
    assert score(has_email=True, has_phone=False) == 5
    assert score(has_email=True, has_phone=True) == 10


def test_the_total_is_capped_at_one_hundred_and_broken_down() -> None:
    parts = breakdown(
        source="referral",
        guest_count=80,
        event_date=TODAY + timedelta(days=3),
        today=TODAY,
        interactions=10,
        has_email=True,
        has_phone=True,
    )
    assert (parts.source, parts.guest_count, parts.event_date, parts.engagement) == (
        25,
        25,
        25,
        25,
    )
    assert parts.total == 100


def test_tiers() -> None:
    assert [tier(s) for s in (0, 39, 40, 69, 70, 100)] == [
        "cold",
        "cold",
        "warm",
        "warm",
        "hot",
        "hot",
    ]


# -- nurture ---------------------------------------------------------------------------


def plan(
    *,
    score: int = 50,
    status: str = "contacted",
    interactions: list[tuple[str, datetime]] | None = None,
    now: datetime | None = None,
) -> list[tuple[str, str, str]]:
    steps = nurture_sequence(
        created_at=CREATED,
        status=status,
        score=score,
        interactions=interactions or [],
        now=now or CREATED + timedelta(days=2),
    )
    return [(s.template, s.channel, s.state) for s in steps]


def test_warm_sequence_schedule_at_day_offsets() -> None:
    steps = nurture_sequence(
        created_at=CREATED, status="new", score=50, interactions=[], now=CREATED
    )
    assert [(s.step, s.day, s.channel, s.template) for s in steps] == [
        (1, 0, "email", "intro_email"),
        (2, 1, "sms", "check_in_sms"),
        (3, 3, "call", "follow_up_call"),
        (4, 7, "email", "offer_email"),
        (5, 14, "sms", "last_chance_sms"),
    ]
    assert steps[3].scheduled_at == CREATED + timedelta(days=7)
    assert [s.state for s in steps] == ["due", "upcoming", "upcoming", "upcoming", "upcoming"]


def test_hot_leads_get_a_call_within_hours_and_cold_leads_more_room() -> None:
    hot = nurture_sequence(created_at=CREATED, status="new", score=80, interactions=[], now=CREATED)
    cold = nurture_sequence(
        created_at=CREATED, status="new", score=10, interactions=[], now=CREATED
    )
    assert (hot[1].channel, hot[1].offset_hours) == ("call", 2)
    assert [s.day for s in cold] == [0, 2, 5, 10, 21]


def test_a_step_is_done_by_an_interaction_of_its_channel_after_its_time() -> None:
    email = ("email", CREATED + timedelta(hours=1))
    early_call = ("call", CREATED + timedelta(days=1))  # before the day-3 call is scheduled
    now = CREATED + timedelta(days=4)
    assert plan(interactions=[email, early_call], now=now) == [
        ("intro_email", "email", "done"),
        ("check_in_sms", "sms", "due"),
        ("follow_up_call", "call", "due"),
        ("offer_email", "email", "upcoming"),
        ("last_chance_sms", "sms", "upcoming"),
    ]


def test_one_interaction_completes_the_latest_step_of_its_channel_and_supersedes_earlier() -> None:
    late_email = ("email", CREATED + timedelta(days=8))
    steps = nurture_sequence(
        created_at=CREATED,
        status="qualified",
        score=50,
        interactions=[late_email],
        now=CREATED + timedelta(days=9),
    )
    assert [(s.template, s.state) for s in steps] == [
        ("intro_email", "skipped"),
        ("check_in_sms", "skipped"),
        ("follow_up_call", "skipped"),
        ("offer_email", "done"),
        ("last_chance_sms", "upcoming"),
    ]
    assert steps[3].completed_at == late_email[1]
    assert steps[0].reason == "a later step is already done"


def test_quote_sent_counts_as_email_and_meeting_as_call() -> None:
    interactions = [
        ("quote_sent", CREATED + timedelta(minutes=5)),
        ("meeting", CREATED + timedelta(hours=3)),
        ("note", CREATED + timedelta(hours=4)),
    ]
    assert plan(score=90, interactions=interactions, now=CREATED + timedelta(hours=5)) == [
        ("intro_email", "email", "done"),
        ("quick_call", "call", "done"),
        ("check_in_sms", "sms", "upcoming"),
        ("offer_email", "email", "upcoming"),
        ("last_chance_sms", "sms", "upcoming"),
    ]


@pytest.mark.parametrize("status", ["converted", "lost"])
def test_a_closed_lead_skips_what_remains(status: str) -> None:
    email = ("email", CREATED + timedelta(hours=1))
    steps = nurture_sequence(
        created_at=CREATED,
        status=status,
        score=50,
        interactions=[email],
        now=CREATED + timedelta(days=2),
    )
    assert [s.state for s in steps] == ["done", "skipped", "skipped", "skipped", "skipped"]
    assert steps[1].reason == f"the lead is {status}"
