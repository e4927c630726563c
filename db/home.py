"""What is happening this week, for the person signed in: the read model behind Home."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, func, select

from db import restriction
from db.access import Actor, case_team_ids, supervised_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.models import (
    Action,
    AgendaItem,
    AuditEvent,
    Case,
    CohortMember,
    Person,
    RelationshipCheckIn,
    SessionAttendee,
    SupervisionSession,
    Team,
    TrainingCohort,
)
from db.risk_threads import HeldRisk, open_risks


@dataclass(frozen=True)
class NextSession:
    session_id: int
    team_name: str
    scheduled_for: datetime
    duration_minutes: int
    expected: int
    my_items: tuple[str, ...]


@dataclass(frozen=True)
class MyCase:
    case_id: int
    reference: str
    status: str
    team_name: str
    last_check_in: date | None
    last_discussed: date | None
    next_review_on: date | None


@dataclass(frozen=True)
class MyAction:
    description: str
    due_on: date
    case_reference: str | None


@dataclass(frozen=True)
class TeamWeek:
    team_id: int
    team_name: str
    open_cases: int
    not_discussed: tuple[str, ...]
    not_discussed_weeks: int
    risks_held: int
    reviews_due: tuple[HeldRisk, ...]
    open_actions: int
    overdue_actions: int
    sessions_last_4_weeks: int
    next_session: datetime | None


@dataclass(frozen=True)
class CohortLine:
    name: str
    starts_on: date
    members: int
    status: str


@dataclass(frozen=True)
class AdminLine:
    people: int
    active_people: int
    teams: int
    failed_signins_24h: int


@dataclass(frozen=True)
class HomeView:
    today: date
    next_sessions: tuple[NextSession, ...] = ()
    my_cases: tuple[MyCase, ...] = ()
    holding: tuple[HeldRisk, ...] = ()
    my_actions: tuple[MyAction, ...] = ()
    teams: tuple[TeamWeek, ...] = ()
    cohorts: tuple[CohortLine, ...] = ()
    admin: AdminLine | None = None


def week(actor: Actor, *, now: datetime | None = None) -> HomeView:
    now = now or utcnow()
    today = now.date()
    with session_scope() as s:
        if actor.role == "admin":
            return HomeView(today=today, admin=_admin_line(s, now))
        if actor.role == "trainer":
            return HomeView(today=today, cohorts=_cohorts(s, actor))
        teams = case_team_ids(actor)
        view = HomeView(
            today=today,
            next_sessions=_next_sessions(s, actor, teams, now) if actor.role != "manager" else (),
            my_cases=_my_cases(s, actor) if actor.role != "manager" else (),
            holding=tuple(open_risks(s, team_ids=teams, holder_id=actor.person_id))
            if actor.role != "manager"
            else (),
            my_actions=_my_actions(s, actor, today),
        )
        overseen = supervised_team_ids(actor) if actor.role == "supervisor" else teams
        if actor.role in ("supervisor", "manager"):
            view = replace(view, teams=tuple(_team_week(s, t, now) for t in overseen))
        return view


def _next_sessions(
    s: Session, actor: Actor, teams: tuple[int, ...], now: datetime
) -> tuple[NextSession, ...]:
    if not teams:
        return ()
    rows = s.exec(
        select(SupervisionSession, Team.name)
        .join(Team, col(Team.id) == col(SupervisionSession.team_id))
        .where(
            col(SupervisionSession.team_id).in_(teams),
            SupervisionSession.status != "closed",
            SupervisionSession.scheduled_for >= now - timedelta(hours=3),
        )
        .order_by(col(SupervisionSession.scheduled_for))
        .limit(len(teams) * 2)
    ).all()
    seen: set[int] = set()
    result = []
    for session, team_name in rows:
        if session.team_id in seen:
            continue
        seen.add(session.team_id)
        expected = s.exec(
            select(func.count())
            .select_from(SessionAttendee)
            .where(SessionAttendee.session_id == session.id, SessionAttendee.attendance != "apologies")
        ).one()
        items = s.exec(
            select(AgendaItem.ask, Case.reference)
            .outerjoin(Case, col(Case.id) == col(AgendaItem.case_id))
            .where(
                AgendaItem.session_id == session.id,
                AgendaItem.brought_by_id == actor.person_id,
                restriction.case_in_use(AgendaItem.case_id),
            )
            .order_by(col(AgendaItem.position))
        ).all()
        result.append(
            NextSession(
                session.id,
                team_name,
                session.scheduled_for,
                session.duration_minutes,
                expected,
                tuple(f"{ref}: {ask}" if ref else ask for ask, ref in items),
            )
        )
    return tuple(result)


def _last_discussed(s: Session, case_ids: list[int]) -> dict[int, date]:
    if not case_ids:
        return {}
    rows = s.exec(
        select(AgendaItem.case_id, func.max(SupervisionSession.scheduled_for))
        .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
        .where(col(AgendaItem.case_id).in_(case_ids), SupervisionSession.status == "closed")
        .group_by(col(AgendaItem.case_id))
    ).all()
    return {cid: at.date() for cid, at in rows if at is not None}  # type: ignore[misc]  # ids read from a NOT NULL column: SQLModel's select types them int | None


def _discussed_since(s: Session, team_id: int, since: date) -> set[int]:
    """Cases the team has talked about in a held session since `since`: read from the team's
    recent sessions, so it costs the same however many years of sessions lie behind them."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    return set(
        s.exec(  # type: ignore[arg-type]  # ids read from a NOT NULL column: SQLModel's select types them int | None
            select(col(AgendaItem.case_id))
            .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
            .where(
                col(SupervisionSession.team_id) == team_id,
                col(SupervisionSession.scheduled_for) >= start,
                col(SupervisionSession.status) == "closed",
                col(AgendaItem.case_id).is_not(None),
            )
            .distinct()
        ).all()
    )


