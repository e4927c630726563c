"""Planning one-to-ones, the lists of them, and what the case page shows of them."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import col, select

from db import restriction
from db.access import Actor, supervised_team_ids
from db.clock import from_local, local
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import Case, Membership, Person
from db.one_to_one.read_models import CaseDiscussion, DateLine, Line
from db.one_to_one.scope import _audit, _names, _practitioner_team
from db.supervision_models import OneToOne, OneToOneItem
from db.validation import Checks


def practitioners(actor: Actor) -> tuple[tuple[int, str], ...]:
    """(id, name) of the practitioners a supervisor holds one-to-ones with."""
    teams = supervised_team_ids(actor)
    if not teams:
        raise NotAllowed("Only a supervisor plans one-to-ones.")
    with session_scope() as s:
        return tuple(
            s.exec(
                select(Person.id, Person.display_name)
                .join(Membership, col(Membership.person_id) == col(Person.id))
                .where(
                    col(Membership.team_id).in_(teams),
                    Membership.role == "practitioner",
                    col(Membership.left_on).is_(None),
                    Person.is_active,
                )
                .order_by(Person.display_name)
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
                case.reference,
                i.ask,
                i.case_file_summary,
                local(closed).date(),  # type: ignore[arg-type]  # only closed one-to-ones are selected, and closing sets closed_at
                who,
                i.one_to_one_id,
            )
            for i, closed, who in rows
        )
