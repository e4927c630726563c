"""Changing the risk log: naming a worry, revising it, reviewing it, a manager's agreement.

Nothing is updated in place: each change is a new revision or a review beside the thread."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db import audit, notifications
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import (
    REVIEW_NEXT,
    REVIEW_OUTCOMES,
    RiskEntry,
    RiskReview,
    SupervisionSession,
)
from db.risk_log.common import (
    _add_revision,
    _check_draft,
    _copy,
    _holder_ids,
    _integrity_to_conflict,
    _is_manager_of,
    _require_team,
    _today,
    _writable_thread,
)
from db.risk_log.labels import REVIEW_WITHIN_DAYS, RiskDraft
from db.risk_threads import is_closed, next_review
from db.validation import Checks, shown


# --- Commands ------------------------------------------------------------------------------
def create_entry(actor: Actor, team_id: int, draft: RiskDraft, *, today: date | None = None) -> str:
    """Name a new worry for the team. Returns the new thread's id."""
    _require_team(actor, team_id)
    today = _today(today)
    with session_scope(write=True) as s:
        values = _check_draft(s, team_id, draft, today=today)
        holders = values.pop("holder_ids")
        thread_id = str(uuid.uuid4())
        entry = _add_revision(
            s,
            RiskEntry(
                thread_id=thread_id,
                revision=1,
                team_id=team_id,
                created_by_id=actor.person_id,
                status="open",
                **values,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            ),
            holders,  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
        notifications.worry_holders_named(
            s,
            actor,
            team_id=team_id,
            thread_id=thread_id,
            holder_ids=set(holders),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
        audit.by(s, actor, "risk.create", "risk_entry", entry.id, team_id)
        return thread_id


def revise(actor: Actor, thread_id: str, draft: RiskDraft, *, stamp: str, today: date | None = None) -> int:
    """Correct or update a worry: a new revision with who and when; earlier ones stay as they were.
    Returns the new revision number."""
    today = _today(today)
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            values, holders, same_decision = _check_revision(s, entry, reviews, draft, today=today)
            new = _add_revision(
                s,
                _copy(
                    entry,
                    revision=entry.revision + 1,
                    created_by_id=actor.person_id,
                    created_at=utcnow(),
                    # A manager agreed to a decision; a changed decision needs agreeing afresh.
                    manager_agreed_by_id=entry.manager_agreed_by_id if same_decision else None,
                    manager_agreed_at=entry.manager_agreed_at if same_decision else None,
                    **values,
                ),
                holders,
            )
            notifications.worry_holders_named(
                s,
                actor,
                team_id=entry.team_id,
                thread_id=thread_id,
                holder_ids=set(holders),
                already=set(_holder_ids(s, entry.id)),
            )
            audit.by(s, actor, "risk.revise", "risk_entry", new.id, entry.team_id)
            return new.revision
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc


def _check_revision(
    s: Session, entry: RiskEntry, reviews: list[RiskReview], draft: RiskDraft, *, today: date
) -> tuple[dict[str, object], tuple[int, ...], bool]:
    """The revision's cleaned fields, its holders, and whether the decision stayed the same;
    refused when nothing changed."""
    first = s.exec(
        select(RiskEntry.created_at).where(RiskEntry.thread_id == entry.thread_id, RiskEntry.revision == 1)
    ).one()
    current_review = next_review(entry, reviews[-1] if reviews else None)
    values = _check_draft(
        s,
        entry.team_id,
        draft,
        today=today,
        raised_on=first.date(),
        unchanged_review_on=current_review,
        kept=entry,
    )
    holders = values.pop("holder_ids")
    same_decision = (
        values["decision"] == entry.decision
        and values["decision_reasons"] == entry.decision_reasons
        and values["needs_manager"] == entry.needs_manager
    )
    before = {k: getattr(entry, k) for k in values} | {"review_on": current_review}
    if values == before and set(holders) == set(_holder_ids(s, entry.id)):  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        raise NotValid({"thread": "Nothing has changed yet, so there's nothing new to save."})
    return values, holders, same_decision  # type: ignore[return-value]  # holder_ids is the tuple of ids put in where values is built; the mixed dict types it object


def review(
    actor: Actor,
    thread_id: str,
    *,
    what_happened: str | None,
    what_we_learned: str,
    next_step: str | None,
    next_review_on: date | None,
    new_plan: str = "",
    session_id: int | None = None,
    stamp: str,
    today: date | None = None,
) -> None:
    """Look back at a worry: what happened, what we learned, and keep holding, change the plan
    (a new revision) or close it (a closing revision)."""
    today = _today(today)
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            if is_closed(entry, reviews[-1] if reviews else None):
                raise NotValid({"thread": "This worry is already closed, so there's nothing to review."})
            learned, plan, next_review_on = _check_review(
                s,
                entry,
                what_happened=what_happened,
                what_we_learned=what_we_learned,
                next_step=next_step,
                next_review_on=next_review_on,
                new_plan=new_plan,
                session_id=session_id,
                today=today,
            )
            _record_review(
                s,
                actor,
                entry,
                what_happened=what_happened,
                learned=learned,
                next_step=next_step,
                next_review_on=next_review_on,
                plan=plan,
                session_id=session_id,
            )
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc


def _check_review(
    s: Session,
    entry: RiskEntry,
    *,
    what_happened: str | None,
    what_we_learned: str,
    next_step: str | None,
    next_review_on: date | None,
    new_plan: str,
    session_id: int | None,
    today: date,
) -> tuple[str, str, date | None]:
    """What we learned, the new plan and when to look again, cleaned; or NotValid."""
    c = Checks()
    c.choice("what_happened", what_happened, "What happened", REVIEW_OUTCOMES)
    learned = c.text("what_we_learned", what_we_learned, "What we learned", max_len=2000)
    c.choice("next_step", next_step, "What now", REVIEW_NEXT)
    plan = c.text("new_plan", new_plan, "The new plan", required=False, max_len=2000)
    next_review_on = c.readable_day("next_review_on", next_review_on, "When to look again")
    if next_step in ("keep_holding", "change_plan"):
        if next_review_on is None:
            c.add("next_review_on", "Please choose when the team will look at this again.")
        elif next_review_on <= today or next_review_on > today + timedelta(days=REVIEW_WITHIN_DAYS):
            c.add(
                "next_review_on",
                f"The next review can be from {shown(today + timedelta(days=1))} to "
                f"{shown(today + timedelta(days=REVIEW_WITHIN_DAYS))}; "
                f"{shown(next_review_on)} is outside that.",
            )
    if next_step == "change_plan" and not plan:
        c.add("new_plan", "Please say what the new plan is, so everyone holding it knows.")
    if session_id is not None:
        found = s.exec(
            select(SupervisionSession.id).where(
                SupervisionSession.id == session_id, SupervisionSession.team_id == entry.team_id
            )
        ).first()
        if found is None:
            c.add("session_id", "That session isn't one of this team's; please choose again.")
    c.raise_if_any()
    return learned, plan, next_review_on


def _record_review(
    s: Session,
    actor: Actor,
    entry: RiskEntry,
    *,
    what_happened: str | None,
    learned: str,
    next_step: str | None,
    next_review_on: date | None,
    plan: str,
    session_id: int | None,
) -> None:
    """The review beside the thread, a new revision when the plan changed or it closed, and the audit."""
    thread_id = entry.thread_id
    now = utcnow()
    keeps_date = next_step != "close"
    s.add(
        RiskReview(
            thread_id=thread_id,
            session_id=session_id,
            reviewed_by_id=actor.person_id,
            reviewed_at=now,
            what_happened=what_happened,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            what_we_learned=learned,
            next_step=next_step,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            next_review_on=next_review_on if keeps_date else None,
        )
    )
    if next_step in ("change_plan", "close"):
        changes: dict[str, object] = (
            {"keeping_safe": plan, "review_on": next_review_on}
            if next_step == "change_plan"
            else {"status": "closed"}
        )
        _add_revision(
            s,
            _copy(
                entry,
                revision=entry.revision + 1,
                created_by_id=actor.person_id,
                created_at=now,
                session_id=session_id if session_id is not None else entry.session_id,
                **changes,
            ),
            _holder_ids(s, entry.id),
        )
    audit.by(s, actor, f"risk.review.{next_step}"[:30], "risk_thread", thread_id, entry.team_id)


def agree_as_manager(actor: Actor, thread_id: str, *, stamp: str) -> None:
    """The accountable manager agrees the decision: recorded as a new revision, by them, now."""
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            if not _is_manager_of(actor, entry.team_id):
                raise NotAllowed("Only a manager who oversees this team can agree a decision for it.")
            if is_closed(entry, reviews[-1] if reviews else None):
                raise NotValid({"thread": "This worry is closed, so there's no decision left to agree."})
            if not entry.needs_manager:
                raise NotValid({"thread": "This decision doesn't need a manager's agreement."})
            if entry.manager_agreed_by_id is not None:
                raise NotValid({"thread": "A manager has already agreed this decision."})
            now = utcnow()
            new = _add_revision(
                s,
                _copy(
                    entry,
                    revision=entry.revision + 1,
                    created_by_id=actor.person_id,
                    created_at=now,
                    manager_agreed_by_id=actor.person_id,
                    manager_agreed_at=now,
                ),
                _holder_ids(s, entry.id),
            )
            audit.by(s, actor, "risk.manager_agreed", "risk_entry", new.id, entry.team_id)
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc
