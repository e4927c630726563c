"""The rounds in the room: arrivals, relationship check-ins and the closing round."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import restriction
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import (
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    Person,
    RelationshipCheckIn,
    SessionAttendee,
    SupervisionSession,
)
from db.sessions.read_models import CHECK_IN_ITEMS, CLOSING_ITEMS, Arrival, CheckIn, Closing, Drop
from db.sessions.scope import (
    _audit,
    _is_member,
    _load,
    _require_facilitator,
    _require_open,
    _require_session_role,
    _team_scope,
    _touch,
)
from db.validation import Checks


def _round_entry(s: Session, actor: Actor, session_id: int, person_id: int, what: str) -> SupervisionSession:
    """The checks before a round entry: an open session, your own entry (or the facilitator
    entering for the room), and someone in the team."""
    session = _load(s, actor, session_id)
    _require_open(session)
    if person_id != actor.person_id:
        _require_facilitator(actor, session.team_id)
    if not _is_member(s, session.team_id, person_id):
        raise NotValid({"person": f"Only people in the team can join its {what}."})
    return session


def _entry_of(model: type[ArrivalCheckIn] | type[ClosingCheckIn], session_id: int, person_id: int):
    """The query for one person's round entry in a session (one row per person per session)."""
    return select(model).where(model.session_id == session_id, model.person_id == person_id)


def record_arrival(
    actor: Actor,
    session_id: int,
    *,
    person_id: int,
    score: int | None,
    word: str = "",
    needs_team: bool = False,
) -> None:
    """How someone is arriving. Their own, or the facilitator's entry for the room.

    One row per person per session: a second entry updates the first, and two people
    entering at the same moment both land (their rows differ)."""
    c = Checks()
    c.scale("score", score, "How you're arriving")
    word = c.text("word", word, "Your word", required=False, max_len=40, single_line=True)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _round_entry(s, actor, session_id, person_id, "arrival round")
        existing = s.exec(_entry_of(ArrivalCheckIn, session_id, person_id)).first()
        if existing:
            existing.score, existing.word, existing.needs_team = score, word, needs_team
            existing.entered_by_id = actor.person_id
            s.add(existing)
        else:
            try:
                with s.begin_nested():
                    s.add(
                        ArrivalCheckIn(
                            session_id=session_id,
                            person_id=person_id,
                            score=score,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                            word=word,
                            needs_team=needs_team,
                            entered_by_id=actor.person_id,
                        )
                    )
            except IntegrityError:
                # The same person's other device got there first this instant: update theirs.
                row = s.exec(_entry_of(ArrivalCheckIn, session_id, person_id)).one()
                row.score, row.word, row.needs_team = score, word, needs_team
        _mark_present(s, session_id, person_id)
        _touch(s, session_id)
        _audit(s, actor, "create", "arrival_check_in", f"{session_id}:{person_id}", session.team_id)


def _mark_present(s: Session, session_id: int, person_id: int) -> None:
    """Someone who arrives is present, whatever was expected of them."""
    attendee = s.exec(
        select(SessionAttendee).where(
            SessionAttendee.session_id == session_id, SessionAttendee.person_id == person_id
        )
    ).first()
    if attendee is None:
        s.add(SessionAttendee(session_id=session_id, person_id=person_id, attendance="present"))
    elif attendee.attendance != "present":
        attendee.attendance = "present"
        s.add(attendee)


def arrivals(actor: Actor, session_id: int) -> tuple[Arrival, ...]:
    """The arrival round. The facilitator and the team in the room see everyone's; this is
    the team's own record and never leaves it."""
    with session_scope() as s:
        _load(s, actor, session_id)
        rows = s.exec(
            select(ArrivalCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ArrivalCheckIn.person_id))
            .where(ArrivalCheckIn.session_id == session_id)
            .order_by(col(ArrivalCheckIn.created_at), col(ArrivalCheckIn.id))
        ).all()
        return tuple(
            Arrival(a.person_id, name, a.score, a.word, a.needs_team, a.created_at) for a, name in rows
        )


def record_check_in(
    actor: Actor,
    session_id: int | None,
    case_id: int,
    *,
    practitioner_id: int | None = None,
    scores: Mapping[str, int | None],
    working_well: str = "",
    gets_in_the_way: str = "",
    what_they_would_say: str = "",
    their_own_words: bool = False,
    what_i_changed: str = "",
    best_relationship_person_id: int | None = None,
) -> int:
    """A relationship check-in for a case: four 0-10 items and short reflections."""
    practitioner_id = practitioner_id or actor.person_id
    c = Checks()
    clean = {k: c.scale(k, scores.get(k), label) for k, label in CHECK_IN_ITEMS.items()}
    texts = _check_in_texts(c, working_well, gets_in_the_way, what_they_would_say, what_i_changed)
    with session_scope(write=True) as s:
        case = _check_in_case(s, actor, session_id, case_id, practitioner_id)
        for pid, field in (
            (practitioner_id, "practitioner_id"),
            (best_relationship_person_id, "best_relationship"),
        ):
            if pid is not None and not _is_member(s, case.team_id, pid):
                c.add(field, "Please choose someone in the team.")
        c.raise_if_any()
        row = RelationshipCheckIn(
            case_id=case_id,
            practitioner_id=practitioner_id,
            session_id=session_id,
            their_own_words=their_own_words,
            best_relationship_person_id=best_relationship_person_id,
            **clean,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            **texts,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        )
        s.add(row)
        if (
            best_relationship_person_id is not None
            and case.best_relationship_person_id != best_relationship_person_id
        ):
            case.best_relationship_person_id = best_relationship_person_id
            case.version += 1
            case.updated_at = utcnow()
            s.add(case)
        s.flush()
        if session_id is not None:
            _touch(s, session_id)
        _audit(s, actor, "create", "relationship_check_in", row.id, case.team_id)
        return int(row.id)


