"""Erasing a record with everything that belongs to it, and restricting one: kept, but out of use."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

import db.models as m
from db import audit
from db.access import Actor, require_role
from db.data_protection._holds import _held_cases, _held_people, _is_held
from db.data_protection._kinds import ERASABLE, RESTRICTABLE, RestrictionLine, _lift, _who
from db.engine import session_scope
from db.errors import NotValid
from db.restriction import is_restricted
from db.validation import Checks


def _erase_rows(s: Session, table_name: str, ids: list, *, owned: bool) -> None:
    """Delete rows and, first, every row that refers to them. `owned`: rows that refer through
    a nullable key are deleted too (they are about this record); otherwise the key is cleared."""
    if not ids:
        return
    tables = SQLModel.metadata.tables
    for other in SQLModel.metadata.sorted_tables:
        if other.name == "audit_event":
            continue
        for column in other.columns:
            if not any(fk.column.table.name == table_name for fk in column.foreign_keys):
                continue
            if column.nullable and not owned:
                s.connection().execute(update(other).where(column.in_(ids)).values({column.name: None}))
                continue
            pk = next(iter(other.primary_key.columns))
            child_ids = list(s.connection().execute(select(pk).where(column.in_(ids))).scalars())
            if other.name == table_name:  # a row referring to a row of its own table (carried actions)
                s.connection().execute(update(other).where(column.in_(ids)).values({column.name: None}))
                continue
            _erase_rows(s, other.name, child_ids, owned=owned)
    table = tables[table_name]
    pk = next(iter(table.primary_key.columns))
    s.connection().execute(delete(table).where(pk.in_(ids)))


def _erase(s: Session, kind: str, record_id: object) -> None:
    if kind == "case":
        threads = list(
            s.exec(select(m.RiskEntry.thread_id).where(m.RiskEntry.case_id == record_id).distinct()).all()
        )
        for thread in threads:
            _erase(s, "risk_thread", thread)
        _erase_rows(s, "case_record", [record_id], owned=True)
    elif kind == "risk_thread":
        entry_ids = list(s.exec(select(m.RiskEntry.id).where(m.RiskEntry.thread_id == record_id)).all())
        s.exec(delete(m.RiskReview).where(col(m.RiskReview.thread_id) == record_id))
        _erase_rows(s, "risk_entry", entry_ids, owned=True)
    elif kind == "supervision_session":
        _erase_rows(s, "supervision_session", [record_id], owned=False)
    elif kind == "relationship_check_in":
        _erase_rows(s, "relationship_check_in", [record_id], owned=True)
    elif kind == "young_voice_answer":
        _erase_rows(s, "young_voice_answer", [record_id], owned=True)
    elif kind == "training_cohort":
        _erase_rows(s, "training_cohort", [record_id], owned=True)
    elif kind == "signin_session":
        _erase_rows(s, "signin_session", [record_id], owned=True)
    elif kind == "person":
        person = s.get(m.Person, record_id)
        assert person is not None
        person.display_name = f"Erased person {person.id}"
        person.username = f"erased-{person.id}"
        person.password_hash = None
        person.external_subject = None
        person.is_active = False
        person.version += 1
        s.add(person)
        s.exec(delete(m.SignInSession).where(col(m.SignInSession.person_id) == record_id))
        s.flush()
    else:  # pragma: no cover - callers check the kind
        raise ValueError(kind)


def _exists(s: Session, kind: str, record_id: object) -> bool:
    if kind == "risk_thread":
        return (
            s.exec(select(m.RiskEntry.id).where(m.RiskEntry.thread_id == str(record_id))).first() is not None
        )
    model = {
        "case": m.Case,
        "supervision_session": m.SupervisionSession,
        "relationship_check_in": m.RelationshipCheckIn,
        "person": m.Person,
        "young_voice_answer": m.YoungVoiceAnswer,
    }[kind]
    return s.get(model, record_id) is not None  # type: ignore[arg-type]  # a table class picked from a dict by kind; mypy joins the classes to their metaclass


def _record_id(kind: str, record_id: object) -> object:
    if kind == "risk_thread":
        return str(record_id).strip()
    try:
        return int(str(record_id).strip())
    except ValueError:
        raise NotValid({"record_id": "Please give the record's number, as shown in Circle."}) from None


def _request(
    actor: Actor, kind: str, record_id: object, reason: str, kinds: tuple[str, ...]
) -> tuple[str, object]:
    """An administrator's request about one record: the reason given and the record's id, checked."""
    require_role(actor, "admin")
    c = Checks()
    reason = c.text("reason", reason, "The reason", max_len=500)
    c.choice("kind", kind, "Kind of record", kinds)
    c.raise_if_any()
    return reason, _record_id(kind, record_id)


def erase(actor: Actor, kind: str, record_id: object, *, reason: str) -> None:
    """Erase one record and everything that belongs to it, on a request the council has agreed."""
    _, rid = _request(actor, kind, record_id, reason, ERASABLE)
    with session_scope(write=True) as s:
        if not _exists(s, kind, rid):
            raise NotValid({"record_id": "There's no such record in Circle (it may already be erased)."})
        if kind == "person" and rid == actor.person_id:
            raise NotValid({"record_id": "You can't erase your own account; ask another administrator."})
        if _is_held(s, kind, rid, _held_cases(s), _held_people(s)):
            raise NotValid(
                {"record_id": "A legal hold keeps this record. Lift the hold first if it has ended."}
            )
        _erase(s, kind, rid)
        audit.record(s, "erase", record_type=kind, record_id=rid, **_who(actor))


def _exists_any(s: Session, kind: str, record_id: object) -> bool:
    if kind == "training_cohort":
        return s.get(m.TrainingCohort, record_id) is not None
    if kind == "signin_session":
        return s.get(m.SignInSession, record_id) is not None
    return _exists(s, kind, record_id)


def restrict(actor: Actor, kind: str, record_id: object, *, reason: str) -> int:
    reason, rid = _request(actor, kind, record_id, reason, RESTRICTABLE)
    with session_scope(write=True) as s:
        if not _exists(s, kind, rid):
            raise NotValid({"record_id": "There's no such record in Circle."})
        if is_restricted(s, kind, rid):
            raise NotValid({"record_id": "That record is already restricted."})
        row = m.Restriction(
            record_type=kind, record_id=str(rid), reason=reason, restricted_by_id=actor.person_id
        )
        s.add(row)
        s.flush()
        audit.record(s, "restrict", record_type=kind, record_id=rid, **_who(actor))
        return int(row.id)


def lift_restriction(actor: Actor, restriction_id: int) -> None:
    require_role(actor, "admin")
    with session_scope(write=True) as s:
        row = s.get(m.Restriction, restriction_id)
        _lift(row, actor, {"restriction": "That restriction has already been lifted."})
        assert row is not None  # _lift refused a missing one
        audit.record(
            s, "lift_restriction", record_type=row.record_type, record_id=row.record_id, **_who(actor)
        )


def restrictions(actor: Actor) -> tuple[RestrictionLine, ...]:
    require_role(actor, "admin")
    with session_scope() as s:
        rows = s.exec(
            select(m.Restriction)
            .where(col(m.Restriction.lifted_at).is_(None))
            .order_by(col(m.Restriction.restricted_at).desc())
        ).all()
        return tuple(
            RestrictionLine(r.id, r.record_type, r.record_id, r.reason, r.restricted_at) for r in rows
        )
