"""Insights for managers and supervisors: how supervision is doing over time, aggregated in
SQL, with the stories behind the numbers.

Scope: managers see the teams they oversee; supervisors see the teams they supervise (and
per practitioner there). Wellbeing (arrival and closing rounds) is only ever shown as a
team figure for a period with at least MIN_GROUP different people in it, never one
person's. Trainers, practitioners and admins don't reach this module.

Every query groups by period in the database (a month, or a week for short ranges), so a
page's cost follows what is on the screen, not how many years of history lie behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import Integer, and_, case, cast, func
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col, select

from db import audit, clock, restriction
from db.access import Actor, case_team_ids, supervised_team_ids
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import (
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SessionAttendee,
    SupervisionSession,
    Team,
)

MIN_GROUP = 3
CHECK_IN_ITEMS = {
    "trust": "Trust between us",
    "feel_heard": "They feel heard",
    "what_matters": "Working on what matters to them",
    "hope": "Hope for where this is going",
}
CLOSING_ITEMS = {
    "felt_heard": "I felt heard",
    "helped_my_work": "It helped my work",
    "held_my_worries": "The team held my worries",
}
WHOSE = {
    "young_person": "Risk to the young person",
    "professional_anxiety": "Professional anxiety",
    "both": "Both",
}
OUTCOMES = {
    "as_feared": "As feared",
    "better_than_feared": "Better than feared",
    "worse_than_feared": "Worse than feared",
}
KINDS = {"reflection": "Reflection", "case_management": "Case management", "task": "Tasks"}


@dataclass(frozen=True)
class Filters:
    team_ids: tuple[int, ...]
    start: date
    end: date
    practitioner_id: int | None = None

    @property
    def unit(self) -> str:
        return "week" if (self.end - self.start).days <= 16 * 7 else "month"

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC)


@dataclass(frozen=True)
class Story:
    when: date
    case_reference: str | None
    text: str


@dataclass(frozen=True)
class Scope:
    teams: tuple[tuple[int, str], ...]
    practitioners: tuple[tuple[int, str], ...]  # only for supervisors


def scope(actor: Actor) -> Scope:
    """The teams (and, for supervisors, practitioners) this person may look across."""
    teams = _allowed(actor)
    with session_scope() as s:
        names = s.exec(select(Team.id, Team.name).where(col(Team.id).in_(teams)).order_by(Team.name)).all()
        practitioners: list[tuple[int, str]] = []
        if actor.role == "supervisor" and teams:
            from db.models import Membership

            practitioners = list(
                s.exec(
                    select(Person.id, Person.display_name)
                    .join(Membership, col(Membership.person_id) == col(Person.id))
                    .where(
                        col(Membership.team_id).in_(teams),
                        Membership.role == "practitioner",
                        col(Membership.left_on).is_(None),
                    )
                    .order_by(Person.display_name)
                ).all()
            )
    return Scope(tuple(names), tuple(practitioners))


def _allowed(actor: Actor) -> tuple[int, ...]:
    if actor.role == "manager":
        return case_team_ids(actor)
    if actor.role == "supervisor":
        return supervised_team_ids(actor)
    raise NotAllowed("Insights are for managers and supervisors.")


def check(actor: Actor, filters: Filters) -> Filters:
    """Refuse teams or people outside the actor's reach, and impossible ranges."""
    allowed = set(_allowed(actor))
    if not filters.team_ids or not set(filters.team_ids) <= allowed:
        raise NotAllowed("Those teams aren't all yours to look across.")
    if filters.start > filters.end:
        raise NotValid({"range": "The start of the range needs to be before its end."})
    if (filters.end - filters.start).days > 366 * 6:
        raise NotValid({"range": "Please choose a range of six years or less."})
    if filters.practitioner_id is not None:
        if actor.role != "supervisor":
            raise NotAllowed("Looking at one practitioner is for their supervisor.")
        if filters.practitioner_id not in {p for p, _ in scope(actor).practitioners}:
            raise NotAllowed("That person isn't in a team you supervise.")
    return filters


def _period(s: Session, column, unit: str) -> ColumnElement:
    """The first day of the week or month a timestamp falls in, as 'YYYY-MM-DD', in SQL."""
    if s.get_bind().dialect.name == "sqlite":
        if unit == "month":
            return func.strftime("%Y-%m-01", column)
        return func.date(column, "-6 days", "weekday 1")
    return func.to_char(func.date_trunc(unit, column), "YYYY-MM-DD")


