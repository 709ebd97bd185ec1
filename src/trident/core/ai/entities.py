"""Deterministic entity extraction for the local assistant.

From free text (a chat message, an SMS, an email) it finds dates, times, guest
counts, phone numbers, emails and places, the facts a sales conversation turns
on.  Relative dates ("tomorrow", "next Saturday") resolve against ``today``.
Pure functions: easy to unit test, cheap to run on every message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from trident.core.text import normalize_phone

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUMBER = r"\d{1,4}|" + "|".join(NUMBER_WORDS)

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w@])(?:\+?1[\s.-]?)?\(?(\d{3})\)?[\s.-]?(\d{3})[\s.-]?(\d{4})(?!\d)")
ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
SLASH_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
MONTH_DAY = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I
)
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_NAMES})\b\.?(?:,?\s+(\d{{4}}))?", re.I
)
RELATIVE = re.compile(r"\b(today|tonight|tomorrow|day after tomorrow)\b", re.I)
WEEKDAY = re.compile(rf"\b(?:(next|this|coming)\s+)?({_WEEKDAY_NAMES})\b", re.I)
IN_DAYS = re.compile(r"\bin\s+(\d{1,3})\s+(day|week)s?\b", re.I)
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)", re.I)
CLOCK_24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
NAMED_TIME = re.compile(r"\b(noon|midday|midnight)\b", re.I)
GUESTS = re.compile(
    rf"\b({_NUMBER})\s*(?:\+\s*)?(?:guests?|people|persons?|adults?|pax|attendees|ppl|kids|"
    rf"children|heads)\b|\bparty\s+of\s+({_NUMBER})\b|\bfor\s+({_NUMBER})\b(?!\s*(?:am\b|pm\b|:|%|\$|hours?|hrs?|minutes?|mins?|days?|"
    rf"weeks?|months?|years?|dollars?))",
    re.I,
)
ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")
PLACE = re.compile(
    r"\b(?:in|at|near|to)\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,3})"
    r"(?:,\s*([A-Z]{2}))?\b"
)
NOT_PLACES = (
    {"I", "We", "My", "The", "Our", "It", "This", "That"}
    | {m.capitalize() for m in MONTHS}
    | {w.capitalize() for w in WEEKDAYS}
)


@dataclass(slots=True)
class Entities:
    dates: list[date] = field(default_factory=list)
    times: list[time] = field(default_factory=list)
    guests: int | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    zip_codes: list[str] = field(default_factory=list)

    def as_arguments(self) -> dict[str, Any]:
        """The first of each kind, named the way tool parameters name them."""
        values: dict[str, Any] = {
            "date": self.dates[0].isoformat() if self.dates else None,
            "time": self.times[0].strftime("%H:%M") if self.times else None,
            "guests": self.guests,
            "guest_count": self.guests,
            "phone": self.phones[0] if self.phones else None,
            "email": self.emails[0] if self.emails else None,
            "location": self.places[0] if self.places else None,
            "zip_code": self.zip_codes[0] if self.zip_codes else None,
        }
        return {k: v for k, v in values.items() if v is not None}


def _number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _future(month: int, day: int, today: date) -> date | None:
    """A month/day without a year: this year, or next year once it has passed."""
    candidate = _safe_date(today.year, month, day)
    if candidate is not None and candidate < today:
        candidate = _safe_date(today.year + 1, month, day)
    return candidate


def _year(raw: str | None, month: int, day: int, today: date) -> date | None:
    if raw is None:
        return _future(month, day, today)
    year = int(raw)
    return _safe_date(year + 2000 if year < 100 else year, month, day)


def extract_dates(text: str, today: date) -> list[date]:
    found: list[tuple[int, date]] = []
    for m in ISO_DATE.finditer(text):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        if d:
            found.append((m.start(), d))
    for m in SLASH_DATE.finditer(text):
        d = _year(m[3], int(m[1]), int(m[2]), today)
        if d:
            found.append((m.start(), d))
    for m in MONTH_DAY.finditer(text):
        d = _year(m[3], MONTHS[m[1].lower()], int(m[2]), today)
        if d:
            found.append((m.start(), d))
    for m in DAY_MONTH.finditer(text):
        d = _year(m[3], MONTHS[m[2].lower()], int(m[1]), today)
        if d:
            found.append((m.start(), d))
    for m in RELATIVE.finditer(text):
        word = m[1].lower()
        offset = {"today": 0, "tonight": 0, "tomorrow": 1}.get(word, 2)
        found.append((m.start(), today + timedelta(days=offset)))
    for m in IN_DAYS.finditer(text):
        amount = int(m[1]) * (7 if m[2].lower() == "week" else 1)
        found.append((m.start(), today + timedelta(days=amount)))
    for m in WEEKDAY.finditer(text):
        ahead = (WEEKDAYS[m[2].lower()] - today.weekday()) % 7
        if ahead == 0 and (m[1] or "").lower() != "this":
            ahead = 7  # "Saturday" said on a Saturday means the coming one
        found.append((m.start(), today + timedelta(days=ahead)))
    seen: list[date] = []
    for _, d in sorted(found, key=lambda item: item[0]):
        if d not in seen:
            seen.append(d)
    return seen


def extract_times(text: str) -> list[time]:
    found: list[tuple[int, time]] = []
    for m in CLOCK.finditer(text):
        hour, minute = int(m[1]), int(m[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            continue
        pm = m[3].lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
        found.append((m.start(), time(hour, minute)))
    for m in CLOCK_24.finditer(text):
        if any(abs(pos - m.start()) < 3 for pos, _ in found):
            continue  # "6:30 pm" was already read with its am/pm
        found.append((m.start(), time(int(m[1]), int(m[2]))))
    for m in NAMED_TIME.finditer(text):
        found.append((m.start(), time(0, 0) if m[1].lower() == "midnight" else time(12, 0)))
    result: list[time] = []
    for _, t in sorted(found, key=lambda item: item[0]):
        if t not in result:
            result.append(t)
    return result


def extract_guests(text: str) -> int | None:
    for m in GUESTS.finditer(text):
        raw = m[1] or m[2] or m[3]
        value = _number(raw) if raw else None
        if value is not None and 0 < value <= 10_000:
            return value
    return None


def extract_phones(text: str) -> list[str]:
    phones: list[str] = []
    for m in PHONE.finditer(text):
        phone = normalize_phone(m[0])
        if phone and phone not in phones:
            phones.append(phone)
    return phones


def extract_emails(text: str) -> list[str]:
    emails: list[str] = []
    for m in EMAIL.finditer(text):
        email = m[0].rstrip(".").lower()
        if email not in emails:
            emails.append(email)
    return emails


def extract_places(text: str) -> list[str]:
    places: list[str] = []
    for m in PLACE.finditer(text):
        words = m[1].split()
        while words and words[0] in NOT_PLACES:
            words.pop(0)
        if not words:
            continue
        place = " ".join(words) + (f", {m[2]}" if m[2] else "")
        if place not in places:
            places.append(place)
    return places


def extract_entities(text: str, today: date) -> Entities:
    # Phones and emails first, so their digits are not read as dates or guests.
    emails = extract_emails(text)
    phones = extract_phones(text)
    scrubbed = PHONE.sub(" ", EMAIL.sub(" ", text))
    dates = extract_dates(scrubbed, today)
    times = extract_times(scrubbed)
    without_dates = ISO_DATE.sub(" ", SLASH_DATE.sub(" ", MONTH_DAY.sub(" ", scrubbed)))
    return Entities(
        dates=dates,
        times=times,
        guests=extract_guests(without_dates),
        phones=phones,
        emails=emails,
        places=extract_places(scrubbed),
        zip_codes=list(dict.fromkeys(ZIP.findall(without_dates))),
    )
