from __future__ import annotations

from datetime import date, time

import pytest

from trident.core.ai import count_tokens, extract_entities, normalize_phone

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 2026-12-31", date(2026, 12, 31)),
        ("on 12/24", date(2026, 12, 24)),
        ("on 1/5/27", date(2027, 1, 5)),
        ("Dec 15th", date(2026, 12, 15)),
        ("December 15, 2027", date(2027, 12, 15)),
        ("the 3rd of January", date(2027, 1, 3)),
        ("March 1", date(2027, 3, 1)),  # already passed this year: next year
        ("tomorrow", date(2026, 11, 24)),
        ("today", TODAY),
        ("this Saturday", date(2026, 11, 28)),
        ("next friday", date(2026, 11, 27)),
        ("monday", date(2026, 11, 30)),  # said on a Monday: the coming one
        ("in 2 weeks", date(2026, 12, 7)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert extract_entities(text, TODAY).dates == [expected]


def test_impossible_dates_are_skipped() -> None:
    assert extract_entities("on 2026-02-30 or 13/45", TODAY).dates == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at 6pm", time(18)),
        ("at 6:30 p.m.", time(18, 30)),
        ("12am", time(0)),
        ("12 pm", time(12)),
        ("18:45", time(18, 45)),
        ("around noon", time(12)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert extract_entities(text, TODAY).times == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 guests", 20),
        ("party of twelve", 12),
        ("for 15 people", 15),
        ("table for 8", 8),
        ("30 adults and kids", 30),
        ("for 2 hours", None),
        ("at 6pm", None),
        ("on 12/24", None),
    ],
)
def test_guest_counts(text: str, expected: int | None) -> None:
    assert extract_entities(text, TODAY).guests == expected


def test_contacts_and_places() -> None:
    found = extract_entities(
        "Call (408) 555-1234 or +1 650.555.9876, mail Jo.Doe@Example.com. Party in San Jose, "
        "CA 95123 on Dec 5",
        TODAY,
    )
    assert found.phones == ["+14085551234", "+16505559876"]
    assert found.emails == ["jo.doe@example.com"]
    assert found.places == ["San Jose, CA"]
    assert found.zip_codes == ["95123"]
    assert found.dates == [date(2026, 12, 5)]
    assert found.guests is None  # digits of the phone and ZIP are not guests


def test_as_arguments_names_the_first_of_each_kind() -> None:
    found = extract_entities("20 guests on Dec 5 at 6pm, call 408-555-1234", TODAY)
    assert found.as_arguments() == {
        "date": "2026-12-05",
        "time": "18:00",
        "guests": 20,
        "guest_count": 20,
        "phone": "+14085551234",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("408-555-1234", "+14085551234"),
        ("1 (408) 555 1234", "+14085551234"),
        ("555-1234", None),
        ("123-456-7890", None),  # area codes never start with 1
    ],
)
def test_normalize_phone(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_token_count_is_word_and_punctuation_based() -> None:
    assert count_tokens("") == 0
    assert count_tokens("Hello, world!") == 4
    assert count_tokens("internationalization") == 4
