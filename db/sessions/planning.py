"""Planning a session: who and which cases, the agenda, moving and cancelling."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, func, select

from db import names, notifications, restriction, versioning
from db.access import Actor, supervised_team_ids
from db.clock import from_local, local, local_midnight, utcnow
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import (
    WORK_KINDS,
    Action,
    AgendaItem,
    Case,
    Membership,
    Person,
    SessionAttendee,
    SupervisionSession,
    Team,
)
from db.risk_threads import open_risks
from db.sessions.read_models import (
    ATTENDANCE,
    SESSION_ROLES,
    ActionLine,
    Agenda,
    Attendee,
    Item,
    SessionLine,
    SessionView,
    Stage,
    TeamPerson,
)
from db.sessions.scope import (
    _audit,
    _is_member,
    _load,
    _require_facilitator,
    _require_open,
    _require_session_role,
    _team_scope,
    _touch,
    _where_now,
)
from db.validation import Checks


def team_people(actor: Actor, team_id: int) -> tuple[TeamPerson, ...]:
    """Current members of one of the actor's teams (for choosing attendees, owners, holders)."""
    _require_session_role(actor)
    if team_id not in _team_scope(actor):
        raise NotAllowed()
    with session_scope() as s:
        rows = names.team_members(s, team_id, SESSION_ROLES)
        return tuple(TeamPerson(pid, name) for pid, name in rows)


def team_cases(actor: Actor, team_id: int) -> tuple[tuple[int, str], ...]:
    """(id, reference) of a team's open cases, for bringing one to a session."""
    _require_session_role(actor)
    if team_id not in _team_scope(actor):
        raise NotAllowed()
    with session_scope() as s:
        return tuple(
            s.exec(
                select(Case.id, Case.reference)
                .where(Case.team_id == team_id, Case.status != "closed", restriction.case_in_use(Case.id))
                .order_by(Case.reference)
            ).all()
        )


def suggested_next(actor: Actor, team_id: int, *, now: datetime | None = None) -> datetime:
    """A week after the team's latest weekly session, or tomorrow at 10:00 if it has none."""
    _require_facilitator(actor, team_id)
    now = now or utcnow()
    with session_scope() as s:
        last = s.exec(
            select(func.max(SupervisionSession.scheduled_for)).where(SupervisionSession.team_id == team_id)
        ).one()
    if last is None:
        return from_local(local(now).date() + timedelta(days=1), time(10, 0))
    # A week on by the team's clock: 10:00 stays 10:00 across the change to or from summer time.
    wall = local(last)
    day = wall.date() + timedelta(weeks=1)
    while from_local(day, wall.time()) < now:
        day += timedelta(weeks=1)
    return from_local(day, wall.time())


def plan(
    actor: Actor,
    team_id: int,
    *,
    day: date | None,
    start: time | None,
    duration_minutes: int,
    recurs_weekly: bool = True,
    now: datetime | None = None,
) -> int:
    """Plan a session; everyone in the team is expected until they send apologies."""
    _require_facilitator(actor, team_id)
    now = now or utcnow()
    c = Checks()
    c.day("day", day, "The date", past_days=1, future_days=366, today=local(now).date())
    if start is None:
        c.add("start", "Please choose a start time.")
    duration_minutes = c.whole_number(  # type: ignore[assignment]  # Checks collects problems and refuses before any write: a required value is not None here
        "duration_minutes", duration_minutes, "How long (minutes)", low=30, high=180
    )
    with session_scope(write=True) as s:
        if day is not None and start is not None and "day" not in c.problems:
            clash = s.exec(
                select(SupervisionSession.id).where(
                    SupervisionSession.team_id == team_id,
                    SupervisionSession.status != "cancelled",
                    SupervisionSession.scheduled_for >= local_midnight(day),
                    SupervisionSession.scheduled_for < local_midnight(day + timedelta(days=1)),
                )
            ).first()
            if clash:
                c.add("day", "Your team already has a session that day; open it from the list instead.")
        c.raise_if_any()
        session = SupervisionSession(
            team_id=team_id,
            scheduled_for=from_local(day, start),  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            duration_minutes=duration_minutes,
            recurs_weekly=recurs_weekly,
            facilitator_id=actor.person_id,
            created_by_id=actor.person_id,
        )
        s.add(session)
        s.flush()
        members = s.exec(
            select(Membership.person_id)
            .join(Person, col(Person.id) == col(Membership.person_id))
            .where(
                Membership.team_id == team_id,
                col(Membership.left_on).is_(None),
                col(Membership.role).in_(SESSION_ROLES),
                Person.is_active,
            )
        ).all()
        for person_id in members:
            s.add(SessionAttendee(session_id=session.id, person_id=person_id))
        _audit(s, actor, "create", "supervision_session", session.id, team_id)
        notifications.session_changed(s, actor, session, "session_planned")
        return int(session.id)