def _check_in_texts(
    c: Checks, working_well: str, gets_in_the_way: str, what_they_would_say: str, what_i_changed: str
) -> dict[str, str]:
    return {
        "working_well": c.text("working_well", working_well, "What's working", required=False, max_len=1500),
        "gets_in_the_way": c.text(
            "gets_in_the_way", gets_in_the_way, "What gets in the way", required=False, max_len=1500
        ),
        "what_they_would_say": c.text(
            "what_they_would_say", what_they_would_say, "What they would say", required=False, max_len=1500
        ),
        "what_i_changed": c.text(
            "what_i_changed", what_i_changed, "What you've changed", required=False, max_len=1500
        ),
    }


def _check_in_case(
    s: Session, actor: Actor, session_id: int | None, case_id: int, practitioner_id: int
) -> Case:
    """The case a check-in is for, once the actor may make it: a case of their team's, in use,
    in this (open) session's team; someone else's check-in only by the team's facilitator."""
    _require_session_role(actor)
    case = s.get(Case, case_id)
    if case is None or case.team_id not in _team_scope(actor):
        raise NotAllowed("That case isn't one of your team's.")
    restriction.require_case_in_use(s, case_id)
    if session_id is not None:
        session = _load(s, actor, session_id)
        _require_open(session)
        if session.team_id != case.team_id:
            raise NotValid({"case_id": "That case belongs to another team's session."})
    if practitioner_id != actor.person_id:
        _require_facilitator(actor, case.team_id)
    return case


def _check_in(r: RelationshipCheckIn, reference: str, practitioner: str, best: str | None) -> CheckIn:
    return CheckIn(
        r.id,
        r.case_id,
        reference,
        practitioner,
        r.session_id,
        r.created_at,
        r.trust,
        r.feel_heard,
        r.what_matters,
        r.hope,
        r.working_well,
        r.gets_in_the_way,
        r.what_they_would_say,
        r.their_own_words,
        r.what_i_changed,
        best,
    )


def check_in_history(actor: Actor, case_id: int, *, limit: int = 8) -> tuple[CheckIn, ...]:
    """A case's latest relationship check-ins, oldest first (for a small trend)."""
    _require_session_role(actor)
    with session_scope() as s:
        case = s.get(Case, case_id)
        if case is None or case.team_id not in _team_scope(actor):
            raise NotAllowed("That case isn't one of your team's.")
        restriction.require_case_in_use(s, case_id)
        best = Person.__table__.alias("best")  # type: ignore[attr-defined]  # SQLModel's table classes get __table__ at class creation; its types do not declare it
        rows = s.exec(
            select(RelationshipCheckIn, Person.display_name, best.c.display_name)
            .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
            .outerjoin(best, best.c.id == RelationshipCheckIn.best_relationship_person_id)
            .where(RelationshipCheckIn.case_id == case_id)
            .order_by(col(RelationshipCheckIn.created_at).desc(), col(RelationshipCheckIn.id).desc())
            .limit(limit)
        ).all()
        return tuple(_check_in(r, case.reference, name, best_name) for r, name, best_name in reversed(rows))


def drops(history: tuple[CheckIn, ...], threshold: int = 2) -> tuple[Drop, ...]:
    """Items that fell by `threshold` or more between the last two check-ins."""
    if len(history) < 2:
        return ()
    before, now = history[-2].scores(), history[-1].scores()
    return tuple(
        Drop(CHECK_IN_ITEMS[k], before[k], now[k]) for k in CHECK_IN_ITEMS if before[k] - now[k] >= threshold
    )


def all_at_top(check_in: CheckIn) -> bool:
    return all(v == 10 for v in check_in.scores().values())


def record_closing(
    actor: Actor,
    session_id: int,
    *,
    person_id: int,
    scores: dict[str, int | None],
    word: str = "",
) -> None:
    c = Checks()
    clean = {k: c.scale(k, scores.get(k), label) for k, label in CLOSING_ITEMS.items()}
    word = c.text("word", word, "Your word", required=False, max_len=40, single_line=True)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _round_entry(s, actor, session_id, person_id, "closing round")
        row = s.exec(_entry_of(ClosingCheckIn, session_id, person_id)).first()
        if row is None:
            row = ClosingCheckIn(session_id=session_id, person_id=person_id, word=word, **clean)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        else:
            for key, value in clean.items():
                setattr(row, key, value)
            row.word = word
        s.add(row)
        _touch(s, session_id)
        _audit(s, actor, "create", "closing_check_in", f"{session_id}:{person_id}", session.team_id)


def closings(actor: Actor, session_id: int) -> tuple[Closing, ...]:
    with session_scope() as s:
        _load(s, actor, session_id)
        rows = s.exec(
            select(ClosingCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ClosingCheckIn.person_id))
            .where(ClosingCheckIn.session_id == session_id)
            .order_by(col(ClosingCheckIn.created_at))
        ).all()
        return tuple(
            Closing(r.person_id, name, r.felt_heard, r.helped_my_work, r.held_my_worries, r.word)
            for r, name in rows
        )
