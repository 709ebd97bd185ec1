"""The one clock every app reads: "now" is UTC, "today" is a business day.

Nothing else in the project asks the host for the time.  A business day is the
date on the wall clock of a time zone (``business_timezone``, or a tenant's own),
never the host's local date nor UTC's: a hibachi party booked at 17:00 in
California is booked on that Californian day, which is already tomorrow in UTC.

Tests read the same clock (through their ``clock`` fixture) or freeze it with
time-machine; both patch what these functions call, so the app and its tests
always agree on the day.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def unix_time() -> float:
    """The current instant in seconds since the epoch (Stripe-style timestamps)."""
    return time.time()


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A time zone by its IANA name; ``ValueError`` for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def today_in(timezone: str) -> date:
    """The date on the wall clock of ``timezone`` right now."""
    return datetime.now(zone(timezone)).date()


@dataclass(frozen=True, slots=True)
class BusinessClock:
    """An app's clock: UTC instants and the business day of its time zone."""

    timezone: str

    def now(self) -> datetime:
        return utcnow()

    def today(self) -> date:
        return today_in(self.timezone)

    def local_now(self) -> datetime:
        """The current instant on the business's wall clock."""
        return datetime.now(zone(self.timezone))