def _my_cases(s: Session, actor: Actor) -> tuple[MyCase, ...]:
    teams = case_team_ids(actor)
    if not teams:
        return ()
    cases = s.exec(
        select(Case, Team.name)
        .join(Team, col(Team.id) == col(Case.team_id))
        .where(
            Case.lead_practitioner_id == actor.person_id,
            col(Case.team_id).in_(teams),
            Case.status != "closed",
            restriction.case_in_use(Case.id),
        )
        .order_by(Case.reference)
    ).all()
    ids = [c.id for c, _ in cases]
    last_check = (
        dict(
            s.exec(
                select(RelationshipCheckIn.case_id, func.max(RelationshipCheckIn.created_at))
                .where(col(RelationshipCheckIn.case_id).in_(ids))
                .group_by(col(RelationshipCheckIn.case_id))
            ).all()
        )
        if ids
        else {}
    )
    discussed = _last_discussed(s, ids)
    return tuple(
        MyCase(
            c.id,
            c.reference,
            c.status,
            tn,
            last_check[c.id].date() if c.id in last_check else None,
            discussed.get(c.id),
            c.next_review_on,
        )
        for c, tn in cases
    )


def _my_actions(s: Session, actor: Actor, today: date) -> tuple[MyAction, ...]:
    teams = case_team_ids(actor)
    if not teams:
        return ()
    rows = s.exec(
        select(col(Action.description), col(Action.due_on), col(Case.reference))
        .outerjoin(Case, col(Case.id) == col(Action.case_id))
        .where(
            Action.owner_id == actor.person_id,
            Action.status == "open",
            col(Action.team_id).in_(teams),
            restriction.case_in_use(Action.case_id),
        )
        .order_by(col(Action.due_on))
        .limit(20)
    ).all()
    return tuple(MyAction(d, due, ref) for d, due, ref in rows)


def _team_week(s: Session, team_id: int, now: datetime) -> TeamWeek:
    today = now.date()
    team = s.get(Team, team_id)
    assert team is not None
    open_cases = s.exec(
        select(Case.id, Case.reference).where(
            Case.team_id == team_id, Case.status != "closed", restriction.case_in_use(Case.id)
        )
    ).all()
    cutoff = today - timedelta(weeks=team.not_discussed_weeks)
    discussed = _discussed_since(s, team_id, cutoff)
    not_discussed = tuple(ref for cid, ref in sorted(open_cases, key=lambda r: r[1]) if cid not in discussed)
    risks = open_risks(s, team_ids=[team_id])
    actions = s.exec(
        select(col(Action.due_on)).where(
            Action.team_id == team_id, Action.status == "open", restriction.case_in_use(Action.case_id)
        )
    ).all()
    sessions_held = s.exec(
        select(func.count())
        .select_from(SupervisionSession)
        .where(
            SupervisionSession.team_id == team_id,
            SupervisionSession.status == "closed",
            SupervisionSession.scheduled_for >= now - timedelta(weeks=4),
        )
    ).one()
    next_session = s.exec(
        select(func.min(SupervisionSession.scheduled_for)).where(
            SupervisionSession.team_id == team_id,
            SupervisionSession.status != "closed",
            SupervisionSession.scheduled_for >= now - timedelta(hours=3),
        )
    ).one()
    return TeamWeek(
        team_id=team_id,
        team_name=team.name,
        open_cases=len(open_cases),
        not_discussed=not_discussed,
        not_discussed_weeks=team.not_discussed_weeks,
        risks_held=len(risks),
        reviews_due=tuple(r for r in risks if r.next_review_on <= today + timedelta(days=7)),
        open_actions=len(actions),
        overdue_actions=sum(1 for due in actions if due < today),
        sessions_last_4_weeks=sessions_held,
        next_session=next_session,
    )


def _cohorts(s: Session, actor: Actor) -> tuple[CohortLine, ...]:
    rows = s.exec(
        select(TrainingCohort, func.count(col(CohortMember.id)))
        .outerjoin(CohortMember, col(CohortMember.cohort_id) == col(TrainingCohort.id))
        .where(TrainingCohort.trainer_id == actor.person_id)
        .group_by(col(TrainingCohort.id))
        .order_by(col(TrainingCohort.starts_on).desc())
    ).all()
    return tuple(CohortLine(c.name, c.starts_on, n, c.status) for c, n in rows)


def _admin_line(s: Session, now: datetime) -> AdminLine:
    people = s.exec(select(func.count()).select_from(Person)).one()
    active = s.exec(select(func.count()).select_from(Person).where(Person.is_active)).one()
    teams = s.exec(select(func.count()).select_from(Team)).one()
    failed = s.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "signin_failed", AuditEvent.at >= now - timedelta(hours=24))
    ).one()
    return AdminLine(people, active, teams, failed)
