"""During a one-to-one: the private part, the cases brought and discussed, and actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlmodel import Session, select

from db import audit, restriction, sessions, versioning
from db.access import Actor
from db.clock import local, utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import Case
from db.one_to_one.read_models import PRIVATE_FIELDS, REVIEW_CHOICES, TEXT_LIMIT, PrivateView
from db.one_to_one.record import _earlier_open
from db.one_to_one.scope import _audit, _load, _names, _require_open
from db.supervision_models import OneToOne, OneToOneAction, OneToOneCheckIn, OneToOneItem, OneToOnePrivate
from db.validation import Checks


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
        versioning.check(
            p,
            version,
            lambda: _private_saved_meanwhile(s, p),
            lambda: (
                {PRIVATE_FIELDS.get(k, k): getattr(p, k) for k in (*PRIVATE_FIELDS, "arrival_word")}
                if p
                else {}
            ),
        )
        if p is None:
            p = OneToOnePrivate(one_to_one_id=one_to_one_id, practitioner_id=row.practitioner_id, version=0)
        for k, v in clean.items():
            setattr(p, k, v)
        p.updated_by_id = actor.person_id
        p.updated_at = utcnow()
        versioning.saved(s, actor, p, "update", "one_to_one_private", one_to_one_id, team_id=row.team_id)
        s.flush()
        return p.version


def _private_saved_meanwhile(s: Session, p: OneToOnePrivate | None) -> str:
    names = _names(s, {p.updated_by_id} if p and p.updated_by_id else set())
    who = names.get(p.updated_by_id, "The other person") if p and p.updated_by_id else "Someone"
    return (
        f"{who} saved this part after you opened it. What is saved now is below; "
        "what you typed is still in the form."
    )


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
        versioning.check(
            item,
            version,
            "The other person saved these notes after you opened them. What is saved now is below; "
            "your words are still in the form.",
            {"Notes": item.discussion_notes, "Summary for the case file": item.case_file_summary},
        )
        item.discussion_notes, item.case_file_summary = notes, summary
        versioning.saved(s, actor, item, "update", "one_to_one_item", item.id, team_id=row.team_id)


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
            one_to_one_id=one_to_one_id,
            description=description,
            owner_id=owner_id,
            due_on=due,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
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
        versioning.check(
            action,
            version,
            "The other person changed this action after you opened it.",
            {"Status": action.status},
        )
        action.status, action.status_reason = outcome, reason
        action.reviewed_in_id = row.id
        versioning.saved(s, actor, action, "update", "one_to_one_action", action.id, team_id=row.team_id)
        if outcome == "carried_over":
            s.add(
                OneToOneAction(
                    one_to_one_id=row.id,
                    description=action.description,
                    owner_id=action.owner_id,
                    due_on=local(row.scheduled_for).date() + timedelta(weeks=2),
                )
            )
