"""A one-to-one's read models, and the words and limits it uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

PRIVATE_FIELDS = {
    "learning": "What you've been learning",
    "been_hard": "What's been hard",
    "support_needed": "What support you need",
    "helpful_today": "What was helpful today",
}
TEXT_LIMIT = 3000
REVIEW_CHOICES = ("done", "carried_over", "dropped")


@dataclass(frozen=True)
class Line:
    id: int
    practitioner_id: int
    practitioner: str
    supervisor_id: int
    supervisor: str
    scheduled_for: datetime
    status: str
    recurs_every_weeks: int | None


@dataclass(frozen=True)
class ItemView:
    id: int
    case_id: int
    case_reference: str
    ask: str
    discussion_notes: str
    case_file_summary: str
    version: int


@dataclass(frozen=True)
class ActionView:
    id: int
    one_to_one_id: int
    description: str
    owner: str
    owner_id: int
    due_on: date
    status: str
    status_reason: str
    version: int


@dataclass(frozen=True)
class Amendment:
    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class CheckInLine:
    case_reference: str
    created_at: datetime
    scores: dict[str, int]
    working_well: str
    gets_in_the_way: str


@dataclass(frozen=True)
class OneToOneView:
    id: int
    team_id: int
    practitioner_id: int
    practitioner: str
    supervisor_id: int
    supervisor: str
    scheduled_for: datetime
    duration_minutes: int
    recurs_every_weeks: int | None
    status: str
    closed_at: datetime | None
    items: tuple[ItemView, ...]
    check_ins: tuple[CheckInLine, ...]
    to_review: tuple[ActionView, ...]
    actions: tuple[ActionView, ...]
    amendments: tuple[Amendment, ...]
    version: int

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class PrivateView:
    arrival_score: int | None
    arrival_word: str
    learning: str
    been_hard: str
    support_needed: str
    helpful_today: str
    version: int  # 0 until something has been written


@dataclass(frozen=True)
class DateLine:
    """What a manager sees: that a one-to-one happened, and when. Nothing of what was said."""

    practitioner: str
    scheduled_for: datetime
    status: str
    closed_at: datetime | None


@dataclass(frozen=True)
class CaseDiscussion:
    """A one-to-one's discussion of a case, in the shape the group's items give the case page."""

    case_reference: str
    ask: str
    case_file_summary: str
    held_on: date
    brought_by: str
    one_to_one_id: int
