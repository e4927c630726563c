"""One case, seen and worked on together: details, the mapping and formulation (edited by
several people at once, never silently overwritten), its history, the network around the
child and a timeline of everything the team has done with the family.

Editing together: every save names the version it was based on. A save made on a stale
copy is refused with a `MappingConflict` that names the colleague who saved in between and
carries their whole version, so the screen can show both side by side and let the person
merge. Each save writes a `CaseMappingRevision` (who, when, the full snapshot as JSON), and
`history()` turns consecutive snapshots into a field-by-field list of what changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit, restriction
from db.access import Actor, case_team_ids
from db.case_board import (
    BoardSettings,
    Colleague,
    _settings,
    can_edit_team,
    colleagues,
    last_changed_by,
    require_editor,
)
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import (
    Action,
    AgendaItem,
    Case,
    CaseMapping,
    CaseMappingRevision,
    NetworkMember,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SupervisionSession,
    Team,
)
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
NETWORK_KINDS = ("family", "carer", "friend", "professional")
NETWORK_LABELS = {
    "label": "Who they are",
    "kind": "How they know the child",
    "relationship_strength": "How strong the relationship is",
    "best_placed_for": "Best placed for which conversation",
}
MAX_TEXT = 4000


def _blank() -> dict[str, object]:
    return {f: None if f == "scale" else "" for f in ALL_FIELDS}


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- Read models ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseDetail:
    case_id: int
    team_id: int
    team_name: str
    reference: str
    status: str
    settings: BoardSettings
    lead_id: int
    lead_name: str
    best_id: int | None
    best_name: str | None
    opened_on: date
    next_review_on: date | None
    version: int
    can_edit: bool
    colleagues: tuple[Colleague, ...]

    @property
    def status_label(self) -> str:
        return self.settings.label(self.status)


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


@dataclass(frozen=True)
class NetworkPerson:
    member_id: int
    label: str
    kind: str
    relationship_strength: int | None
    best_placed_for: str
    version: int


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # check_in, mapping, risk, risk_review, action, discussion
    title: str
    detail: str
    who: str


# --- Scope ---------------------------------------------------------------------------------
def _case(s: Session, actor: Actor, case_id: int) -> Case:
    """The case, if this person's teams reach it. A case elsewhere reads as not there at all."""
    found = s.get(Case, case_id) if isinstance(case_id, int) else None
    try:
        if found is None or found.team_id not in case_team_ids(actor):
            raise NotAllowed("That case isn't open to you, or it is no longer in Circle.")
        restriction.require_case_in_use(s, case_id)
    except NotAllowed:
        audit.record_refusal(actor, "case", case_id, team_id=found.team_id if found else None)
        raise
    return found


def case_detail(actor: Actor, case_id: int) -> CaseDetail:
    """The case's details for its page; opening it is noted in the audit trail."""
    with session_scope() as s:
        c = _case(s, actor, case_id)
        team = s.get(Team, c.team_id)
        assert team is not None
        names = dict(
            s.exec(
                select(Person.id, Person.display_name).where(
                    col(Person.id).in_((c.lead_practitioner_id, c.best_relationship_person_id or 0))
                )
            ).all()
        )
        detail = CaseDetail(
            case_id=c.id,
            team_id=c.team_id,
            team_name=team.name,
            reference=c.reference,
            status=c.status,
            settings=_settings(team),
            lead_id=c.lead_practitioner_id,
            lead_name=names.get(c.lead_practitioner_id, ""),
            best_id=c.best_relationship_person_id,
            best_name=names.get(c.best_relationship_person_id) if c.best_relationship_person_id else None,
            opened_on=c.opened_on,
            next_review_on=c.next_review_on,
            version=c.version,
            can_edit=can_edit_team(actor, c.team_id),
            colleagues=colleagues(s, c.team_id),
        )
    audit.record_view(actor, "case", case_id, team_id=detail.team_id)
    return detail


# --- Mapping and formulation ---------------------------------------------------------------
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
        _case(s, actor, case_id)
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
            case = _case(s, actor, case_id)
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
            audit.record(
                s,
                "change" if row else "create",
                actor_id=actor.person_id,
                actor_label=actor.username,
                record_type="case_mapping",
                record_id=case_id,
                team_id=case.team_id,
            )
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
        _case(s, actor, case_id)
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


