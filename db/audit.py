"""The append-only audit trail: who did what to which record, when. Never record content.

Labels are squeezed onto one line and cut short, so a username or id can never forge a
second entry in an export. Rows are never changed or deleted: database triggers refuse
UPDATE and DELETE (migration 0001), and the retention purge leaves this table alone.

Views of single sensitive records are noted too (`record_view`), at most once per person
and record in ten minutes. Administrators search and export the trail (`search`,
`export_csv`); nothing else reads it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypedDict

from sqlmodel import Session, col, func, select

from db.access import Actor, require_role
from db.clock import utcnow
from db.engine import after_transaction, session_scope
from db.errors import NotValid
from db.exports import to_csv
from db.models import AuditEvent

# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# marks, embeddings, overrides and isolates that can make a label read as something else.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _clean(value: object, limit: int) -> str:
    return _UNSAFE.sub(" ", str(value or ""))[:limit]


def record_refusal(actor: Actor, record_type: str, record_id: object, *, team_id: int | None = None) -> None:
    """Note that this person was turned away from a record (NotAllowed): who, the kind of
    record and its id, never its content. Throttled like views (one line per person and
    record in ten minutes), so a screen retrying can't flood the trail. Inside a write
    transaction it is noted once that transaction has ended (which, for a refusal, is a
    rollback), so it never waits on the transaction it came from."""
    after_transaction(lambda: record_view(actor, record_type, record_id, team_id=team_id, action="refused"))


class Who(TypedDict, total=False):
    """Who did something, as `record(**who)` takes it."""

    actor_id: int | None
    actor_label: str
    team_id: int | None


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "",
    record_type: str = "",
    record_id: object = "",
    team_id: int | None = None,
    outcome: str = "ok",
) -> None:
    """Add an audit event inside the caller's transaction (so it lands with the change)."""
    session.add(
        AuditEvent(
            actor_id=actor_id,
            actor_label=_clean(actor_label, 64),
            action=_clean(action, 30),
            record_type=_clean(record_type, 40),
            record_id=_clean(record_id, 40),
            team_id=team_id,
            outcome=_clean(outcome, 20),
        )
    )


def by(
    session: Session,
    actor: Actor,
    action: str,
    record_type: str,
    record_id: object,
    team_id: int | None = None,
) -> None:
    """What a signed-in person did to a record, inside the caller's transaction."""
    record(
        session,
        action,
        actor_id=actor.person_id,
        actor_label=actor.username,
        record_type=record_type,
        record_id=record_id,
        team_id=team_id,
    )


def role_change(session: Session, actor: Actor, person_id: int, old: str, new: str) -> None:
    """A person's role changed, with both roles: "role_to_manager", outcome "from supervisor"
    (the two together would overflow the outcome column; each on its own always fits)."""
    record(
        session,
        f"role_to_{new}",
        actor_id=actor.person_id,
        actor_label=actor.username,
        record_type="person",
        record_id=person_id,
        outcome=f"from {old}",
    )


# --- Who looked at what ------------------------------------------------------------------
VIEW_QUIET = timedelta(minutes=10)


def record_view(
    actor: Actor,
    record_type: str,
    record_id: object,
    *,
    team_id: int | None = None,
    now: datetime | None = None,
    action: str = "view",
) -> bool:
    """Note that this person opened one sensitive record (a case, a worry, a session's
    record, someone's subject-access file). A rerun of the same view by the same person
    within `VIEW_QUIET` adds nothing, so a screen that redraws every few seconds leaves
    one line, not hundreds. Returns whether a line was added."""
    now = now or utcnow()
    rid = _clean(record_id, 40)
    rtype = _clean(record_type, 40)
    with session_scope() as s:
        # ix_audit_actor_at narrows this to the person's last ten minutes.
        recent = s.exec(
            select(AuditEvent.id)
            .where(
                AuditEvent.actor_id == actor.person_id,
                AuditEvent.at >= now - VIEW_QUIET,
                AuditEvent.action == action,
                AuditEvent.record_type == rtype,
                AuditEvent.record_id == rid,
            )
            .limit(1)
        ).first()
    if recent is not None:
        return False
    with session_scope(write=True) as s:
        s.add(
            AuditEvent(
                at=now,
                actor_id=actor.person_id,
                actor_label=_clean(actor.username, 64),
                action=action,
                record_type=rtype,
                outcome="refused" if action == "refused" else "ok",
                record_id=rid,
                team_id=team_id,
            )
        )
    return True


