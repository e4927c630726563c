"""Weekly group supervision: planning, the agenda, running it step by step, and the record.

Who reaches what:
- practitioners and supervisors reach their own teams' sessions; nobody reaches another
  team's (managers see trends on the insights screen instead, never one person's scores);
- only a supervisor of the team plans, runs (moves the steps), closes and amends;
- anyone attending adds their own arrival, relationship check-ins and closing round from
  their own device; the facilitator may enter them for the room.

A closed session is a read-only record: later corrections are amendments with who and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select, update

from db import audit, notifications, restriction
from db.access import Actor, supervised_team_ids
from db.clock import from_local, local, local_midnight, utcnow
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    WORK_KINDS,
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    Membership,
    Person,
    RelationshipCheckIn,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    Team,
)
from db.risk_threads import HeldRisk, open_risks
from db.validation import Checks

SESSION_ROLES = ("practitioner", "supervisor")
STEP_LABELS = {
    "arrival": "Arrival round",
    "check_ins": "Relationship check-ins",
    "discussion": "Case discussion",
    "actions": "Actions",
    "closing": "Closing round",
}
STEP_MINUTES = {"arrival": 10, "check_ins": 5, "actions": 10, "closing": 10}
CHECK_IN_ITEMS = {
    "trust": "Trust between us",
    "feel_heard": "They feel heard by me",
    "what_matters": "We're working on what matters to them",
    "hope": "Hope for where this is going",
}
CLOSING_ITEMS = {
    "felt_heard": "I felt heard",
    "helped_my_work": "It helped my work",
    "held_my_worries": "The team held my worries with me",
}
KIND_LABELS = {"reflection": "Reflection", "case_management": "Case management", "task": "A task"}
ATTENDANCE = ("expected", "present", "apologies")


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class SessionLine:
    id: int
    team_id: int
    team_name: str
    scheduled_for: datetime
    duration_minutes: int
    status: str
    items: int


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    attendance: str


@dataclass(frozen=True)
class Item:
    id: int
    case_id: int | None
    case_reference: str | None
    brought_by_id: int
    brought_by: str
    ask: str
    kind: str
    time_box_minutes: int
    discussion_notes: str
    case_file_summary: str
    summary_ready: bool
    version: int


@dataclass(frozen=True)
class ActionLine:
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: date
    case_reference: str | None
    kind: str
    status: str
    status_reason: str
    session_id: int | None
    carried_from_id: int | None
    version: int


@dataclass(frozen=True)
class Arrival:
    person_id: int
    name: str
    score: int
    word: str
    needs_team: bool
    created_at: datetime


@dataclass(frozen=True)
class Closing:
    person_id: int
    name: str
    felt_heard: int
    helped_my_work: int
    held_my_worries: int
    word: str


@dataclass(frozen=True)
class CheckIn:
    id: int
    case_id: int
    case_reference: str
    practitioner: str
    session_id: int | None
    created_at: datetime
    trust: int
    feel_heard: int
    what_matters: int
    hope: int
    working_well: str
    gets_in_the_way: str
    what_they_would_say: str
    their_own_words: bool
    what_i_changed: str
    best_relationship: str | None

    def scores(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in CHECK_IN_ITEMS}


@dataclass(frozen=True)
class Drop:
    item: str
    before: int
    now: int


@dataclass(frozen=True)
class Amendment:
    author: str
    created_at: datetime
    text: str


@dataclass(frozen=True)
class Stage:
    """One position in the runner: a step, and for check-ins and discussion an item."""

    step: str
    item_id: int | None

    @property
    def key(self) -> str:
        return f"{self.step}:{self.item_id or ''}"


@dataclass(frozen=True)
class SessionView:
    id: int
    team_id: int
    team_name: str
    scheduled_for: datetime
    duration_minutes: int
    recurs_weekly: bool
    status: str
    facilitator: str | None
    current: Stage
    stages: tuple[Stage, ...]
    step_started_at: datetime | None
    step_extra_minutes: int
    version: int
    attendees: tuple[Attendee, ...]
    items: tuple[Item, ...]
    i_facilitate: bool

    @property
    def position(self) -> int:
        keys = [s.key for s in self.stages]
        return keys.index(self.current.key) if self.current.key in keys else 0

    def item(self, item_id: int | None) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def asked_minutes(self) -> dict[str, int]:
        """Each step's time as asked for: the fixed steps, and each item's own estimate."""
        asked: dict[str, int] = {}
        for stage in self.stages:
            if stage.step == "discussion":
                found = self.item(stage.item_id)
                asked[stage.key] = found.time_box_minutes if found else 10
            else:
                asked[stage.key] = STEP_MINUTES.get(stage.step, 10)
        return asked

    def time_boxes(self) -> dict[str, int]:
        """Each step's time-box, fitted to the session's length: when what was asked for adds
        up to more, every step is shortened in proportion (never below 2 minutes)."""
        return fit_time_boxes(self.asked_minutes(), self.duration_minutes)

    def time_box_minutes(self) -> int:
        return self.time_boxes().get(self.current.key, 10) + self.step_extra_minutes


def fit_time_boxes(asked: dict[str, int], length: int) -> dict[str, int]:
    """Shorten the asked-for minutes in proportion so they fit `length` (largest remainders
    first, at least 2 minutes a step); unchanged when they already fit."""
    total = sum(asked.values())
    if total <= length or not asked:
        return dict(asked)
    floor = 2
    share = {k: max(floor, v * length / total) for k, v in asked.items()}
    boxes = {k: max(floor, int(v)) for k, v in share.items()}
    spare = length - sum(boxes.values())
    for k in sorted(share, key=lambda k: share[k] - int(share[k]), reverse=True):
        if spare <= 0:
            break
        boxes[k] += 1
        spare -= 1
    return boxes


@dataclass(frozen=True)
class RoomState:
    """The one row a live screen reads on each refresh: if none of this moved, nothing did."""

    status: str
    version: int
    activity: int
    step: str
    item_id: int | None

    @property
    def stamp(self) -> tuple[str, int, int]:
        return (self.status, self.version, self.activity)


@dataclass(frozen=True)
class Agenda:
    items: tuple[Item, ...]
    carried_actions: tuple[ActionLine, ...]
    reviews_due: tuple[HeldRisk, ...]


@dataclass(frozen=True)
class TeamPerson:
    id: int
    name: str


@dataclass(frozen=True)
class Record:
    view: SessionView
    arrivals: tuple[Arrival, ...]
    check_ins: tuple[CheckIn, ...]
    new_actions: tuple[ActionLine, ...]
    reviewed_actions: tuple[ActionLine, ...]
    closings: tuple[Closing, ...]
    amendments: tuple[Amendment, ...]
    closed_at: datetime | None


# ---------------------------------------------------------------- scope


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


def _is_member(s: Session, team_id: int, person_id: int) -> bool:
    return (
        s.exec(
            select(Membership.id).where(
                Membership.team_id == team_id,
                Membership.person_id == person_id,
                col(Membership.left_on).is_(None),
            )
        ).first()
        is not None
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


# ---------------------------------------------------------------- planning


def team_people(actor: Actor, team_id: int) -> tuple[TeamPerson, ...]:
    """Current members of one of the actor's teams (for choosing attendees, owners, holders)."""
    _require_session_role(actor)
    if team_id not in _team_scope(actor):
        raise NotAllowed()
    with session_scope() as s:
        rows = s.exec(
            select(Person.id, Person.display_name)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(
                Membership.team_id == team_id,
                col(Membership.left_on).is_(None),
                col(Membership.role).in_(SESSION_ROLES),
                Person.is_active,
            )
            .order_by(Person.display_name)
        ).all()
        return tuple(TeamPerson(pid, name) for pid, name in rows)


