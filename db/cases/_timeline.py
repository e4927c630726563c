"""A case's timeline: everything the team has done with the family, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db import restriction
from db.access import Actor
from db.cases._detail import _utc, case_in_reach
from db.cases._mapping import FIELD_SHORT, _blank, _snapshot, diff
from db.engine import session_scope
from db.models import (
    Action,
    AgendaItem,
    Case,
    CaseMappingRevision,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SupervisionSession,
)


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # check_in, mapping, risk, risk_review, action, discussion
    title: str
    detail: str
    who: str


def _short(text: str, limit: int = 280) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_ins(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    rows = s.exec(
        select(RelationshipCheckIn, Person.display_name)
        .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
        .where(RelationshipCheckIn.case_id == case.id)
        .order_by(col(RelationshipCheckIn.created_at).desc())
        .limit(limit)
    ).all()
    events = []
    for r, who in rows:
        said = f" · What they'd say: {_short(r.what_they_would_say, 160)}" if r.what_they_would_say else ""
        scores = (
            f"Trust {r.trust} · feels heard {r.feel_heard} · what matters {r.what_matters} "
            f"· hope {r.hope} (each out of 10){said}"
        )
        events.append(TimelineEvent(_utc(r.created_at), "check_in", "Relationship check-in", scores, who))
    return events


def _mapping_saves(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    revisions = s.exec(
        select(CaseMappingRevision, Person.display_name)
        .join(Person, col(Person.id) == col(CaseMappingRevision.saved_by_id))
        .where(CaseMappingRevision.case_id == case.id)
        .order_by(col(CaseMappingRevision.version).desc())
        .limit(limit + 1)
    ).all()
    snaps = [(rev, who, _snapshot(rev.snapshot)) for rev, who in revisions]
    events = []
    for i, (rev, who, snap) in enumerate(snaps[:limit]):
        before = snaps[i + 1][2] if i + 1 < len(snaps) else _blank()
        what = ", ".join(FIELD_SHORT[ch.field] for ch in diff(before, snap)) or "nothing new"
        scale = f" · scale now {snap['scale']}" if snap.get("scale") is not None else ""
        title = f"Mapping saved (version {rev.version})"
        events.append(TimelineEvent(_utc(rev.saved_at), "mapping", title, f"Changed: {what}{scale}", who))
    return events


def _held_here(case: Case) -> tuple:
    """A worry's entries on this case, in the case's team, not restricted."""
    return (
        RiskEntry.case_id == case.id,
        RiskEntry.team_id == case.team_id,
        restriction.not_restricted("risk_thread", RiskEntry.thread_id),
    )


def _worries(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    rows = s.exec(
        select(RiskEntry, Person.display_name)
        .join(Person, col(Person.id) == col(RiskEntry.created_by_id))
        .where(*_held_here(case))
        .order_by(col(RiskEntry.created_at).desc())
        .limit(limit)
    ).all()
    events = []
    for e, who in rows:
        if e.revision == 1:
            title = "A worry named, to hold together"
        elif e.status == "closed":
            title = "A worry held together was closed"
        else:
            title = "A worry held together was updated"
        events.append(TimelineEvent(_utc(e.created_at), "risk", title, _short(e.worry), who))
    return events


def _reviews(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    threads = select(RiskEntry.thread_id).where(*_held_here(case))
    rows = s.exec(
        select(RiskReview, Person.display_name)
        .join(Person, col(Person.id) == col(RiskReview.reviewed_by_id))
        .where(col(RiskReview.thread_id).in_(threads))
        .order_by(col(RiskReview.reviewed_at).desc())
        .limit(limit)
    ).all()
    return [
        TimelineEvent(
            _utc(r.reviewed_at),
            "risk_review",
            "The team reviewed a worry it holds",
            _short(r.what_we_learned) or r.what_happened.replace("_", " "),
            who,
        )
        for r, who in rows
    ]


_ACTION_STATES = {"open": "open", "done": "done", "carried_over": "carried over", "dropped": "let go"}


def _actions(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    rows = s.exec(
        select(Action, Person.display_name)
        .join(Person, col(Person.id) == col(Action.owner_id))
        .where(Action.case_id == case.id, Action.team_id == case.team_id)
        .order_by(col(Action.created_at).desc())
        .limit(limit)
    ).all()
    return [
        TimelineEvent(
            _utc(a.created_at),
            "action",
            "Action agreed",
            f"{_short(a.description)} · by {a.due_on:%d %b %Y} · {_ACTION_STATES.get(a.status, a.status)}",
            who,
        )
        for a, who in rows
    ]


def _discussions(s: Session, case: Case, limit: int) -> list[TimelineEvent]:
    rows = s.exec(
        select(AgendaItem, SupervisionSession.scheduled_for, Person.display_name)
        .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
        .join(Person, col(Person.id) == col(AgendaItem.brought_by_id))
        .where(
            AgendaItem.case_id == case.id,
            SupervisionSession.team_id == case.team_id,
            SupervisionSession.status == "closed",
        )
        .order_by(col(SupervisionSession.scheduled_for).desc())
        .limit(limit)
    ).all()
    events = []
    for item, at, who in rows:
        detail = _short(item.ask, 200)
        if item.discussion_notes:
            detail += f" · What the team thought: {_short(item.discussion_notes, 240)}"
        events.append(TimelineEvent(_utc(at), "discussion", "Talked about in group supervision", detail, who))
    return events


_SOURCES = (_check_ins, _mapping_saves, _worries, _reviews, _actions, _discussions)


def timeline(actor: Actor, case_id: int, *, limit: int = 40) -> list[TimelineEvent]:
    """What the team has done with this family, newest first: relationship check-ins, mapping
    saves, worries held and their reviews, actions and supervision discussions."""
    limit = max(1, min(limit, 500))
    events: list[TimelineEvent] = []
    with session_scope() as s:
        case = case_in_reach(s, actor, case_id)
        for source in _SOURCES:
            events.extend(source(s, case, limit))
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
