"""Time in one place. Circle stores timezone-aware UTC (SQLModel stores and returns UTC) and
shows and takes times in the team's own time zone: `CIRCLE_TIMEZONE`, by default
Europe/London, summer time included. Nothing else in Circle asks the machine for "now" or
"today": a server whose clock is set to UTC (or anything else) shows the same.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/London"


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The team's time zone (read each call, so tests and deployments can set it)."""
    return _zone(os.environ.get("CIRCLE_TIMEZONE", "").strip() or DEFAULT_TIMEZONE)


def utcnow() -> datetime:
    return datetime.now(UTC)


def now() -> datetime:
    """Now, in the team's time zone."""
    return utcnow().astimezone(zone())


def today() -> date:
    """Today's date where the team is (just after midnight in June, UTC is still yesterday)."""
    return now().date()


def local(moment: datetime) -> datetime:
    """A stored moment in the team's time zone (a naive value is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def from_local(day: date, at: time) -> datetime:
    """A date and a wall-clock time as people there mean them, as UTC for storage.

    In the hour the clocks go back, the first of the two 01:30s is meant; in the hour that
    doesn't exist when they go forward, the time after the jump is meant (as calendars do).
    """
    # fold=0 (PEP 495) gives exactly that: the earlier offset in both cases.
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone()).astimezone(UTC)


def local_midnight(day: date) -> datetime:
    """The UTC moment a local day begins (for "sessions on that day" questions)."""
    return from_local(day, time(0))


def when(moment: datetime, pattern: str = "%A %d %B, %H:%M") -> str:
    """A stored moment, written in local time for people to read."""
    return local(moment).strftime(pattern)
