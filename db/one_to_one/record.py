"""The record of a one-to-one: reading it, closing it, amending it after, and its export."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from db import audit, restriction, sessions, versioning
from db.access import Actor
from db.clock import from_local, local, utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.exports import Document, to_csv
from db.models import Case, Person, RelationshipCheckIn
from db.one_to_one.read_models import (
    PRIVATE_FIELDS,
    ActionView,
    Amendment,
    CheckInLine,
    ItemView,
    OneToOneView,
    PrivateView,
)
from db.one_to_one.scope import _audit, _load, _names, _require_open
from db.supervision_models import (
    OneToOne,
    OneToOneAction,
    OneToOneAmendment,
    OneToOneCheckIn,
    OneToOneItem,
    OneToOnePrivate,
)
from db.validation import Checks


def _action_views(s: Session, rows: list[OneToOneAction]) -> tuple[ActionView, ...]:
    names = _names(s, {a.owner_id for a in rows})
    return tuple(
        ActionView(
            a.id,
            a.one_to_one_id,
            a.description,
            names.get(a.owner_id, ""),
            a.owner_id,
            a.due_on,
            a.status,
            a.status_reason,
            a.version,
        )
        for a in rows
    )


def _earlier_open(s: Session, row: OneToOne) -> list[OneToOneAction]:
    """Open actions from this pair's earlier one-to-ones, to look back on first."""
    return list(
        s.exec(
            select(OneToOneAction)
            .join(OneToOne, col(OneToOne.id) == col(OneToOneAction.one_to_one_id))
            .where(
                OneToOne.practitioner_id == row.practitioner_id,
                OneToOne.supervisor_id == row.supervisor_id,
                OneToOne.scheduled_for < row.scheduled_for,
                OneToOneAction.status == "open",
            )
            .order_by(col(OneToOneAction.due_on), col(OneToOneAction.id))
        ).all()
    )


def _view(s: Session, row: OneToOne) -> OneToOneView:
    names = _names(s, {row.practitioner_id, row.supervisor_id})
    items, checks = _items(s, row), _check_ins(s, row)
    actions = list(
        s.exec(
            select(OneToOneAction)
            .where(OneToOneAction.one_to_one_id == row.id)
            .order_by(col(OneToOneAction.id))
        )
    )
    reviewed_here = list(
        s.exec(
            select(OneToOneAction)
            .where(OneToOneAction.reviewed_in_id == row.id)
            .order_by(col(OneToOneAction.id))
        )
    )
    to_review = reviewed_here + (_earlier_open(s, row) if row.status == "planned" else [])
    amendments = s.exec(
        select(OneToOneAmendment, Person.display_name)
        .join(Person, col(Person.id) == col(OneToOneAmendment.author_id))
        .where(OneToOneAmendment.one_to_one_id == row.id)
        .order_by(col(OneToOneAmendment.created_at))
    ).all()
    return OneToOneView(
        row.id,
        row.team_id,
        row.practitioner_id,
        names.get(row.practitioner_id, ""),
        row.supervisor_id,
        names.get(row.supervisor_id, ""),
        row.scheduled_for,
        row.duration_minutes,
        row.recurs_every_weeks,
        row.status,
        row.closed_at,
        items,
        checks,
        _action_views(s, to_review),
        _action_views(s, actions),
        tuple(Amendment(name, a.created_at, a.text) for a, name in amendments),
        row.version,
    )


def _items(s: Session, row: OneToOne) -> tuple[ItemView, ...]:
    """The cases brought (those still in use), in the order they were brought."""
    items = s.exec(
        select(OneToOneItem, Case.reference)
        .join(Case, col(Case.id) == col(OneToOneItem.case_id))
        .where(OneToOneItem.one_to_one_id == row.id, restriction.case_in_use(Case.id))
        .order_by(col(OneToOneItem.id))
    ).all()
    return tuple(
        ItemView(i.id, i.case_id, ref, i.ask, i.discussion_notes, i.case_file_summary, i.version)
        for i, ref in items
    )


def _check_ins(s: Session, row: OneToOne) -> tuple[CheckInLine, ...]:
    """The relationship check-ins made in this one-to-one (cases still in use), oldest first."""
    checks = s.exec(
        select(RelationshipCheckIn, Case.reference)
        .join(OneToOneCheckIn, col(OneToOneCheckIn.check_in_id) == col(RelationshipCheckIn.id))
        .join(Case, col(Case.id) == col(RelationshipCheckIn.case_id))
        .where(OneToOneCheckIn.one_to_one_id == row.id, restriction.case_in_use(Case.id))
        .order_by(col(RelationshipCheckIn.created_at))
    ).all()
    return tuple(
        CheckInLine(
            ref,
            c.created_at,
            {k: getattr(c, k) for k in sessions.CHECK_IN_ITEMS},
            c.working_well,
            c.gets_in_the_way,
        )
        for c, ref in checks
    )


def view(actor: Actor, one_to_one_id: int) -> OneToOneView:
    with session_scope() as s:
        found = _view(s, _load(s, actor, one_to_one_id))
    audit.record_view(actor, "one_to_one", one_to_one_id, team_id=found.team_id)
    return found


def cases_to_bring(actor: Actor, one_to_one_id: int) -> tuple[tuple[int, str], ...]:
    """(id, reference) of the team's open cases the practitioner leads or holds the best relationship with first."""
    with session_scope() as s:
        row = _load(s, actor, one_to_one_id)
        found = s.exec(
            select(Case.id, Case.reference, Case.lead_practitioner_id, Case.best_relationship_person_id)
            .where(Case.team_id == row.team_id, Case.status != "closed", restriction.case_in_use(Case.id))
            .order_by(Case.reference)
        ).all()
        theirs = [(i, r) for i, r, lead, best in found if row.practitioner_id in (lead, best)]
        rest = [(i, r) for i, r, lead, best in found if row.practitioner_id not in (lead, best)]
        return tuple(theirs + rest)


