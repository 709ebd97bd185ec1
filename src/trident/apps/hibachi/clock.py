"""Dates as the business sees them: "today" is the station's local day, not UTC's."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def local_today(timezone: str) -> date:
    return datetime.now(ZoneInfo(timezone)).date()