# --- The network around the child ----------------------------------------------------------
def network(actor: Actor, case_id: int) -> list[NetworkPerson]:
    with session_scope() as s:
        _case(s, actor, case_id)
        rows = s.exec(
            select(NetworkMember)
            .where(NetworkMember.case_id == case_id)
            .order_by(
                col(NetworkMember.relationship_strength).desc().nulls_last(),
                NetworkMember.label,
                col(NetworkMember.id),
            )
        ).all()
    return [
        NetworkPerson(m.id, m.label, m.kind, m.relationship_strength, m.best_placed_for, m.version)
        for m in rows
    ]


def _check_member(
    label: str, kind: str, strength: int | None, best_placed_for: str
) -> tuple[str, str, int | None, str]:
    c = Checks()
    label = c.text("label", label, NETWORK_LABELS["label"], max_len=80, single_line=True)
    kind = c.choice("kind", kind, NETWORK_LABELS["kind"], NETWORK_KINDS)
    strength = c.scale(
        "relationship_strength", strength, NETWORK_LABELS["relationship_strength"], required=False
    )
    best_placed_for = c.text(
        "best_placed_for", best_placed_for, NETWORK_LABELS["best_placed_for"], required=False, max_len=1000
    )
    c.raise_if_any()
    return label, kind, strength, best_placed_for


def add_network_member(
    actor: Actor,
    case_id: int,
    *,
    label: str,
    kind: str,
    relationship_strength: int | None = None,
    best_placed_for: str = "",
) -> str | None:
    """Add someone who matters to the child. Returns a gentle warning if the text may identify them."""
    label, kind, strength, best_for = _check_member(label, kind, relationship_strength, best_placed_for)
    with session_scope(write=True) as s:
        case = _case(s, actor, case_id)
        require_editor(actor, case.team_id)
        member = NetworkMember(
            case_id=case_id, label=label, kind=kind, relationship_strength=strength, best_placed_for=best_for
        )
        s.add(member)
        s.flush()
        audit.record(
            s,
            "create",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="network_member",
            record_id=member.id,
            team_id=case.team_id,
        )
    return free_text_warning({"label": label, "best_placed_for": best_for}, NETWORK_LABELS)


