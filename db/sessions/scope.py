"""Who reaches a session, and the small checks and notes every change shares."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from db import audit, names
from db.access import Actor, supervised_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import SupervisionSession
from db.sessions.read_models import SESSION_ROLES, STEP_LABELS, RoomState


def _require_session_role(actor: Actor) -> None:
    if actor.role not in SESSION_ROLES:
        raise NotAllowed("Group supervision records are open to the team's practitioners and supervisors.")


def _team_scope(actor: Actor) -> tuple[int, ...]:
    return actor.team_ids if actor.role in SESSION_ROLES else ()


def _load(s: Session, actor: Actor, session_id: int) -> SupervisionSession:
    _require_session_role(actor)
    found = s.get(SupervisionSession, session_id)
    if found is None or found.team_id not in _team_scope(actor):
        raise NotAllowed("That session isn't one of your team's.")
    return found


def _require_facilitator(actor: Actor, team_id: int) -> None:
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Only the team's supervisor can do that.")


def _require_open(session: SupervisionSession) -> None:
    if session.status == "cancelled":
        raise NotValid({"session": "This session was cancelled, so nothing more can happen in it."})
    if session.status == "closed":
        raise NotValid(
            {"session": "This session is closed and its record is kept as it was. Add an amendment instead."}
        )


_is_member = names.is_member


_audit = audit.by  # what the person did, in the same transaction


def _touch(s: Session, session_id: int) -> None:
    """Tell live screens the room changed (one counter on the session row; an UPDATE, not
    read-modify-write, so two entries at the same moment both count)."""
    s.exec(
        update(SupervisionSession)
        .where(col(SupervisionSession.id) == session_id)
        .values(activity=SupervisionSession.activity + 1)
        .execution_options(synchronize_session=False)
    )


def room_state(actor: Actor, session_id: int) -> RoomState:
    """Where the session is and how much has happened in it: one primary-key read, for the
    live parts to decide whether to read the rest."""
    with session_scope() as s:
        found = _load(s, actor, session_id)
        return RoomState(
            found.status, found.version, found.activity, found.current_step, found.current_item_id
        )


def room_for(actor: Actor, *, now: datetime | None = None) -> int | None:
    """The session a person's room opens on when none is chosen: their team's running
    session, or else the next planned one (the latest planned, if all are in the past)."""
    teams = _team_scope(actor)
    if not teams:
        return None
    now = now or utcnow()
    with session_scope() as s:
        running = s.exec(
            select(SupervisionSession.id)
            .where(col(SupervisionSession.team_id).in_(teams), SupervisionSession.status == "running")
            .order_by(col(SupervisionSession.scheduled_for).desc())
        ).first()
        if running is not None:
            return int(running)
        planned = select(SupervisionSession.id).where(
            col(SupervisionSession.team_id).in_(teams), SupervisionSession.status == "planned"
        )
        upcoming = s.exec(
            planned.where(SupervisionSession.scheduled_for >= now - timedelta(hours=12)).order_by(
                col(SupervisionSession.scheduled_for).asc()
            )
        ).first()
        if upcoming is None:
            upcoming = s.exec(planned.order_by(col(SupervisionSession.scheduled_for).desc())).first()
        return int(upcoming) if upcoming is not None else None


def _where_now(session: SupervisionSession) -> dict[str, object]:
    """What a refused move shows: the step the shared screen is on now, and its extra time."""
    return {
        "Step": STEP_LABELS.get(session.current_step, session.current_step),
        "Extra minutes": session.step_extra_minutes,
        "Status": session.status,
    }