def _frame(rows, columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    if "period" in frame:
        frame["period"] = pd.to_datetime(frame["period"])
    return frame


def _in_range(column, f: Filters) -> tuple:
    """The conditions that keep a timestamp inside the filters' dates."""
    return (column >= f.since, column < f.until)


def _team_names(s: Session, team_ids: tuple[int, ...]) -> dict[int, str]:
    return dict(s.exec(select(Team.id, Team.name).where(col(Team.id).in_(team_ids))).all())


def _name_teams(frames, names: dict[int, str]) -> None:
    for frame in frames:
        frame["team"] = frame["team_id"].map(names) if not frame.empty else pd.Series(dtype=str)


def _melt(
    frame: pd.DataFrame, keep: str, labels: dict[str, str], var_name: str, value_name: str
) -> pd.DataFrame:
    """One row per labelled column (period, team and `keep` carried along), its label in `var_name`."""
    if frame.empty:
        return frame
    long = frame.melt(
        id_vars=["period", "team", keep], value_vars=list(labels), var_name=var_name, value_name=value_name
    )
    long[var_name] = long[var_name].map(labels)
    return long


def _held_threads(f: Filters) -> tuple:
    """A held risk's first entry in the chosen teams, on a case (or worry) still in use."""
    return (
        col(RiskEntry.team_id).in_(f.team_ids),
        RiskEntry.revision == 1,
        restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
    )


# ------------------------------------------------------------------ relationships


def relationships(actor: Actor, filters: Filters) -> pd.DataFrame:
    """Average relationship check-in items per period, per team (or for one practitioner),
    with `dropped` marking a fall of a point or more since the period before."""
    f = check(actor, filters)
    with session_scope() as s:
        period = _period(s, RelationshipCheckIn.created_at, f.unit)
        query = (
            select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                period.label("period"),
                col(Case.team_id),
                *(func.avg(getattr(RelationshipCheckIn, k)).label(k) for k in CHECK_IN_ITEMS),
                func.count().label("n"),
            )
            .join(Case, Case.id == RelationshipCheckIn.case_id)
            .where(
                col(Case.team_id).in_(f.team_ids),
                *_in_range(RelationshipCheckIn.created_at, f),
                restriction.case_in_use(Case.id),
            )
            .group_by(period, Case.team_id)
        )
        if f.practitioner_id is not None:
            query = query.where(RelationshipCheckIn.practitioner_id == f.practitioner_id)
        wide = _frame(s.exec(query).all(), ["period", "team_id", *CHECK_IN_ITEMS, "n"])
        names = _team_names(s, f.team_ids)
    if wide.empty:
        return pd.DataFrame(columns=["period", "team", "item", "score", "n", "dropped"])
    wide["team"] = wide["team_id"].map(names)
    long = _melt(wide, "n", CHECK_IN_ITEMS, "item", "score")
    long["score"] = long["score"].astype(float).round(2)
    long = long.sort_values(["team", "item", "period"])
    long["dropped"] = long.groupby(["team", "item"])["score"].diff() <= -1.0
    return long.reset_index(drop=True)


# ------------------------------------------------------------------ feeling held


def _round(s: Session, f: Filters, p: ColumnElement, check_in, items: list[str]) -> pd.DataFrame:
    """A round's average scores (one column per item) per team and period, only where
    MIN_GROUP or more different people took part."""
    return _frame(
        s.exec(
            select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                p.label("period"),
                col(SupervisionSession.team_id),
                *(func.avg(getattr(check_in, k)) for k in items),
                func.count(func.distinct(check_in.person_id)),
            )
            .join(SupervisionSession, SupervisionSession.id == check_in.session_id)
            .where(
                col(SupervisionSession.team_id).in_(f.team_ids),
                *_in_range(SupervisionSession.scheduled_for, f),
            )
            .group_by(p, SupervisionSession.team_id)
            .having(func.count(func.distinct(check_in.person_id)) >= MIN_GROUP)
        ).all(),
        ["period", "team_id", *items, "people"],
    )


