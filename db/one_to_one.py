"""One-to-one supervision: a practitioner and their supervisor, in the same calm shape as the group.

A one-to-one has an arrival (how the practitioner is arriving), the cases they choose to
bring with relationship check-ins (ordinary check-ins, so the same trends), the case
discussion with a summary for the case file, worries named or reviewed in the team's risk
log, actions carried over from last time, the practitioner's wellbeing and development, and
a closing (what was helpful today).

Who reaches what:
- the record is the two people's: the practitioner and the supervisor in it;
- the private part (arrival, wellbeing and development, closing) is read and written only
  by `private` and `save_private`, for those two;
- a manager of the team, and the team's supervisor, see that one-to-ones happened and when
  (`dates_for_team`), never what was said;
- nobody else sees anything of it (administrators find it through subject access).

Closing makes the record read-only; either of the two then adds amendments. Closing a
recurring one-to-one plans the next one the agreed number of weeks on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from db import audit, restriction, sessions
from db.access import Actor, supervised_team_ids
from db.clock import from_local, local, utcnow
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.exports import Document, to_csv
from db.models import Case, Membership, Person, RelationshipCheckIn
from db.supervision_models import (
    OneToOne,
    OneToOneAction,
    OneToOneAmendment,
    OneToOneCheckIn,
    OneToOneItem,
    OneToOnePrivate,
)
from db.validation import Checks

PRIVATE_FIELDS = {
    "learning": "What you've been learning",
    "been_hard": "What's been hard",
    "support_needed": "What support you need",
    "helpful_today": "What was helpful today",
}
TEXT_LIMIT = 3000
REVIEW_CHOICES = ("done", "carried_over", "dropped")


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class Line:
    id: int
    practitioner_id: int
    practitioner: str
    supervisor_id: int
    supervisor: str
    scheduled_for: datetime
    status: str
    recurs_every_weeks: int | None


@dataclass(frozen=True)
class ItemView:
    id: int
    case_id: int
    case_reference: str
    ask: str
    discussion_notes: str
    case_file_summary: str
    version: int


@dataclass(frozen=True)
class ActionView:
    id: int
    one_to_one_id: int
    description: str
    owner: str
    owner_id: int
    due_on: date
    status: str
    status_reason: str
    version: int


@dataclass(frozen=True)
class Amendment:
    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class CheckInLine:
    case_reference: str
    created_at: datetime
    scores: dict[str, int]
    working_well: str
    gets_in_the_way: str


@dataclass(frozen=True)
class OneToOneView:
    id: int
    team_id: int
    practitioner_id: int
    practitioner: str
    supervisor_id: int
    supervisor: str
    scheduled_for: datetime
    duration_minutes: int
    recurs_every_weeks: int | None
    status: str
    closed_at: datetime | None
    items: tuple[ItemView, ...]
    check_ins: tuple[CheckInLine, ...]
    to_review: tuple[ActionView, ...]
    actions: tuple[ActionView, ...]
    amendments: tuple[Amendment, ...]
    version: int

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class PrivateView:
    arrival_score: int | None
    arrival_word: str
    learning: str
    been_hard: str
    support_needed: str
    helpful_today: str
    version: int  # 0 until something has been written


@dataclass(frozen=True)
class DateLine:
    """What a manager sees: that a one-to-one happened, and when. Nothing of what was said."""

    practitioner: str
    scheduled_for: datetime
    status: str
    closed_at: datetime | None


@dataclass(frozen=True)
class CaseDiscussion:
    """A one-to-one's discussion of a case, in the shape the group's items give the case page."""

    case_reference: str
    ask: str
    case_file_summary: str
    held_on: date
    brought_by: str
    one_to_one_id: int


# ---------------------------------------------------------------- scope


def _participant(actor: Actor, row: OneToOne) -> bool:
    return actor.role in ("practitioner", "supervisor") and actor.person_id in (
        row.practitioner_id,
        row.supervisor_id,
    )


def _load(s: Session, actor: Actor, one_to_one_id: int) -> OneToOne:
    row = s.get(OneToOne, one_to_one_id)
    if row is None or not _participant(actor, row):
        raise NotAllowed("A one-to-one is open only to the two people in it.")
    return row


def _require_open(row: OneToOne) -> None:
    if row.status != "planned":
        raise NotValid(
            {
                "one_to_one": "This one-to-one is closed and its record is kept as it was. Add an amendment instead."
            }
        )


def _audit(s: Session, actor: Actor, action: str, record_type: str, record_id: object, team_id: int) -> None:
    audit.record(
        s,
        action,
        actor_id=actor.person_id,
        actor_label=actor.username,
        record_type=record_type,
        record_id=record_id,
        team_id=team_id,
    )


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(s.exec(select(col(Person.id), col(Person.display_name)).where(col(Person.id).in_(ids))).all())


def _practitioner_team(s: Session, supervisor: Actor, practitioner_id: int) -> int:
    teams = supervised_team_ids(supervisor)
    found = (
        s.exec(
            select(Membership.team_id).where(
                Membership.person_id == practitioner_id,
                col(Membership.team_id).in_(teams),
                Membership.role == "practitioner",
                col(Membership.left_on).is_(None),
            )
        ).first()
        if teams
        else None
    )
    if found is None:
        raise NotAllowed("You plan one-to-ones with the practitioners of the team you supervise.")
    return int(found)


# ---------------------------------------------------------------- planning and lists


def practitioners(actor: Actor) -> tuple[tuple[int, str], ...]:
    """(id, name) of the practitioners a supervisor holds one-to-ones with."""
    teams = supervised_team_ids(actor)
    if not teams:
        raise NotAllowed("Only a supervisor plans one-to-ones.")
    with session_scope() as s:
        return tuple(
            s.exec(
                select(col(Person.id), col(Person.display_name))
                .join(Membership, col(Membership.person_id) == col(Person.id))
                .where(
                    col(Membership.team_id).in_(teams),
                    col(Membership.role) == "practitioner",
                    col(Membership.left_on).is_(None),
                    col(Person.is_active),
                )
                .order_by(col(Person.display_name))
                .distinct()
            ).all()
        )


def plan(
    actor: Actor,
    practitioner_id: int,
    *,
    day: date | str | None,
    start: time | None,
    duration_minutes: object = 60,
    recurs_every_weeks: object = 4,
) -> int:
    """A supervisor plans a one-to-one with a practitioner of their team."""
    if actor.role != "supervisor":
        raise NotAllowed("Only a supervisor plans one-to-ones.")
    c = Checks()
    day = c.day("day", day, "The date", past_days=1, future_days=366)
    if start is None:
        c.add("start", "Please choose a start time.")
    minutes = c.whole_number("duration_minutes", duration_minutes, "How long (minutes)", low=15, high=180)
    every = c.whole_number(
        "recurs_every_weeks", recurs_every_weeks, "Again every (weeks)", low=1, high=12, required=False
    )
    with session_scope(write=True) as s:
        team_id = _practitioner_team(s, actor, practitioner_id)
        c.raise_if_any()
        row = OneToOne(
            team_id=team_id,
            practitioner_id=practitioner_id,
            supervisor_id=actor.person_id,
            scheduled_for=from_local(day, start),  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            duration_minutes=minutes,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            recurs_every_weeks=every,
            created_by_id=actor.person_id,
        )
        s.add(row)
        s.flush()
        _audit(s, actor, "create", "one_to_one", row.id, team_id)
        return int(row.id)


def mine(actor: Actor, *, limit: int = 24) -> tuple[Line, ...]:
    """The one-to-ones this person is in: planned first (soonest first), then the latest held."""
    if actor.role not in ("practitioner", "supervisor"):
        raise NotAllowed("One-to-one supervision is for practitioners and their supervisors.")
    with session_scope() as s:
        who = OneToOne.practitioner_id if actor.role == "practitioner" else OneToOne.supervisor_id
        planned = s.exec(
            select(OneToOne)
            .where(who == actor.person_id, OneToOne.status == "planned")
            .order_by(col(OneToOne.scheduled_for))
            .limit(limit)
        ).all()
        held = s.exec(
            select(OneToOne)
            .where(who == actor.person_id, OneToOne.status != "planned")
            .order_by(col(OneToOne.scheduled_for).desc())
            .limit(limit)
        ).all()
        rows = [*planned, *held]
        names = _names(s, {r.practitioner_id for r in rows} | {r.supervisor_id for r in rows})
        return tuple(
            Line(
                r.id,
                r.practitioner_id,
                names.get(r.practitioner_id, ""),
                r.supervisor_id,
                names.get(r.supervisor_id, ""),
                r.scheduled_for,
                r.status,
                r.recurs_every_weeks,
            )
            for r in rows
        )


def dates_for_team(actor: Actor, team_id: int, *, since: date | None = None) -> tuple[DateLine, ...]:
    """That one-to-ones happened and when, for the team's managers and its supervisor."""
    allowed = supervised_team_ids(actor)
    if actor.role == "manager":
        allowed = tuple(m.team_id for m in actor.memberships if m.role == "manager")
    if team_id not in allowed:
        raise NotAllowed("Only the team's managers and supervisor see when its one-to-ones happen.")
    since = since or local_today() - timedelta(days=183)
    with session_scope() as s:
        rows = s.exec(
            select(Person.display_name, OneToOne.scheduled_for, OneToOne.status, OneToOne.closed_at)
            .join(Person, col(Person.id) == col(OneToOne.practitioner_id))
            .where(OneToOne.team_id == team_id, OneToOne.scheduled_for >= from_local(since, time(0)))
            .order_by(col(OneToOne.scheduled_for).desc())
        ).all()
        return tuple(DateLine(*r) for r in rows)


