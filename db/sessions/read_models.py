"""A session's read models, and the words and time boxes the room uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.risk_threads import HeldRisk

SESSION_ROLES = ("practitioner", "supervisor")
STEP_LABELS = {
    "arrival": "Arrival round",
    "check_ins": "Relationship check-ins",
    "discussion": "Case discussion",
    "actions": "Actions",
    "closing": "Closing round",
}
STEP_MINUTES = {"arrival": 10, "check_ins": 5, "actions": 10, "closing": 10}
CHECK_IN_ITEMS = {
    "trust": "Trust between us",
    "feel_heard": "They feel heard by me",
    "what_matters": "We're working on what matters to them",
    "hope": "Hope for where this is going",
}
CLOSING_ITEMS = {
    "felt_heard": "I felt heard",
    "helped_my_work": "It helped my work",
    "held_my_worries": "The team held my worries with me",
}
KIND_LABELS = {"reflection": "Reflection", "case_management": "Case management", "task": "A task"}
ATTENDANCE = ("expected", "present", "apologies")


@dataclass(frozen=True)
class SessionLine:
    id: int
    team_id: int
    team_name: str
    scheduled_for: datetime
    duration_minutes: int
    status: str
    items: int


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    attendance: str


@dataclass(frozen=True)
class Item:
    id: int
    case_id: int | None
    case_reference: str | None
    brought_by_id: int
    brought_by: str
    ask: str
    kind: str
    time_box_minutes: int
    discussion_notes: str
    case_file_summary: str
    summary_ready: bool
    version: int


@dataclass(frozen=True)
class ActionLine:
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: date
    case_reference: str | None
    kind: str
    status: str
    status_reason: str
    session_id: int | None
    carried_from_id: int | None
    version: int


@dataclass(frozen=True)
class Arrival:
    person_id: int
    name: str
    score: int
    word: str
    needs_team: bool
    created_at: datetime


@dataclass(frozen=True)
class Closing:
    person_id: int
    name: str
    felt_heard: int
    helped_my_work: int
    held_my_worries: int
    word: str


@dataclass(frozen=True)
class CheckIn:
    id: int
    case_id: int
    case_reference: str
    practitioner: str
    session_id: int | None
    created_at: datetime
    trust: int
    feel_heard: int
    what_matters: int
    hope: int
    working_well: str
    gets_in_the_way: str
    what_they_would_say: str
    their_own_words: bool
    what_i_changed: str
    best_relationship: str | None

    def scores(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in CHECK_IN_ITEMS}


@dataclass(frozen=True)
class Drop:
    item: str
    before: int
    now: int


@dataclass(frozen=True)
class Amendment:
    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class Stage:
    """One position in the runner: a step, and for check-ins and discussion an item."""

    step: str
    item_id: int | None

    @property
    def key(self) -> str:
        return f"{self.step}:{self.item_id or ''}"


@dataclass(frozen=True)
class SessionView:
    id: int
    team_id: int
    team_name: str
    scheduled_for: datetime
    duration_minutes: int
    recurs_weekly: bool
    status: str
    facilitator: str | None
    current: Stage
    stages: tuple[Stage, ...]
    step_started_at: datetime | None
    step_extra_minutes: int
    version: int
    attendees: tuple[Attendee, ...]
    items: tuple[Item, ...]
    i_facilitate: bool

    @property
    def position(self) -> int:
        keys = [s.key for s in self.stages]
        return keys.index(self.current.key) if self.current.key in keys else 0

    def item(self, item_id: int | None) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def asked_minutes(self) -> dict[str, int]:
        """Each step's time as asked for: the fixed steps, and each item's own estimate."""
        asked: dict[str, int] = {}
        for stage in self.stages:
            if stage.step == "discussion":
                found = self.item(stage.item_id)
                asked[stage.key] = found.time_box_minutes if found else 10
            else:
                asked[stage.key] = STEP_MINUTES.get(stage.step, 10)
        return asked

    def time_boxes(self) -> dict[str, int]:
        """Each step's time-box, fitted to the session's length: when what was asked for adds
        up to more, every step is shortened in proportion (never below 2 minutes)."""
        return fit_time_boxes(self.asked_minutes(), self.duration_minutes)

    def time_box_minutes(self) -> int:
        return self.time_boxes().get(self.current.key, 10) + self.step_extra_minutes


def fit_time_boxes(asked: dict[str, int], length: int) -> dict[str, int]:
    """Shorten the asked-for minutes in proportion so they fit `length` (largest remainders
    first, at least 2 minutes a step); unchanged when they already fit."""
    total = sum(asked.values())
    if total <= length or not asked:
        return dict(asked)
    floor = 2
    share = {k: max(floor, v * length / total) for k, v in asked.items()}
    boxes = {k: max(floor, int(v)) for k, v in share.items()}
    spare = length - sum(boxes.values())
    for k in sorted(share, key=lambda k: share[k] - int(share[k]), reverse=True):
        if spare <= 0:
            break
        boxes[k] += 1
        spare -= 1
    return boxes


@dataclass(frozen=True)
class RoomState:
    """The one row a live screen reads on each refresh: if none of this moved, nothing did."""

    status: str
    version: int
    activity: int
    step: str
    item_id: int | None

    @property
    def stamp(self) -> tuple[str, int, int]:
        return (self.status, self.version, self.activity)


@dataclass(frozen=True)
class Agenda:
    items: tuple[Item, ...]
    carried_actions: tuple[ActionLine, ...]
    reviews_due: tuple[HeldRisk, ...]


@dataclass(frozen=True)
class TeamPerson:
    id: int
    name: str


@dataclass(frozen=True)
class Record:
    view: SessionView
    arrivals: tuple[Arrival, ...]
    check_ins: tuple[CheckIn, ...]
    new_actions: tuple[ActionLine, ...]
    reviewed_actions: tuple[ActionLine, ...]
    closings: tuple[Closing, ...]
    amendments: tuple[Amendment, ...]
    closed_at: datetime | None