def _worry(s: Session, f: Filters) -> pd.DataFrame:
    rp = _period(s, RiskEntry.created_at, f.unit)
    return _frame(
        s.exec(
            select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                rp.label("period"),
                col(RiskEntry.team_id),
                func.avg(col(RiskEntry.worry_before)),
                func.avg(col(RiskEntry.worry_after)),
                func.count(),
            )
            .where(
                *_held_threads(f),
                *_in_range(RiskEntry.created_at, f),
                col(RiskEntry.worry_before).is_not(None),
                col(RiskEntry.worry_after).is_not(None),
            )
            .group_by(rp, RiskEntry.team_id)
        ).all(),
        ["period", "team_id", "before", "after", "risks"],
    )


def feeling_held(actor: Actor, filters: Filters) -> dict[str, pd.DataFrame]:
    """Arrival and closing rounds per team and period (only where MIN_GROUP or more people
    took part), and the worry before and after the team's discussion of a risk."""
    f = check(actor, filters)
    with session_scope() as s:
        names = _team_names(s, f.team_ids)
        p = _period(s, SupervisionSession.scheduled_for, f.unit)
        arrival = _round(s, f, p, ArrivalCheckIn, ["score"])
        closing = _round(s, f, p, ClosingCheckIn, list(CLOSING_ITEMS))
        worry = _worry(s, f)
    _name_teams((arrival, closing, worry), names)
    closing = _melt(closing, "people", CLOSING_ITEMS, "item", "score")
    worry = _melt(
        worry, "risks", {"before": "Before the team's discussion", "after": "After"}, "when", "worry"
    )
    for frame in (arrival, closing, worry):
        for column in ("score", "worry"):
            if column in frame:
                frame[column] = frame[column].astype(float).round(2)
    return {"arrival": arrival, "closing": closing, "worry": worry}


# ------------------------------------------------------------------ risks held


def _opened(s: Session, f: Filters) -> pd.DataFrame:
    p = _period(s, RiskEntry.created_at, f.unit)
    return _frame(
        s.exec(
            select(p.label("period"), RiskEntry.whose_risk, func.count())
            .where(*_held_threads(f), *_in_range(RiskEntry.created_at, f))
            .group_by(p, RiskEntry.whose_risk)
        ).all(),
        ["period", "whose", "risks"],
    )


def _reviews(s: Session, f: Filters) -> pd.DataFrame:
    team_threads = select(RiskEntry.thread_id).where(*_held_threads(f))
    rp = _period(s, RiskReview.reviewed_at, f.unit)
    return _frame(
        s.exec(
            select(rp.label("period"), RiskReview.what_happened, RiskReview.next_step, func.count())
            .where(col(RiskReview.thread_id).in_(team_threads), *_in_range(RiskReview.reviewed_at, f))
            .group_by(rp, RiskReview.what_happened, RiskReview.next_step)
        ).all(),
        ["period", "outcome", "next_step", "reviews"],
    )


def _reviews_on_time(s: Session, f: Filters) -> tuple:
    """(reviews, reviews on time): on time when it happened by the review date the entry set."""
    return s.exec(
        select(
            func.count(),
            func.sum(cast(func.date(RiskReview.reviewed_at) <= RiskEntry.review_on, Integer)),
        )
        .select_from(RiskReview)
        .join(
            RiskEntry,
            and_(col(RiskEntry.thread_id) == col(RiskReview.thread_id), col(RiskEntry.revision) == 1),
        )
        .where(
            col(RiskEntry.team_id).in_(f.team_ids),
            *_in_range(RiskReview.reviewed_at, f),
            restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
        )
    ).one()


def risks(actor: Actor, filters: Filters) -> dict[str, pd.DataFrame]:
    f = check(actor, filters)
    with session_scope() as s:
        opened = _opened(s, f)
        reviews = _reviews(s, f)
        total, on_time = _reviews_on_time(s, f)
    opened["whose"] = opened["whose"].map(WHOSE) if not opened.empty else opened.get("whose")
    if reviews.empty:
        closed, outcomes = (
            pd.DataFrame(columns=["period", "reviews"]),
            pd.DataFrame(columns=["outcome", "reviews"]),
        )
    else:
        closed = reviews[reviews["next_step"] == "close"].groupby("period", as_index=False)["reviews"].sum()
        outcomes = reviews.groupby("outcome", as_index=False)["reviews"].sum()
        outcomes["outcome"] = outcomes["outcome"].map(OUTCOMES)
    return {
        "opened": opened,
        "closed": closed.rename(columns={"reviews": "risks"}),
        "outcomes": outcomes,
        "on_time": pd.DataFrame([{"reviews": int(total or 0), "on_time": int(on_time or 0)}]),
    }