# --- Searching and exporting the trail (administrators) -----------------------------------
PAGE_SIZE = 50
HEADERS = ("When (UTC)", "Who", "Person id", "Action", "Record type", "Record id", "Team id", "Outcome")


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""  # a username (as typed at sign-in, so failed sign-ins are found too)
    action: str = ""
    record_type: str = ""
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    who: str
    actor_id: int | None
    action: str
    record_type: str
    record_id: str
    team_id: int | None
    outcome: str

    def cells(self) -> tuple[str, ...]:
        # All text, so a column of ids with gaps is one type (the table and the CSV agree).
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S}",
            self.who,
            "" if self.actor_id is None else str(self.actor_id),
            self.action,
            self.record_type,
            self.record_id,
            "" if self.team_id is None else str(self.team_id),
            self.outcome,
        )


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class AuditChoices:
    actions: tuple[str, ...]
    record_types: tuple[str, ...]


def _conditions(filters: AuditFilters) -> list:
    found = []
    if filters.person.strip():
        found.append(AuditEvent.actor_label == filters.person.strip().lower()[:64])
    if filters.action:
        found.append(AuditEvent.action == filters.action[:30])
    if filters.record_type:
        found.append(AuditEvent.record_type == filters.record_type[:40])
    if filters.start:
        found.append(AuditEvent.at >= datetime.combine(filters.start, time(0), tzinfo=UTC))
    if filters.end:
        found.append(AuditEvent.at < datetime.combine(filters.end + timedelta(days=1), time(0), tzinfo=UTC))
    return found


def _check(filters: AuditFilters) -> None:
    if filters.start and filters.end and filters.start > filters.end:
        raise NotValid({"range": "The first day needs to be on or before the last day."})


def _row(e: AuditEvent) -> AuditRow:
    return AuditRow(
        int(e.id),
        e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC),
        e.actor_label,
        e.actor_id,
        e.action,
        e.record_type,
        e.record_id,
        e.team_id,
        e.outcome,
    )


def search(actor: Actor, filters: AuditFilters, *, page: int = 1, page_size: int = PAGE_SIZE) -> AuditPage:
    """The audit trail, newest first, filtered and paged in the database (administrators only)."""
    require_role(actor, "admin")
    _check(filters)
    page_size = max(1, min(page_size, 200))
    conditions = _conditions(filters)
    with session_scope() as s:
        total = int(s.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one())
        pages = max(1, math.ceil(total / page_size))
        page = max(1, min(page, pages))
        found = s.exec(
            select(AuditEvent)
            .where(*conditions)
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        return AuditPage(tuple(_row(e) for e in found), total, page, pages)


def choices(actor: Actor) -> AuditChoices:
    require_role(actor, "admin")
    with session_scope() as s:
        actions = s.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
        types = s.exec(
            select(AuditEvent.record_type)
            .where(AuditEvent.record_type != "")
            .distinct()
            .order_by(AuditEvent.record_type)
        ).all()
    return AuditChoices(tuple(actions), tuple(types))


def export_csv(actor: Actor, filters: AuditFilters, *, limit: int = 100_000) -> bytes:
    """Every matching line as CSV (spreadsheet formulas neutralised); the export is itself audited."""
    require_role(actor, "admin")
    _check(filters)
    with session_scope(write=True) as s:
        found = s.exec(
            select(AuditEvent)
            .where(*_conditions(filters))
            .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
            .limit(limit)
        ).all()
        rows = [_row(e).cells() for e in found]
        record(
            s,
            "export",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="audit",
            record_id=len(rows),
        )
    return to_csv(HEADERS, rows)