def team_cases(actor: Actor, team_id: int) -> tuple[tuple[int, str], ...]:
    """(id, reference) of a team's open cases, for bringing one to a session."""
    _require_session_role(actor)
    if team_id not in _team_scope(actor):
        raise NotAllowed()
    with session_scope() as s:
        return tuple(
            s.exec(
                select(col(Case.id), col(Case.reference))
                .where(col(Case.team_id) == team_id, col(Case.status) != "closed", restriction.case_in_use(col(Case.id)))
                .order_by(col(Case.reference))
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
        if session.version != version:
            raise EditConflict("Someone changed this session a moment ago; here it is now.", _where_now(session))
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
        session.version += 1
        s.add(session)
        _audit(s, actor, "move", "supervision_session", session_id, session.team_id)
        notifications.session_changed(s, actor, session, "session_moved")


def cancel(actor: Actor, session_id: int, version: int) -> None:
    """Cancel a planned session: it stays in the list as cancelled, and calendars drop it."""
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        s.refresh(session, with_for_update=True)
        _require_facilitator(actor, session.team_id)
        if session.status != "planned":
            raise NotValid({"session": "Only a session that hasn't started yet can be cancelled."})
        if session.version != version:
            raise EditConflict("Someone changed this session a moment ago; here it is now.", _where_now(session))
        session.status = "cancelled"
        session.version += 1
        s.add(session)
        _audit(s, actor, "cancel", "supervision_session", session_id, session.team_id)
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


# ---------------------------------------------------------------- running


def _where_now(session: SupervisionSession) -> dict[str, object]:
    """What a refused move shows: the step the shared screen is on now, and its extra time."""
    return {
        "Step": STEP_LABELS.get(session.current_step, session.current_step),
        "Extra minutes": session.step_extra_minutes,
        "Status": session.status,
    }


def _for_facilitator(
    s: Session, actor: Actor, session_id: int, version: int, who_moved: str
) -> SupervisionSession:
    """The open session, locked for this change, if the actor facilitates it and nobody has
    moved it on since they saw `version`."""
    session = _load(s, actor, session_id)
    s.refresh(session, with_for_update=True)  # PostgreSQL: one version check at a time
    _require_facilitator(actor, session.team_id)
    _require_open(session)
    if session.version != version:
        raise EditConflict(f"{who_moved}; here is where it is now.", _where_now(session))
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
        session.version += 1
        _audit(s, actor, "change", "supervision_session", session_id, session.team_id)


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


def _round_entry(s: Session, actor: Actor, session_id: int, person_id: int, what: str) -> SupervisionSession:
    """The checks before a round entry: an open session, your own entry (or the facilitator
    entering for the room), and someone in the team."""
    session = _load(s, actor, session_id)
    _require_open(session)
    if person_id != actor.person_id:
        _require_facilitator(actor, session.team_id)
    if not _is_member(s, session.team_id, person_id):
        raise NotValid({"person": f"Only people in the team can join its {what}."})
    return session


def record_arrival(
    actor: Actor,
    session_id: int,
    *,
    person_id: int,
    score: int | None,
    word: str = "",
    needs_team: bool = False,
) -> None:
    """How someone is arriving. Their own, or the facilitator's entry for the room.

    One row per person per session: a second entry updates the first, and two people
    entering at the same moment both land (their rows differ)."""
    c = Checks()
    c.scale("score", score, "How you're arriving")
    word = c.text("word", word, "Your word", required=False, max_len=40, single_line=True)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _round_entry(s, actor, session_id, person_id, "arrival round")
        existing = s.exec(
            select(ArrivalCheckIn).where(
                ArrivalCheckIn.session_id == session_id, ArrivalCheckIn.person_id == person_id
            )
        ).first()
        if existing:
            existing.score, existing.word, existing.needs_team = score, word, needs_team  # type: ignore[assignment]  # Checks collects problems and refuses before any write: a required value is not None here
            existing.entered_by_id = actor.person_id
            s.add(existing)
        else:
            try:
                with s.begin_nested():
                    s.add(
                        ArrivalCheckIn(
                            session_id=session_id,
                            person_id=person_id,
                            score=score,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                            word=word,
                            needs_team=needs_team,
                            entered_by_id=actor.person_id,
                        )
                    )
            except IntegrityError:
                # The same person's other device got there first this instant: update theirs.
                row = s.exec(
                    select(ArrivalCheckIn).where(
                        ArrivalCheckIn.session_id == session_id, ArrivalCheckIn.person_id == person_id
                    )
                ).one()
                row.score, row.word, row.needs_team = score, word, needs_team  # type: ignore[assignment]  # Checks collects problems and refuses before any write: a required value is not None here
        attendee = s.exec(
            select(SessionAttendee).where(
                SessionAttendee.session_id == session_id, SessionAttendee.person_id == person_id
            )
        ).first()
        if attendee is None:
            s.add(SessionAttendee(session_id=session_id, person_id=person_id, attendance="present"))
        elif attendee.attendance != "present":
            attendee.attendance = "present"
            s.add(attendee)
        _touch(s, session_id)
        _audit(s, actor, "create", "arrival_check_in", f"{session_id}:{person_id}", session.team_id)


def arrivals(actor: Actor, session_id: int) -> tuple[Arrival, ...]:
    """The arrival round. The facilitator and the team in the room see everyone's; this is
    the team's own record and never leaves it."""
    with session_scope() as s:
        _load(s, actor, session_id)
        rows = s.exec(
            select(ArrivalCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ArrivalCheckIn.person_id))
            .where(ArrivalCheckIn.session_id == session_id)
            .order_by(col(ArrivalCheckIn.created_at), col(ArrivalCheckIn.id))
        ).all()
        return tuple(
            Arrival(a.person_id, name, a.score, a.word, a.needs_team, a.created_at) for a, name in rows
        )


def record_check_in(
    actor: Actor,
    session_id: int | None,
    case_id: int,
    *,
    practitioner_id: int | None = None,
    scores: Mapping[str, int | None],
    working_well: str = "",
    gets_in_the_way: str = "",
    what_they_would_say: str = "",
    their_own_words: bool = False,
    what_i_changed: str = "",
    best_relationship_person_id: int | None = None,
) -> int:
    """A relationship check-in for a case: four 0-10 items and short reflections."""
    practitioner_id = practitioner_id or actor.person_id
    c = Checks()
    clean = {k: c.scale(k, scores.get(k), label) for k, label in CHECK_IN_ITEMS.items()}
    texts = {
        "working_well": c.text("working_well", working_well, "What's working", required=False, max_len=1500),
        "gets_in_the_way": c.text(
            "gets_in_the_way", gets_in_the_way, "What gets in the way", required=False, max_len=1500
        ),
        "what_they_would_say": c.text(
            "what_they_would_say", what_they_would_say, "What they would say", required=False, max_len=1500
        ),
        "what_i_changed": c.text(
            "what_i_changed", what_i_changed, "What you've changed", required=False, max_len=1500
        ),
    }
    with session_scope(write=True) as s:
        _require_session_role(actor)
        case = s.get(Case, case_id)
        if case is None or case.team_id not in _team_scope(actor):
            raise NotAllowed("That case isn't one of your team's.")
        restriction.require_case_in_use(s, case_id)
        if session_id is not None:
            session = _load(s, actor, session_id)
            _require_open(session)
            if session.team_id != case.team_id:
                raise NotValid({"case_id": "That case belongs to another team's session."})
        if practitioner_id != actor.person_id:
            _require_facilitator(actor, case.team_id)
        for pid, field in (
            (practitioner_id, "practitioner_id"),
            (best_relationship_person_id, "best_relationship"),
        ):
            if pid is not None and not _is_member(s, case.team_id, pid):
                c.add(field, "Please choose someone in the team.")
        c.raise_if_any()
        row = RelationshipCheckIn(
            case_id=case_id,
            practitioner_id=practitioner_id,
            session_id=session_id,
            their_own_words=their_own_words,
            best_relationship_person_id=best_relationship_person_id,
            **clean,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            **texts,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        )
        s.add(row)
        if (
            best_relationship_person_id is not None
            and case.best_relationship_person_id != best_relationship_person_id
        ):
            case.best_relationship_person_id = best_relationship_person_id
            case.version += 1
            case.updated_at = utcnow()
            s.add(case)
        s.flush()
        if session_id is not None:
            _touch(s, session_id)
        _audit(s, actor, "create", "relationship_check_in", row.id, case.team_id)
        return int(row.id)


def _check_in(r: RelationshipCheckIn, reference: str, practitioner: str, best: str | None) -> CheckIn:
    return CheckIn(
        r.id,
        r.case_id,
        reference,
        practitioner,
        r.session_id,
        r.created_at,
        r.trust,
        r.feel_heard,
        r.what_matters,
        r.hope,
        r.working_well,
        r.gets_in_the_way,
        r.what_they_would_say,
        r.their_own_words,
        r.what_i_changed,
        best,
    )


def check_in_history(actor: Actor, case_id: int, *, limit: int = 8) -> tuple[CheckIn, ...]:
    """A case's latest relationship check-ins, oldest first (for a small trend)."""
    _require_session_role(actor)
    with session_scope() as s:
        case = s.get(Case, case_id)
        if case is None or case.team_id not in _team_scope(actor):
            raise NotAllowed("That case isn't one of your team's.")
        restriction.require_case_in_use(s, case_id)
        best = Person.__table__.alias("best")  # type: ignore[attr-defined]  # SQLModel's table classes get __table__ at class creation; its types do not declare it
        rows = s.exec(
            select(RelationshipCheckIn, Person.display_name, best.c.display_name)
            .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
            .outerjoin(best, best.c.id == RelationshipCheckIn.best_relationship_person_id)
            .where(RelationshipCheckIn.case_id == case_id)
            .order_by(col(RelationshipCheckIn.created_at).desc(), col(RelationshipCheckIn.id).desc())
            .limit(limit)
        ).all()
        return tuple(_check_in(r, case.reference, name, best_name) for r, name, best_name in reversed(rows))


def drops(history: tuple[CheckIn, ...], threshold: int = 2) -> tuple[Drop, ...]:
    """Items that fell by `threshold` or more between the last two check-ins."""
    if len(history) < 2:
        return ()
    before, now = history[-2].scores(), history[-1].scores()
    return tuple(
        Drop(CHECK_IN_ITEMS[k], before[k], now[k]) for k in CHECK_IN_ITEMS if before[k] - now[k] >= threshold
    )


def all_at_top(check_in: CheckIn) -> bool:
    return all(v == 10 for v in check_in.scores().values())


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
        if item.version != version:
            raise EditConflict(
                "Someone saved these notes while you were writing. Your text is still in the form; "
                "here is what they saved, so you can bring the two together.",
                {"Notes": item.discussion_notes, "Summary for the case file": item.case_file_summary},
            )
        item.discussion_notes = discussion_notes
        item.case_file_summary = case_file_summary
        item.summary_ready = summary_ready
        item.version += 1
        s.add(item)
        _touch(s, item.session_id)
        _audit(s, actor, "change", "agenda_item", item_id, session.team_id)


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
    if action.version != d.version or action.status != "open":
        raise EditConflict(
            "Someone has already updated this action; here is how it stands now.",
            {"What": action.description, "Status": action.status, "Reason": action.status_reason},
        )
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


def record_closing(
    actor: Actor,
    session_id: int,
    *,
    person_id: int,
    scores: Mapping[str, int | None],
    word: str = "",
) -> None:
    c = Checks()
    clean = {k: c.scale(k, scores.get(k), label) for k, label in CLOSING_ITEMS.items()}
    word = c.text("word", word, "Your word", required=False, max_len=40, single_line=True)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _round_entry(s, actor, session_id, person_id, "closing round")
        row = s.exec(
            select(ClosingCheckIn).where(
                ClosingCheckIn.session_id == session_id, ClosingCheckIn.person_id == person_id
            )
        ).first()
        if row is None:
            row = ClosingCheckIn(session_id=session_id, person_id=person_id, word=word, **clean)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        else:
            for key, value in clean.items():
                setattr(row, key, value)
            row.word = word
        s.add(row)
        _touch(s, session_id)
        _audit(s, actor, "create", "closing_check_in", f"{session_id}:{person_id}", session.team_id)


def closings(actor: Actor, session_id: int) -> tuple[Closing, ...]:
    with session_scope() as s:
        _load(s, actor, session_id)
        rows = s.exec(
            select(ClosingCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ClosingCheckIn.person_id))
            .where(ClosingCheckIn.session_id == session_id)
            .order_by(col(ClosingCheckIn.created_at))
        ).all()
        return tuple(
            Closing(r.person_id, name, r.felt_heard, r.helped_my_work, r.held_my_worries, r.word)
            for r, name in rows
        )


