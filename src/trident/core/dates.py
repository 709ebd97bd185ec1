"""Dates and instants taken from clients: one strict parser and one meaning for all.

- A **day** (``Day``) is a calendar date written ``YYYY-MM-DD``, nothing else: pydantic's
  lax date parsing would read ``0`` as 1970-01-01 and ``1e9`` as a day in 2001.
- A **date filter** is a :class:`DateRange` of *inclusive* days on the wall clock of a
  business time zone.  ``date_to=2026-12-02`` includes everything that happened on
  2 December in California, which ends at 08:00 UTC on the 3rd.
- An **instant** (``Instant``) is an ISO 8601 date-time, normalised to UTC on input.  One
  without an offset is read as UTC.  One whose UTC value falls outside what a
  ``datetime`` can hold (``9999-12-31T23:59:59-12:00``) is refused with a 422 instead of
  overflowing when it is stored.

Every piece of date arithmetic on client input goes through here, so none of it can
overflow: an open or unrepresentable bound simply means "no bound".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from trident.core.clock import zone
from trident.core.errors import Unprocessable

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE = re.compile(DATE_PATTERN)


def parse_day(value: Any) -> Any:
    """``YYYY-MM-DD`` (or a ``date``) only; pydantic then checks the calendar."""
    if isinstance(value, datetime):
        raise ValueError("must be a date (YYYY-MM-DD), not a date-time")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value} is not a day of the calendar") from None
    raise ValueError("must be a date in the form YYYY-MM-DD")


#: a calendar day from a client: ``YYYY-MM-DD`` strictly
Day = Annotated[
    date,
    BeforeValidator(parse_day),
    Field(json_schema_extra={"pattern": DATE_PATTERN}),
]


def to_utc(value: datetime) -> datetime:
    """An instant in UTC (naive means UTC); ``ValueError`` when UTC cannot hold it."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is outside the range of dates that can be stored") from None


#: an ISO 8601 date-time from a client, normalised to UTC
Instant = Annotated[datetime, AfterValidator(to_utc)]


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the ends of the calendar instead of overflowing."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def start_of_day(day: date, timezone: str) -> datetime | None:
    """The UTC instant a business day begins, or None when no ``datetime`` can hold it
    (the first day of year 1 east of UTC): a bound that far out bounds nothing."""
    try:
        return datetime.combine(day, time.min, tzinfo=zone(timezone)).astimezone(UTC)
    except OverflowError:
        return None


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive business days; either end may be open (None)."""

    start: date | None
    end: date | None
    timezone: str = "UTC"

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """``[since, until)`` in UTC for a timestamp column; None is no bound."""
        since = start_of_day(self.start, self.timezone) if self.start is not None else None
        until = None
        if self.end is not None and self.end < date.max:
            until = start_of_day(self.end + timedelta(days=1), self.timezone)
        return since, until

    def previous(self) -> DateRange | None:
        """The range of equal length just before this one; None when the calendar ends
        first (or the range is open)."""
        if self.start is None or self.end is None or self.start == date.min:
            return None
        length = (self.end - self.start).days
        end = self.start - timedelta(days=1)
        if (end - date.min).days < length:
            return None
        return DateRange(end - timedelta(days=length), end, self.timezone)

    def each_day(self) -> list[date]:
        """Every day of a closed range (for charts with one row a day)."""
        if self.start is None or self.end is None:
            raise ValueError("an open range has no list of days")
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def date_range(
    start: date | None,
    end: date | None,
    *,
    timezone: str = "UTC",
    names: tuple[str, str] = ("date_from", "date_to"),
    max_days: int | None = None,
) -> DateRange:
    """A client's ``[start, end]`` filter, refused (422 ``invalid_period``) when it ends
    before it starts or, with ``max_days``, when it is longer than that."""
    if start is not None and end is not None and end < start:
        raise Unprocessable(
            f"{names[1]} is before {names[0]}.",
            code="invalid_period",
            details={names[1]: f"must not be before {names[0]}"},
        )
    result = DateRange(start, end, timezone)
    days = result.days
    if max_days is not None and days is not None and days > max_days:
        raise Unprocessable(
            f"Ask for at most {max_days} days at a time.",
            code="invalid_period",
            details={names[1]: f"the period may span at most {max_days} days"},
        )
    return result
