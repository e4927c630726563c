"""The kinds of record data protection deals in, the plain lines its screens show, and the
small steps its parts share (who acted, lifting a hold or a restriction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db import audit
from db.access import Actor
from db.clock import utcnow
from db.errors import NotValid

# Columns that name a person without a foreign key to person.id: (table, column, what they hold).
NAME_COLUMNS: dict[tuple[str, str], str] = {
    ("audit_event", "actor_label"): "username",
    ("signin_throttle", "key"): "username",
}
# Never put into a subject-access file: secrets, not information about the person.
SECRET_COLUMNS = {("person", "password_hash"), ("signin_session", "token_hash")}
# A young person's check-in link is a secret too (db/young_voice.py keeps only its hash).
SECRET_COLUMNS.add(("young_voice_link", "token_hash"))

# The kinds of record an administrator sets a retention period for, erases or restricts.
KINDS: dict[str, str] = {
    "case": "Cases (closed), with their mapping, network, check-ins, worries and actions",
    "risk_thread": "Worries held (closed), with every version and review",
    "supervision_session": "Group supervision sessions (closed), with their record",
    "relationship_check_in": "Relationship check-ins",
    "training_cohort": "Training cohorts (finished), with their answers",
    "signin_session": "Sign-in sessions (ended)",
}
# A young person's own check-in answers (db/young_voice.py): kept, erased and purged on their
# own as well as with their case, like the practitioner's check-ins beside them.
KINDS["young_voice_answer"] = "Young people's own check-in answers"
RESTRICTABLE = ("case", "risk_thread")
ERASABLE: tuple[str, ...] = ("case", "risk_thread", "supervision_session", "relationship_check_in", "person")
ERASABLE += ("young_voice_answer",)
MAX_MONTHS = 12 * 100
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class RetentionLine:
    kind: str
    label: str
    keep_months: int | None
    version: int


@dataclass(frozen=True)
class HoldLine:
    id: int
    case_id: int | None
    case_reference: str | None
    person_id: int | None
    person_name: str | None
    reason: str
    placed_at: datetime


@dataclass(frozen=True)
class RestrictionLine:
    id: int
    record_type: str
    record_id: str
    reason: str
    restricted_at: datetime


@dataclass(frozen=True)
class PurgeResult:
    removed: dict[str, int]
    kept_by_hold: dict[str, int]


def _who(actor: Actor | None) -> audit.Who:
    return {
        "actor_id": actor.person_id if actor else None,
        "actor_label": actor.username if actor else "command line",
    }


def _lift(row, actor: Actor, problem: dict[str, str]) -> None:
    """Lift a hold or restriction still in place (refused, with `problem`, when it is not)."""
    if row is None or row.lifted_at is not None:
        raise NotValid(problem)
    row.lifted_at, row.lifted_by_id = utcnow(), actor.person_id
