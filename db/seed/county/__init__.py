"""A county-scale fictional data set for benchmarks: `python -m db seed-county --years N`.

30 teams, 300 staff, 3,000 open cases, and N years of weekly group supervision for every
team, with arrival and closing rounds, agenda items, relationship check-ins, mappings,
risk entries with holders and reviews, actions, and one-to-ones on each practitioner's
agreement. Deterministic (one seeded generator) and written with bulk inserts, team by team
(team.py, history.py, risks.py, one_to_ones.py), so it finishes in a few minutes on 2 cores.
The words come from db/seed/content/county.json.

Everything is invented. Every county account shares COUNTY_PASSWORD: this is a data set
for measuring speed, never for a real deployment.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from db import clock
from db.credentials import hash_password
from db.engine import session_scope
from db.models import Case, Membership, Person, Team
from db.seed.county import team as _team
from db.seed.county.history import add_history
from db.seed.county.one_to_ones import add_one_to_ones
from db.seed.county.risks import add_risks
from db.seed.county.team import CASES_PER_TEAM, PRACTITIONERS_PER_TEAM, WORDS, CountyTeam, Span

__all__ = [
    "CASES_PER_TEAM",
    "COUNTY_PASSWORD",
    "MANAGERS",
    "PRACTITIONERS_PER_TEAM",
    "TEAMS",
    "CountySummary",
    "seed_county",
]

COUNTY_PASSWORD = "county benchmark data"
TEAMS = 30
MANAGERS = 10  # each oversees three teams
_SEED = 20261125


@dataclass(frozen=True)
class CountySummary:
    teams: int
    people: int
    cases: int
    sessions: int
    seconds: float


def _progress(done: int, total: int, started: datetime) -> None:
    width = 30
    filled = int(width * done / total)
    secs = (clock.utcnow() - started).total_seconds()
    sys.stdout.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} teams · {secs:.0f} s")
    sys.stdout.flush()


def seed_county(
    *, years: int, today: date | None = None, report: Callable[[int, int, datetime], None] = _progress
) -> CountySummary:
    if not 1 <= years <= 10:
        raise ValueError("years must be between 1 and 10")
    rng = random.Random(_SEED)
    today = today or clock.today()
    started = clock.utcnow()
    password = hash_password(COUNTY_PASSWORD)
    weeks = years * 52
    span = Span(today=today, first_day=today - timedelta(weeks=weeks), weeks=weeks)

    with session_scope(write=True) as s:
        team_ids = _county_wide(s, password)
    people_total = MANAGERS + 2
    sessions_total = 0
    for t_index, team_id in enumerate(team_ids):
        with session_scope(write=True) as s:
            people, sessions = _seed_team(s, t_index, team_id, password, span, rng)
        people_total += people
        sessions_total += sessions
        report(t_index + 1, TEAMS, started)
    if report is _progress:
        sys.stdout.write("\n")
    with session_scope() as s:
        cases = len(s.exec(select(Case.id)).all())
    return CountySummary(
        TEAMS, people_total, cases, sessions_total, (clock.utcnow() - started).total_seconds()
    )


def _county_wide(s: Session, password: str) -> list[int]:
    """The teams, their managers (three teams each), a trainer and an administrator."""
    places, first, last = WORDS["places"], WORDS["first_names"], WORDS["last_names"]
    if s.exec(select(Team.id).where(Team.name == f"{places[0]} Family Support")).first():
        raise ValueError("The county data set is already loaded in this database.")
    team_ids = []
    for i in range(TEAMS):
        team = Team(name=f"{places[i]} Family Support", not_discussed_weeks=4)
        s.add(team)
        s.flush()
        team_ids.append(team.id)
    managers = []
    for m in range(MANAGERS):
        p = Person(
            username=f"manager{m + 1:02d}",
            display_name=f"{first[m]} {last[-m - 1]}",
            role="manager",
            password_hash=password,
        )
        s.add(p)
        managers.append(p)
    # One trainer and one administrator, so every role has someone to sign in as.
    s.add(Person(username="trainer01", display_name=WORDS["trainer"], role="trainer", password_hash=password))
    s.add(Person(username="admin01", display_name=WORDS["admin"], role="admin", password_hash=password))
    s.flush()
    for m, manager in enumerate(managers):
        for t in team_ids[m * 3 : m * 3 + 3]:
            s.add(Membership(team_id=t, person_id=manager.id, role="manager"))
    return team_ids


def _seed_team(
    s: Session, t_index: int, team_id: int, password: str, span: Span, rng: random.Random
) -> tuple[int, int]:
    """Everything for one team; returns how many people and how many sessions it added."""
    team = CountyTeam(s, rng, span, t_index, team_id, _team.add_staff(s, t_index, team_id, password, rng))
    case_ids = _team.add_cases(team)
    _team.add_mappings(team, case_ids)
    sessions = _team.add_sessions(team)
    add_history(team, case_ids, sessions)
    add_risks(team, case_ids, sessions)
    # One-to-ones on each practitioner's agreement (issue 18), with their own random
    # numbers so the rest of the county stays as it was.
    add_one_to_ones(
        s, team_id, team.supervisor, team.practitioners, span.first_day, span.today, random.Random(team_id)
    )
    _team.plan_next_week(team)
    return len(team.staff), len(sessions) + 1