# ------------------------------------------------------------------ rhythm


def _closed_sessions(f: Filters) -> tuple:
    return (
        col(SupervisionSession.team_id).in_(f.team_ids),
        SupervisionSession.status == "closed",
        *_in_range(SupervisionSession.scheduled_for, f),
    )


def _held(s: Session, f: Filters, p: ColumnElement) -> pd.DataFrame:
    return _frame(
        s.exec(
            select(p.label("period"), SupervisionSession.team_id, func.count())
            .where(*_closed_sessions(f))
            .group_by(p, col(SupervisionSession.team_id))
        ).all(),
        ["period", "team_id", "sessions"],
    )


def _attendance(s: Session, f: Filters, p: ColumnElement) -> pd.DataFrame:
    return _frame(
        s.exec(
            select(
                p.label("period"),
                SupervisionSession.team_id,
                func.sum(case((col(SessionAttendee.attendance) == "present", 1), else_=0)),
                func.count(),
            )
            .join(SupervisionSession, col(SupervisionSession.id) == col(SessionAttendee.session_id))
            .where(*_closed_sessions(f))
            .group_by(p, col(SupervisionSession.team_id))
        ).all(),
        ["period", "team_id", "present", "expected"],
    )


def _actions(s: Session, f: Filters, today: date) -> pd.DataFrame:
    ap = _period(s, Action.created_at, "month")
    done_on_time = and_(col(Action.status) == "done", col(Action.completed_on) <= col(Action.due_on))
    return _frame(
        s.exec(
            select(
                ap.label("period"), Action.team_id, func.count(), func.sum(case((done_on_time, 1), else_=0))
            )
            .where(
                col(Action.team_id).in_(f.team_ids),
                *_in_range(Action.created_at, f),
                Action.due_on < today,
                restriction.case_in_use(Action.case_id),
            )
            .group_by(ap, col(Action.team_id))
        ).all(),
        ["period", "team_id", "actions", "done_on_time"],
    )


def _not_discussed(s: Session, f: Filters, today: date) -> dict[int, int]:
    """Per team, the open cases nobody has talked about for the team's number of weeks, now."""
    last = (
        select(AgendaItem.case_id, func.max(SupervisionSession.scheduled_for).label("at"))
        .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
        .where(col(SupervisionSession.team_id).in_(f.team_ids), SupervisionSession.status == "closed")
        .group_by(col(AgendaItem.case_id))
        .subquery()
    )
    rows = s.exec(
        select(Case.team_id, Team.not_discussed_weeks, last.c.at)
        .join(Team, col(Team.id) == col(Case.team_id))
        .outerjoin(last, last.c.case_id == Case.id)
        .where(col(Case.team_id).in_(f.team_ids), Case.status != "closed", restriction.case_in_use(Case.id))
    ).all()
    counts: dict[int, int] = dict.fromkeys(f.team_ids, 0)
    now = datetime.combine(today, time(0), tzinfo=UTC)
    for team_id, weeks, at in rows:
        if at is None or at < now - timedelta(weeks=weeks):
            counts[team_id] += 1
    return counts


def rhythm(actor: Actor, filters: Filters, *, today: date | None = None) -> dict[str, pd.DataFrame]:
    f = check(actor, filters)
    today = today or clock.today()
    with session_scope() as s:
        names = _team_names(s, f.team_ids)
        p = _period(s, SupervisionSession.scheduled_for, "month")
        held, attendance, actions = _held(s, f, p), _attendance(s, f, p), _actions(s, f, today)
        counts = _not_discussed(s, f, today)
    _name_teams((held, attendance, actions), names)
    if not attendance.empty:
        attendance["rate"] = (attendance["present"] / attendance["expected"] * 100).round(1)
    if not actions.empty:
        actions["rate"] = (actions["done_on_time"].astype(float) / actions["actions"] * 100).round(1)
    not_discussed = pd.DataFrame([{"team": names[t], "cases": n} for t, n in counts.items()])
    return {"held": held, "attendance": attendance, "actions": actions, "not_discussed": not_discussed}


# ------------------------------------------------------------------ drift