# ---------------------------------------------------------------- close and after


def close(actor: Actor, one_to_one_id: int, *, version: int) -> int | None:
    """The supervisor closes it; a recurring one plans the next. Returns the next one's id."""
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        if actor.person_id != row.supervisor_id:
            raise NotAllowed("The supervisor closes the one-to-one.")
        _require_open(row)
        versioning.check(
            row, version, "This one-to-one changed after you opened it; have a look before closing."
        )
        row.status = "closed"
        row.closed_at = utcnow()
        versioning.saved(s, actor, row, "close", "one_to_one", row.id, team_id=row.team_id)
        if not row.recurs_every_weeks:
            return None
        later = s.exec(
            select(OneToOne.id).where(
                OneToOne.practitioner_id == row.practitioner_id,
                OneToOne.supervisor_id == row.supervisor_id,
                OneToOne.status == "planned",
                OneToOne.scheduled_for > row.scheduled_for,
            )
        ).first()
        if later is not None:
            return int(later)
        wall = local(row.scheduled_for)
        nxt = OneToOne(
            team_id=row.team_id,
            practitioner_id=row.practitioner_id,
            supervisor_id=row.supervisor_id,
            scheduled_for=from_local(wall.date() + timedelta(weeks=row.recurs_every_weeks), wall.time()),
            duration_minutes=row.duration_minutes,
            recurs_every_weeks=row.recurs_every_weeks,
            created_by_id=actor.person_id,
        )
        s.add(nxt)
        s.flush()
        _audit(s, actor, "create", "one_to_one", nxt.id, row.team_id)
        return int(nxt.id)


def amend(actor: Actor, one_to_one_id: int, text: str) -> None:
    c = Checks()
    text = c.text("text", text, "Your amendment", max_len=2000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        if row.status != "closed":
            raise NotValid(
                {
                    "text": "Amendments are added once the one-to-one is closed; until then, change it directly."
                }
            )
        a = OneToOneAmendment(one_to_one_id=one_to_one_id, author_id=actor.person_id, text=text)
        s.add(a)
        s.flush()
        _audit(s, actor, "create", "one_to_one_amendment", a.id, row.team_id)


def _export_parts(actor: Actor, one_to_one_id: int) -> tuple[OneToOneView, PrivateView]:
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        found = _view(s, row)
        p = s.exec(select(OneToOnePrivate).where(OneToOnePrivate.one_to_one_id == one_to_one_id)).first()
        _audit(s, actor, "export", "one_to_one", one_to_one_id, row.team_id)
    pv = (
        PrivateView(
            p.arrival_score,
            p.arrival_word,
            p.learning,
            p.been_hard,
            p.support_needed,
            p.helpful_today,
            p.version,
        )
        if p
        else PrivateView(None, "", "", "", "", "", 0)
    )
    return found, pv


def _record_rows(v: OneToOneView, p: PrivateView) -> list[tuple[str, str, str]]:
    when = local(v.scheduled_for).strftime("%d/%m/%Y %H:%M")
    rows: list[tuple[str, str, str]] = [
        ("One-to-one", "Between", f"{v.practitioner} and {v.supervisor}"),
        ("One-to-one", "When", when),
        ("Arrival", "How you're arriving (0-10)", "" if p.arrival_score is None else str(p.arrival_score)),
        ("Arrival", "A word for it", p.arrival_word),
    ]
    for c in v.check_ins:
        rows.append(
            (
                f"Check-in: {c.case_reference}",
                "Scores",
                ", ".join(f"{sessions.CHECK_IN_ITEMS[k]} {n}" for k, n in c.scores.items()),
            )
        )
    for i in v.items:
        rows += [
            (f"Case: {i.case_reference}", "What you'd like to think about", i.ask),
            (f"Case: {i.case_reference}", "Notes", i.discussion_notes),
            (f"Case: {i.case_reference}", "Summary for the case file", i.case_file_summary),
        ]
    for a in v.to_review:
        rows.append(("Looked back on", a.description, f"{a.status} {a.status_reason}".strip()))
    for a in v.actions:
        rows.append(("Action", a.description, f"{a.owner}, by {a.due_on:%d/%m/%Y}"))
    for k, label in PRIVATE_FIELDS.items():
        rows.append(
            ("Wellbeing and development" if k != "helpful_today" else "Closing", label, getattr(p, k))
        )
    for amendment in v.amendments:
        rows.append(
            ("Amendment", f"{amendment.author}, {local(amendment.created_at):%d/%m/%Y %H:%M}", amendment.text)
        )
    return rows


def record_csv(actor: Actor, one_to_one_id: int) -> bytes:
    """The record as CSV, safe to open in a spreadsheet (for the two people in it)."""
    v, p = _export_parts(actor, one_to_one_id)
    return to_csv(("Part", "What", "Said"), _record_rows(v, p))


def record_pdf(actor: Actor, one_to_one_id: int) -> bytes:
    v, p = _export_parts(actor, one_to_one_id)
    doc = Document(f"One-to-one supervision: {v.practitioner} with {v.supervisor}")
    doc.para(f"{local(v.scheduled_for):%A %d %B %Y, %H:%M} · {'closed' if v.is_closed else 'not yet closed'}")
    doc.para("Private to the two people in it: the wellbeing and development section is theirs alone.")
    part = None
    for section, what, said in _record_rows(v, p)[2:]:
        if section != part:
            doc.heading(section)
            part = section
        doc.para(what, bold=True)
        doc.para(said or "—")
    return doc.bytes()
