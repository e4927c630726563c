"""How often each person is supervised one-to-one, against what their agreement says.

- `due_for_supervisor`: for Home, a supervisor's practitioners, who is due a one-to-one and
  who is overdue (their last one held, plus their agreed number of weeks, has passed).
- `team_frequency`: for Insights, per team and month, the share of practitioners supervised
  within their agreed frequency, one-to-ones planned against held, and newly qualified
  staff (in their assessed first year) against their own, more frequent, rhythm.

Only dates and counts leave this module: nothing of what was said in a one-to-one.
Managers reach the teams they oversee, supervisors the teams they supervise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session, col, select

from db.access import Actor, supervised_team_ids
from db.agreements import agreed_terms, every_weeks
from db.clock import from_local, local
from db.clock import today as local_today
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import Membership, Person, Team
from db.supervision_models import OneToOne, SupervisionAgreement

DUE_SOON_DAYS = 14
MIN_GROUP = 3  # as for wellbeing elsewhere: a share over fewer people is shown as counts


@dataclass(frozen=True)
class DueLine:
    person_id: int
    name: str
    state: str  # overdue, due, ok, no_agreement
    every_weeks: int | None
    first_year: bool
    last_held: date | None
    due_on: date | None
    next_planned: date | None


@dataclass(frozen=True)
class MonthLine:
    team_id: int
    team: str
    month: date  # first day of the month
    with_agreement: int
    within: int
    planned: int
    held: int
    first_year: int
    first_year_within: int

    @property
    def share(self) -> float | None:
        return self.within / self.with_agreement if self.with_agreement else None

    @property
    def first_year_share(self) -> float | None:
        return self.first_year_within / self.first_year if self.first_year >= MIN_GROUP else None


def _team_practitioners(s, team_ids: tuple[int, ...]) -> list[tuple[int, str, int]]:
    return list(
        s.exec(
            select(Person.id, Person.display_name, Membership.team_id)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(
                col(Membership.team_id).in_(team_ids),
                Membership.role == "practitioner",
                col(Membership.left_on).is_(None),
                Person.is_active,
            )
            .order_by(Person.display_name)
        ).all()
    )


def due_for_supervisor(actor: Actor, *, today: date | None = None) -> tuple[DueLine, ...]:
    """Who is overdue, who is due soon, and who is fine, most pressing first."""
    teams = supervised_team_ids(actor)
    if not teams:
        raise NotAllowed("Only a supervisor sees who is due a one-to-one.")
    today = today or local_today()
    with session_scope() as s:
        people = _team_practitioners(s, teams)
        ids = [p for p, _, _ in people]
        terms = agreed_terms(s, ids)
        rows = (
            s.exec(
                select(OneToOne.practitioner_id, OneToOne.scheduled_for, OneToOne.status).where(
                    col(OneToOne.practitioner_id).in_(ids), OneToOne.status != "cancelled"
                )
            ).all()
            if ids
            else []
        )
    held: dict[int, date] = {}
    planned: dict[int, date] = {}
    for pid, when, status in rows:
        day = local(when).date()
        if status == "closed":
            held[pid] = max(held.get(pid, day), day)
        elif day >= today:
            planned[pid] = min(planned.get(pid, day), day)
    out = []
    for pid, name, _team in people:
        rule = every_weeks(terms[pid], today) if terms.get(pid) else None
        if rule is None:
            out.append(DueLine(pid, name, "no_agreement", None, False, held.get(pid), None, planned.get(pid)))
            continue
        weeks, first_year = rule
        last = held.get(pid)
        agreed = terms[pid][0]
        start = last or agreed.practitioner_agreed_on or agreed.supervisor_agreed_on or today
        due = start + timedelta(weeks=weeks)
        state = "overdue" if due < today else "due" if due <= today + timedelta(days=DUE_SOON_DAYS) else "ok"
        out.append(DueLine(pid, name, state, weeks, first_year, last, due, planned.get(pid)))
    order = {"overdue": 0, "due": 1, "no_agreement": 2, "ok": 3}
    return tuple(sorted(out, key=lambda d: (order[d.state], d.due_on or today, d.name)))


def allowed_teams(actor: Actor) -> tuple[tuple[int, str], ...]:
    if actor.role == "manager":
        ids = tuple(m.team_id for m in actor.memberships if m.role == "manager")
    elif actor.role == "supervisor":
        ids = supervised_team_ids(actor)
    else:
        raise NotAllowed("How often people are supervised is for managers and supervisors.")
    names = {m.team_id: m.team_name for m in actor.memberships}
    return tuple((t, names.get(t, "")) for t in ids)


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    out = []
    for _ in range(months):
        out.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return list(reversed(out))


def team_frequency(
    actor: Actor, team_ids: tuple[int, ...], *, months: int = 6, today: date | None = None
) -> tuple[MonthLine, ...]:
    """Per team and month: share supervised within their agreed frequency (judged at the
    month's end, or today for this month), planned against held, and newly qualified staff."""
    allowed = dict(allowed_teams(actor))
    if not team_ids or any(t not in allowed for t in team_ids):
        raise NotAllowed("That team's supervision isn't one you oversee.")
    today = today or local_today()
    starts = _month_starts(today, months)
    earliest = starts[0] - timedelta(weeks=13)
    with session_scope() as s:
        names = dict(s.exec(select(Team.id, Team.name).where(col(Team.id).in_(team_ids))).all())
        meetings = s.exec(
            select(OneToOne.team_id, OneToOne.practitioner_id, OneToOne.scheduled_for, OneToOne.status).where(
                col(OneToOne.team_id).in_(team_ids),
                OneToOne.scheduled_for >= from_local(earliest, time(0)),
                OneToOne.scheduled_for < from_local(today + timedelta(days=1), time(0)),
                OneToOne.status != "cancelled",
            )
        ).all()
        by_team = _practitioners_by_team(s, team_ids)
        terms = agreed_terms(s, sorted({p for ps in by_team.values() for p in ps}))
    held: dict[int, list[date]] = defaultdict(list)
    counts: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for tid, pid, when, status in meetings:
        day = local(when).date()
        if status == "closed":
            held[pid].append(day)
        month = day.replace(day=1)
        counts[(tid, month)][0] += 1
        counts[(tid, month)][1] += status == "closed"
    out = []
    for tid in team_ids:
        for month in starts:
            nxt = (month + timedelta(days=32)).replace(day=1)
            end = min(nxt - timedelta(days=1), today)
            with_agreement, within, first, first_within = _within_agreement(
                by_team.get(tid, ()), terms, held, end
            )
            planned, done = counts.get((tid, month), [0, 0])
            out.append(
                MonthLine(
                    tid, names.get(tid, ""), month, with_agreement, within, planned, done, first, first_within
                )
            )
    return tuple(out)


def _practitioners_by_team(s: Session, team_ids: tuple[int, ...]) -> dict[int, set[int]]:
    """The practitioners with an agreement (agreed once, or since), per team."""
    rows = s.exec(
        select(SupervisionAgreement.practitioner_id, SupervisionAgreement.team_id)
        .where(col(SupervisionAgreement.team_id).in_(team_ids), SupervisionAgreement.status != "draft")
        .distinct()
    ).all()
    by_team: dict[int, set[int]] = defaultdict(set)
    for pid, tid in rows:
        by_team[tid].add(pid)
    return by_team


def _within_agreement(
    practitioner_ids: Iterable[int],
    terms: dict[int, list[SupervisionAgreement]],
    held: dict[int, list[date]],
    end: date,
) -> tuple[int, int, int, int]:
    """At `end`: how many had an agreement, how many of them were supervised within its
    frequency, and the same two for those in their assessed first year."""
    with_agreement = within = first = first_within = 0
    for pid in practitioner_ids:
        rows = [
            r
            for r in terms.get(pid, [])
            if (r.practitioner_agreed_on or r.supervisor_agreed_on or end) <= end
        ]
        if not rows:
            continue
        weeks, first_year = every_weeks(rows, end)  # type: ignore[misc]  # None is ruled out before this line, in a way mypy does not follow
        ok = any(end - timedelta(weeks=weeks) < d <= end for d in held.get(pid, ()))
        with_agreement += 1
        within += ok
        if first_year:
            first += 1
            first_within += ok
    return with_agreement, within, first, first_within
