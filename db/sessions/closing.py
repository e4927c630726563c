"""Closing a session, amending it after, and its read-only record."""

from __future__ import annotations

from sqlmodel import col, select

from db import audit, versioning
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.models import (
    Action,
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    Person,
    RelationshipCheckIn,
    SessionAmendment,
)
from db.sessions.planning import _action_lines, _view
from db.sessions.read_models import Amendment, Arrival, Closing, Record
from db.sessions.rounds import _check_in
from db.sessions.scope import _audit, _load, _require_facilitator, _require_open, _touch, _where_now
from db.validation import Checks


def close(actor: Actor, session_id: int, version: int) -> None:
    """Close the session: from now on its record is read-only, with amendments for corrections."""
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        s.refresh(session, with_for_update=True)  # PostgreSQL: one version check at a time
        _require_facilitator(actor, session.team_id)
        _require_open(session)
        versioning.check(
            session,
            version,
            "Someone else changed the session a moment ago; please look again before closing.",
            _where_now(session),
        )
        session.status = "closed"
        session.closed_at = utcnow()
        versioning.saved(
            s, actor, session, "close", "supervision_session", session_id, team_id=session.team_id
        )


def amend(actor: Actor, session_id: int, text: str) -> None:
    c = Checks()
    text = c.text("text", text, "The amendment", max_len=3000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_facilitator(actor, session.team_id)
        if session.status != "closed":
            raise NotValid({"text": "The session is still open, so you can change the notes directly."})
        s.add(SessionAmendment(session_id=session_id, author_id=actor.person_id, text=text))
        _touch(s, session_id)
        _audit(s, actor, "amend", "supervision_session", session_id, session.team_id)


# ---------------------------------------------------------------- the record


def record(actor: Actor, session_id: int) -> Record:
    """The session's whole record (the record page and its exports); opening it is audited."""
    with session_scope() as s:
        session = _load(s, actor, session_id)
        audit.record_view(actor, "supervision_session", session_id, team_id=session.team_id)
        v = _view(s, actor, session)
        arrivals_rows = s.exec(
            select(ArrivalCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ArrivalCheckIn.person_id))
            .where(ArrivalCheckIn.session_id == session_id)
            .order_by(Person.display_name)
        ).all()
        checks = s.exec(
            select(RelationshipCheckIn, Case.reference, Person.display_name)
            .join(Case, col(Case.id) == col(RelationshipCheckIn.case_id))
            .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
            .where(RelationshipCheckIn.session_id == session_id)
            .order_by(col(RelationshipCheckIn.created_at))
        ).all()
        people_names = dict(s.exec(select(Person.id, Person.display_name)).all()) if checks else {}
        reviewed = _action_lines(s, Action.reviewed_session_id == session_id)
        amendments = s.exec(
            select(SessionAmendment, Person.display_name)
            .join(Person, col(Person.id) == col(SessionAmendment.author_id))
            .where(SessionAmendment.session_id == session_id)
            .order_by(col(SessionAmendment.created_at))
        ).all()
        closings_rows = s.exec(
            select(ClosingCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ClosingCheckIn.person_id))
            .where(ClosingCheckIn.session_id == session_id)
            .order_by(Person.display_name)
        ).all()
        return Record(
            view=v,
            arrivals=tuple(
                Arrival(a.person_id, n, a.score, a.word, a.needs_team, a.created_at) for a, n in arrivals_rows
            ),
            check_ins=tuple(
                _check_in(r, ref, name, people_names.get(r.best_relationship_person_id))  # type: ignore[arg-type]  # dict.get with a None key gives the default, which is what is shown then
                for r, ref, name in checks
            ),
            new_actions=_action_lines(s, Action.session_id == session_id),
            reviewed_actions=reviewed,
            closings=tuple(
                Closing(r.person_id, n, r.felt_heard, r.helped_my_work, r.held_my_worries, r.word)
                for r, n in closings_rows
            ),
            amendments=tuple(Amendment(n, a.created_at, a.text) for a, n in amendments),
            closed_at=session.closed_at,
        )