_CHANGED = "Someone changed this session a moment ago; here it is now."


def move(actor: Actor, session_id: int, version: int, *, day: date | None, start: time | None) -> None:
    """Move a planned session to another day or time; everyone expected hears of it, with an
    updated calendar invitation (same UID, higher SEQUENCE)."""
    c = Checks()
    c.day("day", day, "The date", past_days=1, future_days=366, today=local_today())
    if start is None:
        c.add("start", "Please choose a start time.")
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        s.refresh(session, with_for_update=True)
        _require_facilitator(actor, session.team_id)
        if session.status != "planned":
            raise NotValid({"session": "Only a session that hasn't started yet can be moved."})
        versioning.check(session, version, _CHANGED, _where_now(session))
        if day is not None and start is not None and "day" not in c.problems:
            clash = s.exec(
                select(SupervisionSession.id).where(
                    SupervisionSession.team_id == session.team_id,
                    SupervisionSession.id != session_id,
                    SupervisionSession.status != "cancelled",
                    SupervisionSession.scheduled_for >= local_midnight(day),
                    SupervisionSession.scheduled_for < local_midnight(day + timedelta(days=1)),
                )
            ).first()
            if clash:
                c.add("day", "Your team already has a session that day; choose another day.")
        c.raise_if_any()
        session.scheduled_for = from_local(day, start)  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
        versioning.saved(
            s, actor, session, "move", "supervision_session", session_id, team_id=session.team_id
        )
        notifications.session_changed(s, actor, session, "session_moved")


def cancel(actor: Actor, session_id: int, version: int) -> None:
    """Cancel a planned session: it stays in the list as cancelled, and calendars drop it."""
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        s.refresh(session, with_for_update=True)
        _require_facilitator(actor, session.team_id)
        if session.status != "planned":
            raise NotValid({"session": "Only a session that hasn't started yet can be cancelled."})
        versioning.check(session, version, _CHANGED, _where_now(session))
        session.status = "cancelled"
        versioning.saved(
            s, actor, session, "cancel", "supervision_session", session_id, team_id=session.team_id
        )
        notifications.session_changed(s, actor, session, "session_cancelled")


def sessions_for(actor: Actor, *, limit: int = 12, offset: int = 0) -> tuple[SessionLine, ...]:
    """The actor's teams' sessions: upcoming first, then the most recent, a page at a time."""
    teams = _team_scope(actor)
    if not teams:
        return ()
    with session_scope() as s:
        rows = s.exec(
            select(SupervisionSession, Team.name)
            .join(Team, col(Team.id) == col(SupervisionSession.team_id))
            .where(col(SupervisionSession.team_id).in_(teams))
            .order_by(
                (col(SupervisionSession.status) == "closed").asc(),
                col(SupervisionSession.scheduled_for).desc(),
            )
            .offset(offset)
            .limit(limit)
        ).all()
        # Count what was brought for this page's sessions only, not for every session ever held.
        counts = dict(
            s.exec(
                select(AgendaItem.session_id, func.count())
                .where(col(AgendaItem.session_id).in_([x.id for x, _ in rows]))
                .group_by(col(AgendaItem.session_id))
            ).all()
        )
        return tuple(
            SessionLine(
                x.id, x.team_id, name, x.scheduled_for, x.duration_minutes, x.status, counts.get(x.id, 0)
            )
            for x, name in rows
        )