def drift(actor: Actor, filters: Filters) -> pd.DataFrame:
    """Share of each session's agenda time by kind of conversation, per period."""
    f = check(actor, filters)
    with session_scope() as s:
        p = _period(s, SupervisionSession.scheduled_for, f.unit)
        frame = _frame(
            s.exec(
                select(p.label("period"), AgendaItem.kind, func.sum(AgendaItem.time_box_minutes))
                .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
                .where(
                    col(SupervisionSession.team_id).in_(f.team_ids),
                    *_in_range(SupervisionSession.scheduled_for, f),
                    restriction.case_in_use(AgendaItem.case_id),
                )
                .group_by(p, AgendaItem.kind)
            ).all(),
            ["period", "kind", "minutes"],
        )
    if frame.empty:
        return pd.DataFrame(columns=["period", "kind", "minutes", "share"])
    frame["minutes"] = frame["minutes"].astype(float)
    frame["share"] = (frame["minutes"] / frame.groupby("period")["minutes"].transform("sum") * 100).round(1)
    frame["kind"] = frame["kind"].map(KINDS).fillna(frame["kind"])
    return frame


# ------------------------------------------------------------------ stories


def stories(actor: Actor, filters: Filters, *, limit: int = 3) -> dict[str, tuple[Story, ...]]:
    """A few recent reflections behind each chart, newest first, with pseudonymised references."""
    f = check(actor, filters)
    with session_scope() as s:
        working = s.exec(
            select(RelationshipCheckIn.created_at, Case.reference, RelationshipCheckIn.working_well)
            .join(Case, col(Case.id) == col(RelationshipCheckIn.case_id))
            .where(
                col(Case.team_id).in_(f.team_ids),
                RelationshipCheckIn.working_well != "",
                *_in_range(RelationshipCheckIn.created_at, f),
                restriction.case_in_use(Case.id),
                *([RelationshipCheckIn.practitioner_id == f.practitioner_id] if f.practitioner_id else []),
            )
            .order_by(col(RelationshipCheckIn.created_at).desc())
            .limit(limit)
        ).all()
        learned = s.exec(
            select(RiskReview.reviewed_at, Case.reference, RiskReview.what_we_learned)
            .join(
                RiskEntry,
                and_(col(RiskEntry.thread_id) == col(RiskReview.thread_id), col(RiskEntry.revision) == 1),
            )
            .outerjoin(Case, col(Case.id) == col(RiskEntry.case_id))
            .where(
                col(RiskEntry.team_id).in_(f.team_ids),
                RiskReview.what_we_learned != "",
                *_in_range(RiskReview.reviewed_at, f),
                restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
            )
            .order_by(col(RiskReview.reviewed_at).desc())
            .limit(limit)
        ).all()
        asks = s.exec(
            select(SupervisionSession.scheduled_for, Case.reference, AgendaItem.ask)
            .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
            .outerjoin(Case, col(Case.id) == col(AgendaItem.case_id))
            .where(
                col(SupervisionSession.team_id).in_(f.team_ids),
                AgendaItem.kind == "reflection",
                *_in_range(SupervisionSession.scheduled_for, f),
                restriction.case_in_use(AgendaItem.case_id),
            )
            .order_by(col(SupervisionSession.scheduled_for).desc())
            .limit(limit)
        ).all()
    return {
        "working": tuple(Story(at.date(), ref, text) for at, ref, text in working),
        "learned": tuple(Story(at.date(), ref, text) for at, ref, text in learned),
        "asks": tuple(Story(at.date(), ref, text) for at, ref, text in asks),
    }


def everything(actor: Actor, filters: Filters) -> dict:
    """Every figure and story the insights screen and report show, in one call."""
    held = feeling_held(actor, filters)
    risk = risks(actor, filters)
    beat = rhythm(actor, filters)
    return {
        "relationships": relationships(actor, filters),
        "arrival": held["arrival"],
        "closing": held["closing"],
        "worry": held["worry"],
        "risks_opened": risk["opened"],
        "risks_closed": risk["closed"],
        "outcomes": risk["outcomes"],
        "on_time": risk["on_time"],
        "sessions_held": beat["held"],
        "attendance": beat["attendance"],
        "actions_on_time": beat["actions"],
        "not_discussed": beat["not_discussed"],
        "drift": drift(actor, filters),
        "stories": stories(actor, filters),
    }


def audit_export(actor: Actor, filters: Filters, kind: str) -> None:
    with session_scope(write=True) as s:
        audit.by(s, actor, "export", f"insights_{kind}", ",".join(map(str, filters.team_ids))[:40])
