"""Legal holds, and which records a hold keeps (a case, or everyone a record names)."""

from __future__ import annotations

from sqlmodel import Session, col, select

import db.models as m
from db import audit
from db.access import Actor, require_role
from db.data_protection._kinds import HoldLine, _lift, _who
from db.engine import session_scope
from db.validation import Checks


def place_hold(actor: Actor, *, reason: str, case_id: int | None = None, person_id: int | None = None) -> int:
    require_role(actor, "admin")
    c = Checks()
    reason = c.text("reason", reason, "The reason", max_len=500)
    if (case_id is None) == (person_id is None):
        c.add("target", "Please choose either a case or a person to hold.")
    with session_scope(write=True) as s:
        if case_id is not None and s.get(m.Case, case_id) is None:
            c.add("target", "That case is no longer in Circle.")
        if person_id is not None and s.get(m.Person, person_id) is None:
            c.add("target", "That person is no longer in Circle.")
        c.raise_if_any()
        hold = m.LegalHold(case_id=case_id, person_id=person_id, reason=reason, placed_by_id=actor.person_id)
        s.add(hold)
        s.flush()
        audit.record(s, "hold", record_type="legal_hold", record_id=hold.id, **_who(actor))
        return int(hold.id)


def lift_hold(actor: Actor, hold_id: int) -> None:
    require_role(actor, "admin")
    with session_scope(write=True) as s:
        _lift(s.get(m.LegalHold, hold_id), actor, {"hold": "That hold has already been lifted."})
        audit.record(s, "lift_hold", record_type="legal_hold", record_id=hold_id, **_who(actor))


def holds(actor: Actor) -> tuple[HoldLine, ...]:
    require_role(actor, "admin")
    with session_scope() as s:
        rows = s.exec(
            select(m.LegalHold, m.Case.reference, m.Person.display_name)
            .outerjoin(m.Case, col(m.Case.id) == col(m.LegalHold.case_id))
            .outerjoin(m.Person, col(m.Person.id) == col(m.LegalHold.person_id))
            .where(col(m.LegalHold.lifted_at).is_(None))
            .order_by(col(m.LegalHold.placed_at).desc())
        ).all()
        return tuple(
            HoldLine(h.id, h.case_id, ref, h.person_id, name, h.reason, h.placed_at) for h, ref, name in rows
        )


def _held(s: Session, column) -> set[int]:
    """The cases (or people) a hold still in place keeps."""
    return set(
        s.exec(select(column).where(col(m.LegalHold.lifted_at).is_(None), col(column).is_not(None))).all()
    )


def _held_cases(s: Session) -> set[int]:
    return _held(s, m.LegalHold.case_id)


def _held_people(s: Session) -> set[int]:
    return _held(s, m.LegalHold.person_id)


def _people_of(s: Session, kind: str, record_id: object) -> set[int]:
    """Everyone a record names (for person holds)."""
    if kind == "case":
        case = s.get(m.Case, record_id)
        return (
            {p for p in (case.lead_practitioner_id, case.best_relationship_person_id) if p} if case else set()
        )
    if kind == "risk_thread":
        entries = s.exec(select(m.RiskEntry).where(m.RiskEntry.thread_id == record_id)).all()
        people = {e.raised_by_id for e in entries} | {e.created_by_id for e in entries}
        ids = [e.id for e in entries]
        if ids:
            people |= set(
                s.exec(select(m.RiskHolder.person_id).where(col(m.RiskHolder.risk_entry_id).in_(ids))).all()
            )
        return people
    if kind == "supervision_session":
        return set(
            s.exec(select(m.SessionAttendee.person_id).where(m.SessionAttendee.session_id == record_id)).all()
        )
    if kind == "relationship_check_in":
        row = s.get(m.RelationshipCheckIn, record_id)
        return {row.practitioner_id} if row else set()
    if kind == "young_voice_answer":
        answer = s.get(m.YoungVoiceAnswer, record_id)
        return {answer.practitioner_id} if answer else set()
    if kind == "training_cohort":
        return set(
            s.exec(select(m.CohortMember.person_id).where(m.CohortMember.cohort_id == record_id)).all()
        )
    if kind == "signin_session":
        signin = s.get(m.SignInSession, record_id)
        return {signin.person_id} if signin else set()
    if kind == "person":
        return {int(record_id)}  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    return set()


def _cases_of(s: Session, kind: str, record_id: object) -> set[int]:
    if kind == "case":
        return {int(record_id)}  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    if kind == "risk_thread":
        return {
            c
            for c in s.exec(select(m.RiskEntry.case_id).where(m.RiskEntry.thread_id == record_id)).all()
            if c
        }
    if kind == "supervision_session":
        return {
            c
            for c in s.exec(select(m.AgendaItem.case_id).where(m.AgendaItem.session_id == record_id)).all()
            if c
        }
    if kind == "relationship_check_in":
        row = s.get(m.RelationshipCheckIn, record_id)
        return {row.case_id} if row else set()
    if kind == "young_voice_answer":
        answer = s.get(m.YoungVoiceAnswer, record_id)
        return {answer.case_id} if answer else set()
    if kind == "person":
        return set(s.exec(select(m.Case.id).where(m.Case.lead_practitioner_id == record_id)).all())
    return set()


def _is_held(s: Session, kind: str, record_id: object, cases: set[int], people: set[int]) -> bool:
    return bool(_cases_of(s, kind, record_id) & cases) or bool(_people_of(s, kind, record_id) & people)
