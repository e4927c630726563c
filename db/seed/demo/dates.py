"""The demo's calendar: every date is counted from `today`, so "this week" always has a
planned session whatever day the demo is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

PAST_WEEKS = 9  # closed Riverside sessions before this week's planned one


@dataclass(frozen=True)
class Calendar:
    today: date
    upcoming: date  # this week's planned session (Tuesday, 1 to 7 days ahead)
    past: tuple[date, ...]  # the closed sessions, oldest first

    @classmethod
    def for_today(cls, today: date) -> Calendar:
        # Always strictly ahead, so the planned session is never already over today.
        upcoming = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
        past = tuple(upcoming - timedelta(weeks=PAST_WEEKS - i) for i in range(PAST_WEEKS))
        return cls(today, upcoming, past)

    def at(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def when(self, key: int | str) -> date:
        """A date from the data files: a past session's index, or a word counted from today."""
        if isinstance(key, int):
            return self.past[key]
        return {
            "overdue": self.today - timedelta(days=3),
            "upcoming": self.upcoming,
            "later": self.upcoming + timedelta(days=14),
            "month": self.today + timedelta(days=28),
        }[key]


def clamp(value: int) -> int:
    """A score kept on the 0 to 10 scale."""
    return max(0, min(10, value))
