"""Data-protection duties: subject access, retention with legal holds, erasure and restriction.

- **Subject access** (`subject_access`): everything Circle holds about one person, as staff
  or as named in records. The tables are found by introspecting the schema: every foreign
  key to `person.id`, plus the few columns that name a person without one
  (`NAME_COLUMNS`), so a table added later cannot be forgotten. JSON for the file, and a
  readable PDF (`subject_access_pdf`).
- **Retention** (`set_retention`, `purge`): a period per kind of finished record, set by an
  administrator; `python -m db purge` removes what is older, skips whatever a legal hold
  (on a case or on a person) keeps, and leaves one audit line per kind. The audit trail is
  never purged: it holds no record content, database triggers refuse deletes, and it is
  what shows the council what was removed and when.
- **Erasure or restriction** (`erase`, `restrict`, `lift_restriction`): per record, either
  erase it (with everything that belongs to it) or keep it out of use, hidden from the
  team's screens. A person is never deleted (the audit trail names them by id): erasing a
  person removes their name, username, sign-in and identity link instead.

Administrators only. Every action is audited; no audit line holds record content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, delete, exists, or_, update
from sqlmodel import Session, SQLModel, col, func, select

import db.models as m
from db import audit
from db.access import Actor, require_role
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.exports import Document
from db.restriction import RESTRICTED_MESSAGE, is_restricted
from db.validation import Checks

__all__ = ["RESTRICTED_MESSAGE", "is_restricted"]  # the rule itself lives in db.restriction

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


# --- Subject access --------------------------------------------------------------------------
def person_references() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to person.id in the schema, found by introspection."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table.name, column.name))
    return sorted(found)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(s: Session, table: Table, condition) -> list[dict[str, object]]:
    keep = [c for c in table.columns if (table.name, c.name) not in SECRET_COLUMNS]
    result = s.connection().execute(select(*keep).where(condition).order_by(*table.primary_key.columns))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def subject_access(actor: Actor, person_id: int) -> dict[str, object]:
    """Everything Circle holds about one person, by table and column (administrators only)."""
    require_role(actor, "admin")
    tables = SQLModel.metadata.tables
    with session_scope() as s:
        person = s.get(m.Person, person_id)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        found: dict[str, list[dict[str, object]]] = {
            "person.id": _rows(s, tables["person"], tables["person"].c.id == person_id)
        }
        for table_name, column in person_references():
            table = tables[table_name]
            found[f"{table_name}.{column}"] = _rows(s, table, table.c[column] == person_id)
        for (table_name, column), holds in NAME_COLUMNS.items():
            table = tables[table_name]
            value = person.username if holds == "username" else person.display_name
            found[f"{table_name}.{column}"] = _rows(s, table, table.c[column] == value)
        # Free text that names them (colleagues write names in notes): where, not just what.
        mentions = []
        name = person.display_name.strip()
        if len(name) >= 3:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in ("person", "audit_event"):
                    continue
                for text_column in table.columns:
                    if text_column.type.__class__.__name__ != "Text":
                        continue
                    ids = s.connection().execute(
                        select(*table.primary_key.columns).where(text_column.ilike(f"%{name}%")).limit(500)
                    )
                    mentions += [
                        {"table": table.name, "column": text_column.name, "id": _plain(r[0])} for r in ids
                    ]
    with session_scope(write=True) as s:
        audit.record(s, "export", record_type="subject_access", record_id=person_id, **_who(actor))
    return {
        "about": {"person_id": person_id, "display_name": person.display_name, "username": person.username},
        "made_at": utcnow().isoformat(),
        "tables": found,
        "named_in_free_text": mentions,
    }


def subject_access_json(actor: Actor, person_id: int) -> bytes:
    return json.dumps(subject_access(actor, person_id), indent=2, ensure_ascii=False).encode("utf-8")


def subject_access_pdf(actor: Actor, person_id: int) -> bytes:
    data = subject_access(actor, person_id)
    about = data["about"]
    doc = Document(f"What Circle holds about {about['display_name']}")  # type: ignore[index]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    doc.para(
        f"Made {data['made_at'][:16].replace('T', ' ')} UTC for a subject access request. Each section is "  # type: ignore[index]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        "one place in Circle's database that refers to this person; empty places are left out."
    )
    for where, rows in data["tables"].items():  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        if not rows:
            continue
        doc.heading(f"{where} ({len(rows)})")
        for row in rows:
            doc.para("; ".join(f"{k}: {v}" for k, v in row.items() if v not in (None, "")))
    mentions = data["named_in_free_text"]
    if mentions:
        doc.heading(f"Named in free text ({len(mentions)})")  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        for found in mentions:  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
            doc.para(f"{found['table']}.{found['column']}, record {found['id']}")
    return doc.bytes()


# --- Legal holds -------------------------------------------------------------------------------
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
        hold = s.get(m.LegalHold, hold_id)
        if hold is None or hold.lifted_at is not None:
            raise NotValid({"hold": "That hold has already been lifted."})
        hold.lifted_at, hold.lifted_by_id = utcnow(), actor.person_id
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
            HoldLine(h.id, h.case_id, ref, h.person_id, name, h.reason, h.placed_at)
            for h, ref, name in rows
        )


def _held_cases(s: Session) -> set[int]:
    return set(
        s.exec(  # type: ignore[arg-type]  # ids read from a NOT NULL column: SQLModel's select types them int | None
            select(col(m.LegalHold.case_id)).where(
                col(m.LegalHold.lifted_at).is_(None), col(m.LegalHold.case_id).is_not(None)
            )
        ).all()
    )


def _held_people(s: Session) -> set[int]:
    return set(
        s.exec(  # type: ignore[arg-type]  # ids read from a NOT NULL column: SQLModel's select types them int | None
            select(col(m.LegalHold.person_id)).where(
                col(m.LegalHold.lifted_at).is_(None), col(m.LegalHold.person_id).is_not(None)
            )
        ).all()
    )


# --- Which records a hold keeps ------------------------------------------------------------------
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
        return set(s.exec(select(col(m.Case.id)).where(col(m.Case.lead_practitioner_id) == record_id)).all())
    return set()


def _is_held(s: Session, kind: str, record_id: object, cases: set[int], people: set[int]) -> bool:
    return bool(_cases_of(s, kind, record_id) & cases) or bool(_people_of(s, kind, record_id) & people)


# --- Erasing with everything that belongs to a record -----------------------------------------------
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
    models: dict[str, type[SQLModel]] = {
        "case": m.Case,
        "supervision_session": m.SupervisionSession,
        "relationship_check_in": m.RelationshipCheckIn,
        "person": m.Person,
        "young_voice_answer": m.YoungVoiceAnswer,
    }
    model = models[kind]
    return s.get(model, record_id) is not None


def _record_id(kind: str, record_id: object) -> object:
    if kind == "risk_thread":
        return str(record_id).strip()
    try:
        return int(str(record_id).strip())
    except ValueError:
        raise NotValid({"record_id": "Please give the record's number, as shown in Circle."}) from None


def erase(actor: Actor, kind: str, record_id: object, *, reason: str) -> None:
    """Erase one record and everything that belongs to it, on a request the council has agreed."""
    require_role(actor, "admin")
    c = Checks()
    reason = c.text("reason", reason, "The reason", max_len=500)
    c.choice("kind", kind, "Kind of record", ERASABLE)
    c.raise_if_any()
    rid = _record_id(kind, record_id)
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


# --- Restriction ------------------------------------------------------------------------------------
def restrict(actor: Actor, kind: str, record_id: object, *, reason: str) -> int:
    require_role(actor, "admin")
    c = Checks()
    reason = c.text("reason", reason, "The reason", max_len=500)
    c.choice("kind", kind, "Kind of record", RESTRICTABLE)
    c.raise_if_any()
    rid = _record_id(kind, record_id)
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
        if row is None or row.lifted_at is not None:
            raise NotValid({"restriction": "That restriction has already been lifted."})
        row.lifted_at, row.lifted_by_id = utcnow(), actor.person_id
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


# --- Retention ----------------------------------------------------------------------------------------
def retention(actor: Actor) -> tuple[RetentionLine, ...]:
    require_role(actor, "admin")
    with session_scope() as s:
        rules = {r.kind: r for r in s.exec(select(m.RetentionRule)).all()}
    return tuple(
        RetentionLine(
            k, label, rules[k].keep_months if k in rules else None, rules[k].version if k in rules else 0
        )
        for k, label in KINDS.items()
    )


def set_retention(actor: Actor, kind: str, keep_months: int | None) -> None:
    """Keep a kind of finished record this many months (None: keep until someone decides)."""
    require_role(actor, "admin")
    c = Checks()
    c.choice("kind", kind, "Kind of record", tuple(KINDS))
    if keep_months is not None and (
        not isinstance(keep_months, int)
        or isinstance(keep_months, bool)
        or not 1 <= keep_months <= MAX_MONTHS
    ):
        c.add("keep_months", f"Please choose between 1 and {MAX_MONTHS} months.")
    c.raise_if_any()
    with session_scope(write=True) as s:
        rule = s.get(m.RetentionRule, kind)
        if keep_months is None:
            if rule is not None:
                s.delete(rule)
        elif rule is None:
            s.add(m.RetentionRule(kind=kind, keep_months=keep_months, set_by_id=actor.person_id))
        else:
            rule.keep_months, rule.set_by_id, rule.set_at = keep_months, actor.person_id, utcnow()
            rule.version += 1
            s.add(rule)
        audit.record(s, "retention", record_type=kind, record_id=keep_months or "", **_who(actor))


def _candidates(s: Session, kind: str, cutoff: datetime) -> list:
    """Finished records of a kind that ended before the cutoff."""
    if kind == "case":
        return list(
            s.exec(
                select(m.Case.id).where(
                    m.Case.status == "closed",
                    col(m.Case.closed_on).is_not(None),
                    col(m.Case.closed_on) < cutoff.date(),
                )
            ).all()
        )
    if kind == "risk_thread":
        latest = (
            select(m.RiskEntry.thread_id, func.max(m.RiskEntry.created_at).label("last"))
            .group_by(m.RiskEntry.thread_id)
            .subquery()
        )
        closed = exists().where(col(m.RiskEntry.thread_id) == latest.c.thread_id, col(m.RiskEntry.status) == "closed")
        closed_by_review = exists().where(
            col(m.RiskReview.thread_id) == latest.c.thread_id, col(m.RiskReview.next_step) == "close"
        )
        last_review = (
            select(func.max(m.RiskReview.reviewed_at))
            .where(m.RiskReview.thread_id == latest.c.thread_id)
            .scalar_subquery()
        )
        return list(
            s.exec(
                select(latest.c.thread_id).where(
                    or_(closed, closed_by_review),
                    latest.c.last < cutoff,
                    or_(last_review.is_(None), last_review < cutoff),
                )
            ).all()
        )
    if kind == "supervision_session":
        return list(
            s.exec(
                select(m.SupervisionSession.id).where(
                    m.SupervisionSession.status == "closed", m.SupervisionSession.scheduled_for < cutoff
                )
            ).all()
        )
    if kind == "relationship_check_in":
        return list(
            s.exec(select(m.RelationshipCheckIn.id).where(m.RelationshipCheckIn.created_at < cutoff)).all()
        )
    if kind == "young_voice_answer":
        return list(s.exec(select(m.YoungVoiceAnswer.id).where(m.YoungVoiceAnswer.created_at < cutoff)).all())
    if kind == "training_cohort":
        return list(
            s.exec(
                select(m.TrainingCohort.id).where(
                    m.TrainingCohort.status != "active", m.TrainingCohort.created_at < cutoff
                )
            ).all()
        )
    if kind == "signin_session":
        return list(
            s.exec(
                select(m.SignInSession.id).where(
                    or_(col(m.SignInSession.revoked_at).is_not(None), col(m.SignInSession.expires_at) < utcnow()),
                    m.SignInSession.created_at < cutoff,
                )
            ).all()
        )
    raise ValueError(kind)  # pragma: no cover


def purge(*, actor: Actor | None = None, now: datetime | None = None) -> PurgeResult:
    """Remove finished records older than their kind's retention period, except those a legal
    hold keeps. One audit line per kind says how many went (and how many a hold kept)."""
    if actor is not None:
        require_role(actor, "admin")
    now = now or utcnow()
    removed: dict[str, int] = {}
    kept: dict[str, int] = {}
    with session_scope(write=True) as s:
        rules = {r.kind: r.keep_months for r in s.exec(select(m.RetentionRule)).all()}
        cases, people = _held_cases(s), _held_people(s)
        for kind in KINDS:
            if kind not in rules:
                continue
            cutoff = now - timedelta(days=round(rules[kind] * DAYS_PER_MONTH))
            gone = held = 0
            for record_id in _candidates(s, kind, cutoff):
                if not _exists_any(s, kind, record_id):
                    continue  # already erased with a case purged just before
                if _is_held(s, kind, record_id, cases, people):
                    held += 1
                    continue
                _erase(s, kind, record_id)
                gone += 1
            removed[kind], kept[kind] = gone, held
            audit.record(
                s,
                "purge",
                record_type=kind,
                record_id=f"{gone} removed, {held} held",
                outcome="ok",
                **_who(actor),
            )
    return PurgeResult(removed, kept)


def _exists_any(s: Session, kind: str, record_id: object) -> bool:
    if kind == "training_cohort":
        return s.get(m.TrainingCohort, record_id) is not None
    if kind == "signin_session":
        return s.get(m.SignInSession, record_id) is not None
    return _exists(s, kind, record_id)