def close(actor: Actor, session_id: int, version: int) -> None:
    """Close the session: from now on its record is read-only, with amendments for corrections."""
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        s.refresh(session, with_for_update=True)  # PostgreSQL: one version check at a time
        _require_facilitator(actor, session.team_id)
        _require_open(session)
        if session.version != version:
            raise EditConflict(
                "Someone else changed the session a moment ago; please look again before closing.",
                _where_now(session),
            )
        session.status = "closed"
        session.closed_at = utcnow()
        session.version += 1
        _audit(s, actor, "close", "supervision_session", session_id, session.team_id)


def amend(actor: Actor, session_id: int, text: str) -> None:
    c = Checks()
    text = c.text("text", text, "The amendment", max_len=3000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        session = _load(s, actor, session_id)
        _require_facilitator(actor, session.team_id)
        if session.status != "closed":
            raise NotValid({"text": "The session is still open, so you can change the notes directly."})
        s.add(SessionAmendment(session_id=session_id, author_id=actor.person_id, text=text))
        _touch(s, session_id)
        _audit(s, actor, "amend", "supervision_session", session_id, session.team_id)


# ---------------------------------------------------------------- the record


def record(actor: Actor, session_id: int) -> Record:
    """The session's whole record (the record page and its exports); opening it is audited."""
    with session_scope() as s:
        session = _load(s, actor, session_id)
        audit.record_view(actor, "supervision_session", session_id, team_id=session.team_id)
        v = _view(s, actor, session)
        arrivals_rows = s.exec(
            select(ArrivalCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ArrivalCheckIn.person_id))
            .where(ArrivalCheckIn.session_id == session_id)
            .order_by(Person.display_name)
        ).all()
        checks = s.exec(
            select(RelationshipCheckIn, Case.reference, Person.display_name)
            .join(Case, col(Case.id) == col(RelationshipCheckIn.case_id))
            .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
            .where(RelationshipCheckIn.session_id == session_id)
            .order_by(col(RelationshipCheckIn.created_at))
        ).all()
        people_names = dict(s.exec(select(Person.id, Person.display_name)).all()) if checks else {}
        reviewed = _action_lines(s, Action.reviewed_session_id == session_id)
        amendments = s.exec(
            select(SessionAmendment, Person.display_name)
            .join(Person, col(Person.id) == col(SessionAmendment.author_id))
            .where(SessionAmendment.session_id == session_id)
            .order_by(col(SessionAmendment.created_at))
        ).all()
        closings_rows = s.exec(
            select(ClosingCheckIn, Person.display_name)
            .join(Person, col(Person.id) == col(ClosingCheckIn.person_id))
            .where(ClosingCheckIn.session_id == session_id)
            .order_by(Person.display_name)
        ).all()
        return Record(
            view=v,
            arrivals=tuple(
                Arrival(a.person_id, n, a.score, a.word, a.needs_team, a.created_at) for a, n in arrivals_rows
            ),
            check_ins=tuple(
                _check_in(r, ref, name, people_names.get(r.best_relationship_person_id))  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                for r, ref, name in checks
            ),
            new_actions=_action_lines(s, Action.session_id == session_id),
            reviewed_actions=reviewed,
            closings=tuple(
                Closing(r.person_id, n, r.felt_heard, r.helped_my_work, r.held_my_worries, r.word)
                for r, n in closings_rows
            ),
            amendments=tuple(Amendment(n, a.created_at, a.text) for a, n in amendments),
            closed_at=session.closed_at,
        )
