"""What the case board's reads and writes share: its settings and limits, the read models,
who may see and change a team's cases, the team's colleagues, and who last changed a record."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from db import names
from db.access import Actor, case_team_ids, require_team, supervised_team_ids
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import CASE_STATUSES, AuditEvent, Person, Team

DEFAULT_STATUS_LABELS: dict[str, str] = {
    "new": "New",
    "active": "Active",
    "stuck": "Stuck",
    "stepping_down": "Stepping down",
    "closed": "Closed",
}
OPEN_STATUSES = tuple(s for s in CASE_STATUSES if s != "closed")
EDITOR_ROLES = ("practitioner", "supervisor")
PAGE_SIZE = 24
GROUPINGS = ("status", "practitioner")


# --- Read models ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamChoice:
    team_id: int
    name: str
    can_edit: bool  # add and change cases
    can_set_up: bool  # rename statuses, choose the weeks (the team's supervisor)


@dataclass(frozen=True)
class BoardSettings:
    team_id: int
    team_name: str
    labels: dict[str, str]
    not_discussed_weeks: int
    version: int

    def label(self, status: str) -> str:
        return self.labels.get(status, status.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Colleague:
    person_id: int
    name: str


@dataclass(frozen=True)
class Card:
    case_id: int
    reference: str
    status: str
    status_label: str
    lead_id: int
    lead_name: str
    best_name: str | None
    check_in_on: date | None
    check_in_score: float | None  # the mean of the four relationship items, 0 to 10
    check_in_change: float | None  # against the check-in before it
    scale: int | None
    risks_held: int
    last_discussed: date | None
    next_review_on: date | None
    quiet: bool  # not talked about in supervision for the team's number of weeks
    weeks_quiet: int | None  # whole weeks since last talked about (None: never)

    @property
    def trend(self) -> str | None:
        if self.check_in_change is None:
            return None
        if self.check_in_change >= 0.5:
            return "up"
        if self.check_in_change <= -0.5:
            return "down"
        return "steady"

    def review_due(self, today: date) -> bool:
        return self.next_review_on is not None and self.next_review_on <= today


@dataclass(frozen=True)
class BoardPage:
    settings: BoardSettings
    cards: tuple[Card, ...]
    total: int  # cards matching the filters, across all pages
    page: int
    pages: int
    page_size: int
    status_counts: dict[str, int]  # every case in the team, by status
    quiet_count: int  # open cases not talked about lately
    colleagues: tuple[Colleague, ...]
    today: date
    can_edit: bool
    can_set_up: bool
    group_by: str = "status"
    filters_on: bool = False
    grouped: tuple[tuple[str, tuple[Card, ...]], ...] = field(default=())


# --- Scope helpers -------------------------------------------------------------------------
def can_edit_team(actor: Actor, team_id: int) -> bool:
    return actor.role in EDITOR_ROLES and team_id in case_team_ids(actor)


def require_editor(actor: Actor, team_id: int) -> None:
    require_team(actor, team_id)
    if actor.role not in EDITOR_ROLES:
        raise NotAllowed("You can look at this team's cases; changes are made by the team itself.")


def _labels(team: Team) -> dict[str, str]:
    labels = dict(DEFAULT_STATUS_LABELS)
    try:
        own = json.loads(team.status_labels or "{}")
    except ValueError:
        own = {}
    if isinstance(own, dict):
        labels.update({k: str(v) for k, v in own.items() if k in labels and str(v).strip()})
    return labels


def _settings(team: Team) -> BoardSettings:
    return BoardSettings(
        team.id,
        team.name,
        _labels(team),
        team.not_discussed_weeks,
        team.version,
    )


def _team(s: Session, actor: Actor, team_id: int) -> Team:
    require_team(actor, team_id)
    team = s.get(Team, team_id)
    if team is None:
        raise NotAllowed("That team's records aren't open to you.")
    return team


def teams(actor: Actor) -> list[TeamChoice]:
    """The teams whose board this person may open, by name."""
    ids = case_team_ids(actor)
    if not ids:
        return []
    supervised = set(supervised_team_ids(actor))
    with session_scope() as s:
        rows = s.exec(select(Team.id, Team.name).where(col(Team.id).in_(ids)).order_by(Team.name)).all()
    return [TeamChoice(tid, name, can_edit_team(actor, tid), tid in supervised) for tid, name in rows]


def colleagues(s: Session, team_id: int) -> tuple[Colleague, ...]:
    """Current practitioners and supervisors of a team: who can lead a case or hold a relationship."""
    rows = names.team_members(s, team_id, EDITOR_ROLES)
    return tuple(Colleague(pid, name) for pid, name in rows)


def team_colleagues(actor: Actor, team_id: int) -> tuple[Colleague, ...]:
    with session_scope() as s:
        _team(s, actor, team_id)
        return colleagues(s, team_id)


# --- Shared by reads and writes --------------------------------------------------------
def _as_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite hands back text for an aggregate over a datetime
        return datetime.fromisoformat(value).date()
    return value


def last_changed_by(s: Session, record_type: str, record_id: object) -> tuple[str, datetime | None]:
    """Who last changed a record, from the audit trail (for naming them in a conflict)."""
    row = s.exec(
        select(Person.display_name, AuditEvent.at)
        .join(Person, col(Person.id) == col(AuditEvent.actor_id))
        .where(
            AuditEvent.record_type == record_type,
            AuditEvent.record_id == str(record_id),
            col(AuditEvent.action).in_(("create", "change")),
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else ("A colleague", None)


def _at(when: datetime | None) -> str:
    return f" at {when:%H:%M} on {when:%d %B}" if when else ""