def _items(s: Session, session_id: int) -> tuple[Item, ...]:
    rows = s.exec(
        select(AgendaItem, Case.reference, Person.display_name)
        .outerjoin(Case, col(Case.id) == col(AgendaItem.case_id))
        .join(Person, col(Person.id) == col(AgendaItem.brought_by_id))
        .where(AgendaItem.session_id == session_id)
        # A restricted case's items leave the room, the agenda and the record alike.
        .where(restriction.case_in_use(AgendaItem.case_id))
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all()
    return tuple(
        Item(
            i.id,
            i.case_id,
            ref,
            i.brought_by_id,
            name,
            i.ask,
            i.kind,
            i.time_box_minutes,
            i.discussion_notes,
            i.case_file_summary,
            i.summary_ready,
            i.version,
        )
        for i, ref, name in rows
    )


def _stages(items: tuple[Item, ...]) -> tuple[Stage, ...]:
    return (
        Stage("arrival", None),
        *(Stage("check_ins", i.id) for i in items if i.case_id is not None),
        *(Stage("discussion", i.id) for i in items),
        Stage("actions", None),
        Stage("closing", None),
    )


def _view(s: Session, actor: Actor, session: SupervisionSession) -> SessionView:
    team = s.get(Team, session.team_id)
    facilitator = s.get(Person, session.facilitator_id) if session.facilitator_id else None
    attendees = s.exec(
        select(SessionAttendee, Person.display_name)
        .join(Person, col(Person.id) == col(SessionAttendee.person_id))
        .where(SessionAttendee.session_id == session.id)
        .order_by(Person.display_name)
    ).all()
    items = _items(s, session.id)
    stages = _stages(items)
    current = Stage(session.current_step, session.current_item_id)
    if current.key not in {st.key for st in stages}:
        current = stages[0]
    return SessionView(
        id=session.id,
        team_id=session.team_id,
        team_name=team.name if team else "",
        scheduled_for=session.scheduled_for,
        duration_minutes=session.duration_minutes,
        recurs_weekly=session.recurs_weekly,
        status=session.status,
        facilitator=facilitator.display_name if facilitator else None,
        current=current,
        stages=stages,
        step_started_at=session.step_started_at,
        step_extra_minutes=session.step_extra_minutes,
        version=session.version,
        attendees=tuple(Attendee(a.person_id, name, a.attendance) for a, name in attendees),
        items=items,
        i_facilitate=session.team_id in supervised_team_ids(actor),
    )


def view(actor: Actor, session_id: int) -> SessionView:
    with session_scope() as s:
        return _view(s, actor, _load(s, actor, session_id))


def _action_lines(s: Session, *conditions) -> tuple[ActionLine, ...]:
    rows = s.exec(
        select(Action, Person.display_name, Case.reference)
        .where(*conditions)
        .join(Person, col(Person.id) == col(Action.owner_id))
        .outerjoin(Case, col(Case.id) == col(Action.case_id))
        .order_by(col(Action.due_on), col(Action.id))
    ).all()
    return tuple(
        ActionLine(
            a.id,
            a.description,
            a.owner_id,
            owner,
            a.due_on,
            ref,
            a.kind,
            a.status,
            a.status_reason,
            a.session_id,
            a.carried_from_id,
            a.version,
        )
        for a, owner, ref in rows
    )


def _earlier_open_actions(s: Session, session: SupervisionSession) -> tuple[ActionLine, ...]:
    earlier = select(SupervisionSession.id).where(
        SupervisionSession.team_id == session.team_id,
        SupervisionSession.scheduled_for < session.scheduled_for,
    )
    return _action_lines(
        s,
        Action.team_id == session.team_id,
        Action.status == "open",
        col(Action.session_id).in_(earlier) | col(Action.session_id).is_(None),
    )


def agenda(actor: Actor, session_id: int) -> Agenda:
    """What the session will hold: items brought with their asks, open actions from earlier
    sessions, and risk-log reviews falling due by the session's date (pulled in on read, so
    always current)."""
    with session_scope() as s:
        session = _load(s, actor, session_id)
        due_by = session.scheduled_for.date() + timedelta(days=1)
        reviews = tuple(r for r in open_risks(s, team_ids=[session.team_id]) if r.next_review_on <= due_by)
        return Agenda(_items(s, session.id), _earlier_open_actions(s, session), reviews)


def bring(
    actor: Actor,
    session_id: int,
    *,
    case_id: int | None,
    ask: str,
    kind: str = "reflection",
    time_box_minutes: int = 10,
) -> int:
    """Bring a case (or a theme) to the session with an ask of the team."""
    c = Checks()
    ask = c.text("ask", ask, "Your ask of the team", max_len=600)
    c.choice("kind", kind, "Kind of conversation", WORK_KINDS)
    time_box_minutes = c.whole_number(  # type: ignore[assignment]  # Checks collects problems and refuses before any write: a required value is not None here
        "time_box_minutes", time_box_minutes, "About how many minutes", low=3, high=60
    )
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_open(session)
        if case_id is not None:
            case = s.get(Case, case_id)
            if case is None or case.team_id != session.team_id:
                c.add("case_id", "Please choose one of your team's cases.")
            else:
                restriction.require_case_in_use(s, case_id)
        c.raise_if_any()
        position = s.exec(
            select(func.coalesce(func.max(AgendaItem.position), 0)).where(AgendaItem.session_id == session_id)
        ).one()
        item = AgendaItem(
            session_id=session_id,
            case_id=case_id,
            brought_by_id=actor.person_id,
            ask=ask,
            kind=kind,
            time_box_minutes=time_box_minutes,
            position=position + 1,
        )
        s.add(item)
        s.flush()
        _touch(s, session_id)
        _audit(s, actor, "create", "agenda_item", item.id, session.team_id)
        return int(item.id)


def withdraw(actor: Actor, item_id: int) -> None:
    """Take an item off a session that hasn't started (by whoever brought it, or the facilitator)."""
    with session_scope(write=True) as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise NotValid({"item": "That item has already been taken off the agenda."})
        session = _load(s, actor, item.session_id)
        if item.brought_by_id != actor.person_id and session.team_id not in supervised_team_ids(actor):
            raise NotAllowed()
        if session.status != "planned":
            raise NotValid({"item": "The session has started, so the agenda stays as it is."})
        s.delete(item)
        _touch(s, session.id)
        _audit(s, actor, "delete", "agenda_item", item_id, session.team_id)


def set_attendance(actor: Actor, session_id: int, person_id: int, attendance: str) -> None:
    """Someone sends apologies, or is marked present (themselves, or by the facilitator)."""
    if attendance not in ATTENDANCE:
        raise NotValid({"attendance": "Please choose expected, present or apologies."})
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_open(session)
        if person_id != actor.person_id:
            _require_facilitator(actor, session.team_id)
        row = s.exec(
            select(SessionAttendee).where(
                SessionAttendee.session_id == session_id, SessionAttendee.person_id == person_id
            )
        ).first()
        if row is None:
            if not _is_member(s, session.team_id, person_id):
                raise NotValid({"person": "Only people in the team can join its session."})
            row = SessionAttendee(session_id=session_id, person_id=person_id)
        row.attendance = attendance
        s.add(row)
        _touch(s, session_id)
        _audit(s, actor, "change", "session_attendee", f"{session_id}:{person_id}", session.team_id)
