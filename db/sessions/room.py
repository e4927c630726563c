"""Running a session: the facilitator moves the shared screen on; notes on each item."""

from __future__ import annotations

from sqlmodel import Session

from db import versioning
from db.access import Actor, supervised_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import AgendaItem, SupervisionSession
from db.sessions.planning import view
from db.sessions.read_models import Stage
from db.sessions.scope import _load, _require_facilitator, _require_open, _touch, _where_now
from db.validation import Checks


def _for_facilitator(
    s: Session, actor: Actor, session_id: int, version: int, who_moved: str
) -> SupervisionSession:
    """The open session, locked for this change, if the actor facilitates it and nobody has
    moved it on since they saw `version`."""
    session = _load(s, actor, session_id)
    s.refresh(session, with_for_update=True)  # PostgreSQL: one version check at a time
    _require_facilitator(actor, session.team_id)
    _require_open(session)
    versioning.check(session, version, f"{who_moved}; here is where it is now.", _where_now(session))
    return session


def _move(
    actor: Actor, session_id: int, version: int, target: Stage | None, *, status: str | None = None
) -> None:
    with session_scope(write=True) as s:
        session = _for_facilitator(
            s, actor, session_id, version, "Someone else moved the session on a moment ago"
        )
        if target is not None:
            session.current_step, session.current_item_id = target.step, target.item_id
            session.step_started_at = utcnow()
            session.step_extra_minutes = 0
        if status:
            session.status = status
        versioning.saved(
            s, actor, session, "change", "supervision_session", session_id, team_id=session.team_id
        )


def start(actor: Actor, session_id: int, version: int) -> None:
    _move(actor, session_id, version, Stage("arrival", None), status="running")


def go_to(actor: Actor, session_id: int, version: int, position: int) -> None:
    """Move the shared screen to a step (by its position in the session's stages)."""
    stages = view(actor, session_id).stages
    if not 0 <= position < len(stages):
        raise NotValid({"step": "That step isn't part of this session."})
    _move(actor, session_id, version, stages[position])


def extend(actor: Actor, session_id: int, version: int, minutes: int = 5) -> None:
    """Give the current step or item more time."""
    if not 1 <= minutes <= 30:
        raise NotValid({"minutes": "Extend by between 1 and 30 minutes."})
    with session_scope(write=True) as s:
        session = _for_facilitator(
            s, actor, session_id, version, "Someone else changed the session's timing a moment ago"
        )
        session.step_extra_minutes += minutes
        session.version += 1


def save_notes(
    actor: Actor,
    item_id: int,
    *,
    discussion_notes: str,
    case_file_summary: str,
    summary_ready: bool,
    version: int,
) -> None:
    """The team's notes for an item, and the short summary for the case file (kept apart)."""
    c = Checks()
    discussion_notes = c.text("discussion_notes", discussion_notes, "Notes", required=False, max_len=6000)
    case_file_summary = c.text(
        "case_file_summary", case_file_summary, "Summary for the case file", required=False, max_len=2000
    )
    if summary_ready and not case_file_summary:
        c.add("case_file_summary", "Please write the summary before marking it ready.")
    c.raise_if_any()
    with session_scope(write=True) as s:
        item = s.get(AgendaItem, item_id, with_for_update=True)
        if item is None:
            raise NotValid({"item": "That agenda item is no longer there."})
        session = _load(s, actor, item.session_id)
        is_facilitator = session.team_id in supervised_team_ids(actor)
        if item.brought_by_id != actor.person_id and not is_facilitator:
            raise NotAllowed("Notes are written by whoever brought the item, or the facilitator.")
        # A closed record is closed: notes, the case-file summary and its "ready" mark alike.
        _require_open(session)
        versioning.check(
            item,
            version,
            "Someone saved these notes while you were writing. Your text is still in the form; "
            "here is what they saved, so you can bring the two together.",
            {"Notes": item.discussion_notes, "Summary for the case file": item.case_file_summary},
        )
        item.discussion_notes = discussion_notes
        item.case_file_summary = case_file_summary
        item.summary_ready = summary_ready
        _touch(s, item.session_id)
        versioning.saved(s, actor, item, "change", "agenda_item", item_id, team_id=session.team_id)