def update_network_member(
    actor: Actor,
    member_id: int,
    *,
    label: str,
    kind: str,
    relationship_strength: int | None,
    best_placed_for: str,
    version: int,
) -> str | None:
    label, kind, strength, best_for = _check_member(label, kind, relationship_strength, best_placed_for)
    with session_scope(write=True) as s:
        member = s.get(NetworkMember, member_id)
        if member is None:
            raise NotAllowed("That person is no longer in this child's network.")
        case = _case(s, actor, member.case_id)
        require_editor(actor, case.team_id)
        done = s.exec(
            update(NetworkMember)
            .where(col(NetworkMember.id) == member_id, col(NetworkMember.version) == version)
            .values(
                label=label,
                kind=kind,
                relationship_strength=strength,
                best_placed_for=best_for,
                version=version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            s.refresh(member)
            who, _ = last_changed_by(s, "network_member", member_id)
            raise EditConflict(
                f"{who} changed this person's details while you had them open. Here is what is "
                "saved now; what you typed is still in the form.",
                {
                    NETWORK_LABELS["label"]: member.label,
                    NETWORK_LABELS["kind"]: member.kind,
                    NETWORK_LABELS["relationship_strength"]: member.relationship_strength,
                    NETWORK_LABELS["best_placed_for"]: member.best_placed_for,
                },
            )
        audit.record(
            s,
            "change",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="network_member",
            record_id=member_id,
            team_id=case.team_id,
        )
    return free_text_warning({"label": label, "best_placed_for": best_for}, NETWORK_LABELS)


# --- Timeline ------------------------------------------------------------------------------
def _short(text: str, limit: int = 280) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline(actor: Actor, case_id: int, *, limit: int = 40) -> list[TimelineEvent]:
    """What the team has done with this family, newest first: relationship check-ins, mapping
    saves, worries held and their reviews, actions and supervision discussions."""
    limit = max(1, min(limit, 500))
    events: list[TimelineEvent] = []
    with session_scope() as s:
        case = _case(s, actor, case_id)
        for r, who in s.exec(
            select(RelationshipCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
            .where(RelationshipCheckIn.case_id == case_id)
            .order_by(col(RelationshipCheckIn.created_at).desc())
            .limit(limit)
        ).all():
            said = (
                f" · What they'd say: {_short(r.what_they_would_say, 160)}" if r.what_they_would_say else ""
            )
            events.append(
                TimelineEvent(
                    _utc(r.created_at),
                    "check_in",
                    "Relationship check-in",
                    f"Trust {r.trust} · feels heard {r.feel_heard} · what matters {r.what_matters} "
                    f"· hope {r.hope} (each out of 10){said}",
                    who,
                )
            )
        revisions = s.exec(
            select(CaseMappingRevision, Person.display_name)
            .join(Person, col(Person.id) == col(CaseMappingRevision.saved_by_id))
            .where(CaseMappingRevision.case_id == case_id)
            .order_by(col(CaseMappingRevision.version).desc())
            .limit(limit + 1)
        ).all()
        snaps = [(rev, who, _snapshot(rev.snapshot)) for rev, who in revisions]
        for i, (rev, who, snap) in enumerate(snaps[:limit]):
            before = snaps[i + 1][2] if i + 1 < len(snaps) else _blank()
            changed = diff(before, snap)
            what = ", ".join(FIELD_SHORT[ch.field] for ch in changed) or "nothing new"
            scale = f" · scale now {snap['scale']}" if snap.get("scale") is not None else ""
            events.append(
                TimelineEvent(
                    _utc(rev.saved_at),
                    "mapping",
                    f"Mapping saved (version {rev.version})",
                    f"Changed: {what}{scale}",
                    who,
                )
            )
        for e, who in s.exec(
            select(RiskEntry, Person.display_name)
            .join(Person, col(Person.id) == col(RiskEntry.created_by_id))
            .where(
                RiskEntry.case_id == case_id,
                RiskEntry.team_id == case.team_id,
                restriction.not_restricted("risk_thread", RiskEntry.thread_id),
            )
            .order_by(col(RiskEntry.created_at).desc())
            .limit(limit)
        ).all():
            if e.revision == 1:
                title = "A worry named, to hold together"
            elif e.status == "closed":
                title = "A worry held together was closed"
            else:
                title = "A worry held together was updated"
            events.append(TimelineEvent(_utc(e.created_at), "risk", title, _short(e.worry), who))
        threads = select(RiskEntry.thread_id).where(
            RiskEntry.case_id == case_id,
            RiskEntry.team_id == case.team_id,
            restriction.not_restricted("risk_thread", RiskEntry.thread_id),
        )
        for review, who in s.exec(
            select(RiskReview, Person.display_name)
            .join(Person, col(Person.id) == col(RiskReview.reviewed_by_id))
            .where(col(RiskReview.thread_id).in_(threads))
            .order_by(col(RiskReview.reviewed_at).desc())
            .limit(limit)
        ).all():
            events.append(
                TimelineEvent(
                    _utc(review.reviewed_at),
                    "risk_review",
                    "The team reviewed a worry it holds",
                    _short(review.what_we_learned) or review.what_happened.replace("_", " "),
                    who,
                )
            )
        for a, who in s.exec(
            select(Action, Person.display_name)
            .join(Person, col(Person.id) == col(Action.owner_id))
            .where(Action.case_id == case_id, Action.team_id == case.team_id)
            .order_by(col(Action.created_at).desc())
            .limit(limit)
        ).all():
            state = {"open": "open", "done": "done", "carried_over": "carried over", "dropped": "let go"}.get(
                a.status, a.status
            )
            events.append(
                TimelineEvent(
                    _utc(a.created_at),
                    "action",
                    "Action agreed",
                    f"{_short(a.description)} · by {a.due_on:%d %b %Y} · {state}",
                    who,
                )
            )
        for item, at, who in s.exec(
            select(AgendaItem, SupervisionSession.scheduled_for, Person.display_name)
            .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
            .join(Person, col(Person.id) == col(AgendaItem.brought_by_id))
            .where(
                AgendaItem.case_id == case_id,
                SupervisionSession.team_id == case.team_id,
                SupervisionSession.status == "closed",
            )
            .order_by(col(SupervisionSession.scheduled_for).desc())
            .limit(limit)
        ).all():
            detail = _short(item.ask, 200)
            if item.discussion_notes:
                detail += f" · What the team thought: {_short(item.discussion_notes, 240)}"
            events.append(
                TimelineEvent(_utc(at), "discussion", "Talked about in group supervision", detail, who)
            )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