# ---------------------------------------------------------------- the record


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
    items = s.exec(
        select(OneToOneItem, Case.reference)
        .join(Case, col(Case.id) == col(OneToOneItem.case_id))
        .where(OneToOneItem.one_to_one_id == row.id, restriction.case_in_use(Case.id))
        .order_by(col(OneToOneItem.id))
    ).all()
    checks = s.exec(
        select(RelationshipCheckIn, Case.reference)
        .join(OneToOneCheckIn, col(OneToOneCheckIn.check_in_id) == col(RelationshipCheckIn.id))
        .join(Case, col(Case.id) == col(RelationshipCheckIn.case_id))
        .where(OneToOneCheckIn.one_to_one_id == row.id, restriction.case_in_use(Case.id))
        .order_by(col(RelationshipCheckIn.created_at))
    ).all()
    actions = list(
        s.exec(
            select(OneToOneAction).where(OneToOneAction.one_to_one_id == row.id).order_by(col(OneToOneAction.id))
        )
    )
    reviewed_here = list(
        s.exec(
            select(OneToOneAction).where(OneToOneAction.reviewed_in_id == row.id).order_by(col(OneToOneAction.id))
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
        tuple(
            ItemView(i.id, i.case_id, ref, i.ask, i.discussion_notes, i.case_file_summary, i.version)
            for i, ref in items
        ),
        tuple(
            CheckInLine(
                ref,
                c.created_at,
                {k: getattr(c, k) for k in sessions.CHECK_IN_ITEMS},
                c.working_well,
                c.gets_in_the_way,
            )
            for c, ref in checks
        ),
        _action_views(s, to_review),
        _action_views(s, actions),
        tuple(Amendment(name, a.created_at, a.text) for a, name in amendments),
        row.version,
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


# ---------------------------------------------------------------- the private part


def private(actor: Actor, one_to_one_id: int) -> PrivateView:
    """Arrival, wellbeing and development, and the closing: for the two people only."""
    with session_scope() as s:
        row = _load(s, actor, one_to_one_id)
        p = s.exec(select(OneToOnePrivate).where(OneToOnePrivate.one_to_one_id == one_to_one_id)).first()
    audit.record_view(actor, "one_to_one_private", one_to_one_id, team_id=row.team_id)
    if p is None:
        return PrivateView(None, "", "", "", "", "", 0)
    return PrivateView(
        p.arrival_score, p.arrival_word, p.learning, p.been_hard, p.support_needed, p.helpful_today, p.version
    )


def save_private(actor: Actor, one_to_one_id: int, changes: dict[str, object], *, version: int) -> int:
    """Save some of the private part (only the fields given). Returns the new version."""
    c = Checks()
    clean: dict[str, object] = {}
    if "arrival_score" in changes or "arrival_word" in changes:
        # An arrival is a number, with a word if you like: never a word alone.
        clean["arrival_score"] = c.scale("arrival_score", changes.get("arrival_score"), "How you're arriving")  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    if "arrival_word" in changes:
        clean["arrival_word"] = c.text(
            "arrival_word",
            str(changes["arrival_word"] or ""),
            "A word for it",
            required=False,
            max_len=40,
            single_line=True,
        )
    for k, label in PRIVATE_FIELDS.items():
        if k in changes:
            clean[k] = c.text(k, str(changes[k] or ""), label, required=False, max_len=TEXT_LIMIT)
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        _require_open(row)
        p = s.exec(select(OneToOnePrivate).where(OneToOnePrivate.one_to_one_id == one_to_one_id)).first()
        saved = p.version if p else 0
        if saved != version:
            names = _names(s, {p.updated_by_id} if p and p.updated_by_id else set())
            who = names.get(p.updated_by_id, "The other person") if p and p.updated_by_id else "Someone"
            raise EditConflict(
                f"{who} saved this part after you opened it. What is saved now is below; "
                "what you typed is still in the form.",
                {PRIVATE_FIELDS.get(k, k): getattr(p, k) for k in (*PRIVATE_FIELDS, "arrival_word")}
                if p
                else {},
            )
        if p is None:
            p = OneToOnePrivate(one_to_one_id=one_to_one_id, practitioner_id=row.practitioner_id, version=0)
        for k, v in clean.items():
            setattr(p, k, v)
        p.version += 1
        p.updated_by_id = actor.person_id
        p.updated_at = utcnow()
        s.add(p)
        s.flush()
        _audit(s, actor, "update", "one_to_one_private", one_to_one_id, row.team_id)
        return p.version


# ---------------------------------------------------------------- cases, check-ins, discussion


def _case_for(s: Session, row: OneToOne, case_id: int) -> Case:
    case = s.get(Case, case_id)
    if case is None or case.team_id != row.team_id:
        raise NotAllowed("That case isn't one of your team's.")
    restriction.require_case_in_use(s, case_id)
    return case


def bring(actor: Actor, one_to_one_id: int, *, case_id: int, ask: str = "") -> int:
    c = Checks()
    ask = c.text("ask", ask, "What you'd like to think about", required=False, max_len=1500)
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        _require_open(row)
        _case_for(s, row, case_id)
        c.raise_if_any()
        item = OneToOneItem(
            one_to_one_id=one_to_one_id, case_id=case_id, brought_by_id=actor.person_id, ask=ask
        )
        s.add(item)
        s.flush()
        _audit(s, actor, "create", "one_to_one_item", item.id, row.team_id)
        return int(item.id)


def save_discussion(actor: Actor, item_id: int, *, notes: str, summary: str, version: int) -> None:
    c = Checks()
    notes = c.text("discussion_notes", notes, "Notes", required=False, max_len=6000)
    summary = c.text("case_file_summary", summary, "Summary for the case file", required=False, max_len=2000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        item = s.get(OneToOneItem, item_id)
        if item is None:
            raise NotAllowed("A one-to-one is open only to the two people in it.")
        row = _load(s, actor, item.one_to_one_id)
        _require_open(row)
        restriction.require_case_in_use(s, item.case_id)
        if item.version != version:
            raise EditConflict(
                "The other person saved these notes after you opened them. What is saved now is below; "
                "your words are still in the form.",
                {"Notes": item.discussion_notes, "Summary for the case file": item.case_file_summary},
            )
        item.discussion_notes, item.case_file_summary = notes, summary
        item.version += 1
        s.add(item)
        _audit(s, actor, "update", "one_to_one_item", item.id, row.team_id)


def record_check_in(
    actor: Actor,
    one_to_one_id: int,
    case_id: int,
    *,
    scores: Mapping[str, int | None],
    working_well: str = "",
    gets_in_the_way: str = "",
    what_they_would_say: str = "",
    what_i_changed: str = "",
) -> int:
    """A relationship check-in made in a one-to-one: an ordinary check-in (the same four items,
    the same trends), for the practitioner, linked to this one-to-one."""
    with session_scope() as s:
        row = _load(s, actor, one_to_one_id)
        _require_open(row)
        _case_for(s, row, case_id)
    check_in_id = sessions.record_check_in(
        actor,
        None,
        case_id,
        practitioner_id=row.practitioner_id,
        scores=scores,
        working_well=working_well,
        gets_in_the_way=gets_in_the_way,
        what_they_would_say=what_they_would_say,
        what_i_changed=what_i_changed,
    )
    with session_scope(write=True) as s:
        s.add(OneToOneCheckIn(one_to_one_id=one_to_one_id, check_in_id=check_in_id))
    return check_in_id


# ---------------------------------------------------------------- actions


def add_action(
    actor: Actor, one_to_one_id: int, *, description: str, owner_id: int, due_on: date | str | None
) -> int:
    c = Checks()
    description = c.text("description", description, "What will happen", max_len=1000)
    due = c.day("due_on", due_on, "By when", past_days=0, future_days=366)
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        _require_open(row)
        if owner_id not in (row.practitioner_id, row.supervisor_id):
            c.add("owner_id", "Please choose one of the two of you.")
        c.raise_if_any()
        action = OneToOneAction(
            one_to_one_id=one_to_one_id, description=description, owner_id=owner_id, due_on=due  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
        )
        s.add(action)
        s.flush()
        _audit(s, actor, "create", "one_to_one_action", action.id, row.team_id)
        return int(action.id)


def review_action(
    actor: Actor, one_to_one_id: int, action_id: int, *, outcome: str, reason: str = "", version: int
) -> None:
    """Look back on an action from an earlier one-to-one: done, carried over (it joins this
    one's actions, due in two weeks) or let go with a reason."""
    c = Checks()
    c.choice("outcome", outcome, "How it went", REVIEW_CHOICES)
    reason = c.text("reason", reason, "Why let it go", required=outcome == "dropped", max_len=500)
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        _require_open(row)
        action = s.get(OneToOneAction, action_id)
        if action is None or action.id not in {a.id for a in _earlier_open(s, row)}:
            if action is not None and action.reviewed_in_id == row.id:
                raise EditConflict(
                    "This action has already been looked back on today.", {"Status": action.status}
                )
            raise NotAllowed("That action isn't one of this one-to-one's to look back on.")
        if action.version != version:
            raise EditConflict(
                "The other person changed this action after you opened it.", {"Status": action.status}
            )
        action.status, action.status_reason = outcome, reason
        action.reviewed_in_id = row.id
        action.version += 1
        s.add(action)
        if outcome == "carried_over":
            s.add(
                OneToOneAction(
                    one_to_one_id=row.id,
                    description=action.description,
                    owner_id=action.owner_id,
                    due_on=local(row.scheduled_for).date() + timedelta(weeks=2),
                )
            )
        _audit(s, actor, "update", "one_to_one_action", action.id, row.team_id)


# ---------------------------------------------------------------- close and after


def close(actor: Actor, one_to_one_id: int, *, version: int) -> int | None:
    """The supervisor closes it; a recurring one plans the next. Returns the next one's id."""
    with session_scope(write=True) as s:
        row = _load(s, actor, one_to_one_id)
        if actor.person_id != row.supervisor_id:
            raise NotAllowed("The supervisor closes the one-to-one.")
        _require_open(row)
        if row.version != version:
            raise EditConflict("This one-to-one changed after you opened it; have a look before closing.", {})
        row.status = "closed"
        row.closed_at = utcnow()
        row.version += 1
        s.add(row)
        _audit(s, actor, "close", "one_to_one", row.id, row.team_id)
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
    for change in v.amendments:
        rows.append(("Amendment", f"{change.author}, {local(change.created_at):%d/%m/%Y %H:%M}", change.text))
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


# ---------------------------------------------------------------- for the case page


def case_discussions_for(actor: Actor, case_id: int) -> tuple[CaseDiscussion, ...]:
    """A case's discussions in closed one-to-ones, for the case page and the case file: the
    case reference, the ask, the summary for the case file, the date and who brought it.
    Open to the case's team's practitioners and supervisors, as the group's case-file entries
    are (managers read trends, not one conversation); notes and everything private stay in
    the one-to-one."""
    if actor.role not in ("practitioner", "supervisor"):
        raise NotAllowed("This family's records are open to their team.")
    with session_scope() as s:
        case = s.get(Case, case_id)
        if case is None or case.team_id not in actor.team_ids:
            raise NotAllowed("This family's records are open to their team.")
        restriction.require_case_in_use(s, case_id)
        rows = s.exec(
            select(OneToOneItem, OneToOne.closed_at, Person.display_name)
            .join(OneToOne, col(OneToOne.id) == col(OneToOneItem.one_to_one_id))
            .join(Person, col(Person.id) == col(OneToOneItem.brought_by_id))
            .where(
                OneToOneItem.case_id == case_id,
                OneToOne.status == "closed",
                OneToOneItem.case_file_summary != "",
            )
            .order_by(col(OneToOne.closed_at).desc())
        ).all()
        return tuple(
            CaseDiscussion(
                case.reference, i.ask, i.case_file_summary, local(closed).date(), who, i.one_to_one_id  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            )
            for i, closed, who in rows
        )
