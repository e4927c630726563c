"""A session's actions: adding them, and looking back on earlier ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from db import restriction, versioning
from db.access import Actor
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import WORK_KINDS, Action, Case, SupervisionSession
from db.sessions.planning import _action_lines, _earlier_open_actions
from db.sessions.read_models import ActionLine
from db.sessions.scope import _audit, _is_member, _load, _require_open, _touch
from db.validation import Checks


def actions_to_review(actor: Actor, session_id: int) -> tuple[ActionLine, ...]:
    with session_scope() as s:
        return _earlier_open_actions(s, _load(s, actor, session_id))


def session_actions(actor: Actor, session_id: int) -> tuple[ActionLine, ...]:
    with session_scope() as s:
        _load(s, actor, session_id)
        return _action_lines(s, Action.session_id == session_id)


def add_action(
    actor: Actor,
    session_id: int,
    *,
    description: str,
    owner_id: int | None,
    due_on: date | None,
    case_id: int | None = None,
    kind: str = "task",
    today: date | None = None,
) -> int:
    today = today or local_today()
    c = Checks()
    description = c.text("description", description, "What will happen", max_len=500)
    c.day("due_on", due_on, "By when", past_days=0, future_days=366, today=today)
    c.choice("kind", kind, "Kind of work", WORK_KINDS)
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_open(session)
        if owner_id is None or not _is_member(s, session.team_id, owner_id):
            c.add("owner_id", "Please choose who will do it, from the team.")
        if case_id is not None:
            case = s.get(Case, case_id)
            if case is None or case.team_id != session.team_id:
                c.add("case_id", "Please choose one of your team's cases.")
            else:
                restriction.require_case_in_use(s, case_id)
        c.raise_if_any()
        action = Action(
            team_id=session.team_id,
            session_id=session_id,
            case_id=case_id,
            description=description,
            owner_id=owner_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            due_on=due_on,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            kind=kind,
        )
        s.add(action)
        s.flush()
        _touch(s, session_id)
        _audit(s, actor, "create", "action", action.id, session.team_id)
        return int(action.id)


@dataclass(frozen=True)
class ReviewDecision:
    """What the team decided about one earlier action, from the compact review list."""

    action_id: int
    version: int
    outcome: str  # done, carried_over, dropped
    reason: str = ""
    new_due_on: date | None = None


def due_for_review(action: ActionLine, session_day: date) -> bool:
    """An action is asked about once its date has come by the session's day; one not yet due
    is carried without a question."""
    return action.due_on <= session_day


def _check_decision(c: Checks, d: ReviewDecision, today: date, prefix: str = "") -> str:
    c.choice(f"{prefix}outcome", d.outcome, "How it went", ("done", "carried_over", "dropped"))
    reason = c.text(
        f"{prefix}reason",
        d.reason,
        "Why",
        required=d.outcome in ("carried_over", "dropped"),
        max_len=500,
    )
    if d.outcome == "carried_over":
        c.day(f"{prefix}new_due_on", d.new_due_on, "The new date", past_days=0, future_days=366, today=today)
    return reason


def _apply_decision(
    s: Session, session: SupervisionSession, d: ReviewDecision, reason: str, today: date
) -> Action:
    action = s.get(Action, d.action_id, with_for_update=True)
    if action is None or action.team_id != session.team_id:
        raise NotAllowed("That action isn't one of your team's.")
    message = "Someone has already updated this action; here is how it stands now."
    theirs = {"What": action.description, "Status": action.status, "Reason": action.status_reason}
    if action.status != "open":  # already looked back on, whatever version the form had
        raise EditConflict(message, theirs)
    versioning.check(action, d.version, message, theirs)
    action.status = d.outcome
    action.status_reason = reason
    action.reviewed_session_id = session.id
    action.version += 1
    if d.outcome == "done":
        action.completed_on = today
    s.add(action)
    if d.outcome == "carried_over":
        s.add(
            Action(
                team_id=action.team_id,
                session_id=session.id,
                case_id=action.case_id,
                description=action.description,
                owner_id=action.owner_id,
                due_on=d.new_due_on,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                kind=action.kind,
                carried_from_id=action.id,
            )
        )
    return action


def review_action(
    actor: Actor,
    session_id: int,
    action_id: int,
    *,
    outcome: str,
    reason: str = "",
    new_due_on: date | None = None,
    version: int,
    today: date | None = None,
) -> None:
    """Last session's action: done, carried over (with a reason and a new date) or dropped
    (with a reason). Carrying over makes a new action in this session linked to the old."""
    review_actions(
        actor,
        session_id,
        [ReviewDecision(action_id, version, outcome, reason, new_due_on)],
        today=today,
        keyed=False,
    )


def review_actions(
    actor: Actor,
    session_id: int,
    decisions: list[ReviewDecision],
    *,
    today: date | None = None,
    keyed: bool = True,
) -> int:
    """Several earlier actions reviewed with one save, all or nothing. Problems are keyed
    "<action id>.<field>" (so the list can show each beside its action) unless `keyed` is off.
    Returns how many were reviewed."""
    today = today or local_today()
    c = Checks()
    reasons = {
        d.action_id: _check_decision(c, d, today, f"{d.action_id}." if keyed else "") for d in decisions
    }
    c.raise_if_any()
    if not decisions:
        return 0
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_open(session)
        for d in decisions:
            _apply_decision(s, session, d, reasons[d.action_id], today)
            _audit(s, actor, "change", "action", d.action_id, session.team_id)
        _touch(s, session_id)
    return len(decisions)
