"""The mapping and formulation, edited by several people at once and never silently
overwritten, and its history field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit
from db.access import Actor
from db.case_board import require_editor
from db.cases._detail import _utc, case_in_reach
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict
from db.models import CaseMapping, CaseMappingRevision, Person
from db.pseudonymise import free_text_warning
from db.validation import Checks

MAPPING_FIELDS = ("worries", "working_well", "needs_to_happen", "danger_statement", "safety_goal", "scale")
FORMULATION_FIELDS = ("presenting", "predisposing", "precipitating", "perpetuating", "protective", "plan")
ALL_FIELDS = MAPPING_FIELDS + FORMULATION_FIELDS
TEXT_FIELDS = tuple(f for f in ALL_FIELDS if f != "scale")
FIELD_LABELS = {
    "worries": "What are we worried about?",
    "working_well": "What's working well?",
    "needs_to_happen": "What needs to happen?",
    "danger_statement": "Danger statement",
    "safety_goal": "Safety goal",
    "scale": "Safety scale (0 to 10)",
    "presenting": "Presenting: what is happening now",
    "predisposing": "Predisposing: what made this more likely",
    "precipitating": "Precipitating: what set it off",
    "perpetuating": "Perpetuating: what keeps it going",
    "protective": "Protective: what helps and who",
    "plan": "Plan: what we will do",
}
# Short names for a field inside a sentence ("Changed: worries, the scale").
FIELD_SHORT = {
    "worries": "worries",
    "working_well": "what's working well",
    "needs_to_happen": "what needs to happen",
    "danger_statement": "danger statement",
    "safety_goal": "safety goal",
    "scale": "the scale",
    "presenting": "presenting",
    "predisposing": "predisposing",
    "precipitating": "precipitating",
    "perpetuating": "perpetuating",
    "protective": "protective",
    "plan": "plan",
}
MAX_TEXT = 4000


def _blank() -> dict[str, object]:
    return {f: None if f == "scale" else "" for f in ALL_FIELDS}


@dataclass(frozen=True)
class MappingView:
    fields: dict[str, object]
    version: int  # 0 before the first save
    saved_by: str | None
    saved_at: datetime | None


@dataclass(frozen=True)
class Saved:
    version: int
    changed: bool
    warning: str | None  # a gentle note when free text may identify someone


class MappingConflict(EditConflict):
    """A colleague saved the mapping after this person opened it. Carries their whole version."""

    def __init__(self, saved_by: str, saved_at: datetime | None, version: int, theirs: dict[str, object]):
        when = f" at {saved_at:%H:%M} on {saved_at:%d %B}" if saved_at else ""
        super().__init__(
            f"{saved_by} saved this mapping{when}, after you opened it, so your save has not gone "
            "through yet. Nothing is lost: their version is beside yours below. Take what you want "
            "from theirs into the form, then save again.",
            theirs,
        )
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.version = version


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: object
    after: object


@dataclass(frozen=True)
class Revision:
    version: int
    saved_by: str
    saved_at: datetime
    scale: int | None
    changes: tuple[FieldChange, ...]


def _fields_of(row: CaseMapping | None) -> dict[str, object]:
    if row is None:
        return _blank()
    return {f: getattr(row, f) for f in ALL_FIELDS}


def _view(s: Session, row: CaseMapping | None) -> MappingView:
    if row is None:
        return MappingView(_blank(), 0, None, None)
    who = s.get(Person, row.updated_by_id) if row.updated_by_id else None
    return MappingView(_fields_of(row), row.version, who.display_name if who else None, _utc(row.updated_at))


def mapping(actor: Actor, case_id: int) -> MappingView:
    with session_scope() as s:
        case_in_reach(s, actor, case_id)
        row = s.exec(select(CaseMapping).where(CaseMapping.case_id == case_id)).first()
        return _view(s, row)


def _conflict(case_id: int) -> MappingConflict:
    with session_scope() as s:
        row = s.exec(select(CaseMapping).where(CaseMapping.case_id == case_id)).first()
        view = _view(s, row)
    return MappingConflict(view.saved_by or "A colleague", view.saved_at, view.version, view.fields)


def _clean(changes: dict[str, object]) -> tuple[dict[str, object], Checks]:
    c = Checks()
    cleaned: dict[str, object] = {}
    for field, value in changes.items():
        if field not in ALL_FIELDS:
            continue
        if field == "scale":
            cleaned[field] = c.scale(field, value, "The safety scale", required=False)  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        else:
            cleaned[field] = c.text(field, value, FIELD_LABELS[field], required=False, max_len=MAX_TEXT)  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    return cleaned, c


def save_mapping(actor: Actor, case_id: int, changes: dict[str, object], *, base_version: int) -> Saved:
    """Save some or all of the mapping's fields, as long as nobody saved since `base_version`.

    Raises MappingConflict when they did (nothing is written), NotValid for a field to fix.
    """
    cleaned, c = _clean(changes)
    c.raise_if_any()
    try:
        with session_scope(write=True) as s:
            case = case_in_reach(s, actor, case_id)
            require_editor(actor, case.team_id)
            row = s.exec(select(CaseMapping).where(CaseMapping.case_id == case_id)).first()
            current = _fields_of(row)
            if (row.version if row else 0) != base_version:
                raise _ConflictSignal()
            merged = {**current, **cleaned}
            if merged == current:
                return Saved(base_version, False, None)
            now = utcnow()
            new_version = base_version + 1
            if row is None:
                s.add(CaseMapping(case_id=case_id, updated_by_id=actor.person_id, updated_at=now, **merged))  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
                s.flush()
            else:
                done = s.exec(
                    update(CaseMapping)
                    .where(col(CaseMapping.case_id) == case_id, col(CaseMapping.version) == base_version)
                    .values(**merged, updated_at=now, updated_by_id=actor.person_id, version=new_version)
                    .execution_options(synchronize_session=False)
                )
                if done.rowcount != 1:
                    raise _ConflictSignal()
            s.add(
                CaseMappingRevision(
                    case_id=case_id,
                    version=new_version,
                    saved_by_id=actor.person_id,
                    saved_at=now,
                    snapshot=json.dumps(merged, sort_keys=True),
                )
            )
            audit.by(s, actor, "change" if row else "create", "case_mapping", case_id, case.team_id)
    except (_ConflictSignal, IntegrityError):
        # Rolled back; read what is saved now in a fresh transaction and show it.
        raise _conflict(case_id) from None
    changed_text = {f: str(merged[f]) for f in TEXT_FIELDS if merged[f] != current[f]}
    return Saved(new_version, True, free_text_warning(changed_text, FIELD_LABELS))


class _ConflictSignal(Exception):
    """Internal: leave the transaction (rolling it back) and report a conflict."""


def _snapshot(raw: str) -> dict[str, object]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        data = {}
    return (
        {**_blank(), **{k: v for k, v in data.items() if k in ALL_FIELDS}}
        if isinstance(data, dict)
        else _blank()
    )


def _same(field: str, a: object, b: object) -> bool:
    return a == b if field == "scale" else (a or "") == (b or "")


def diff(before: dict[str, object], after: dict[str, object]) -> tuple[FieldChange, ...]:
    """The fields that differ between two versions, in the mapping's own order."""
    return tuple(
        FieldChange(f, FIELD_LABELS[f], before.get(f), after.get(f))
        for f in ALL_FIELDS
        if not _same(f, before.get(f), after.get(f))
    )


def history(actor: Actor, case_id: int) -> list[Revision]:
    """Every saved version of the mapping, newest first, with what each one changed."""
    with session_scope() as s:
        case_in_reach(s, actor, case_id)
        rows = s.exec(
            select(CaseMappingRevision, Person.display_name)
            .join(Person, col(Person.id) == col(CaseMappingRevision.saved_by_id))
            .where(CaseMappingRevision.case_id == case_id)
            .order_by(col(CaseMappingRevision.version))
        ).all()
    result = []
    previous = _blank()
    for revision, name in rows:
        snap = _snapshot(revision.snapshot)
        result.append(
            Revision(revision.version, name, _utc(revision.saved_at), snap["scale"], diff(previous, snap))  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
        previous = snap
    return result[::-1]
