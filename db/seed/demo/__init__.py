"""A fictional demo workspace, so a newcomer can explore Circle without any real data.

`load_demo()` (run by `python -m db demo`) adds two made-up teams: "Riverside Early Help",
with about two months of weekly group supervision behind it and one session coming up this
week, and the smaller "Northgate Family Support", which Riverside's people cannot see.
There is a manager over both, a trainer with an induction cohort and an administrator.
Every account shares `DEMO_PASSWORD`; `DEMO_SIGNINS` says who to sign in as and what to try.

Everything is invented: case references are made-up initials and numbers, and every person
is fictional. The words live in `db/seed/content/demo_*.json`, written the way the practice
speaks (see LANGUAGE.md); the modules beside this one put them into the database, one part
of the story each (people, group_sessions, case_work, risks, northgate, training,
one_to_ones, young_voices, notifications).

The load is one transaction (all or nothing), does nothing if the demo team is already
there, and is deterministic: one seeded random generator, and every date counted from
`today` (dates.py), so "this week" always has a planned session.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from db import clock
from db.credentials import hash_password
from db.engine import session_scope
from db.models import Case, Person, SupervisionSession, Team
from db.seed.demo import people as _people
from db.seed.demo.case_work import add_mappings, add_network
from db.seed.demo.dates import Calendar
from db.seed.demo.group_sessions import riverside_sessions
from db.seed.demo.northgate import add_northgate
from db.seed.demo.notifications import add_case_files_and_notifications
from db.seed.demo.one_to_ones import add_one_to_ones
from db.seed.demo.risks import add_risks
from db.seed.demo.training import add_training
from db.seed.demo.young_voices import add_young_voices

DEMO_PASSWORD = "circle demo 2026"
DEMO_TEAM = _people.DEMO_TEAM
SECOND_TEAM = _people.SECOND_TEAM
_SEED = 20260113
# Which usernames and case references are the demo's (read by `python -m db` and the tests).
_PEOPLE = _people.PEOPLE
_CASES = _people.RIVERSIDE_CASES
_NORTHGATE_CASES = _people.NORTHGATE_CASES


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    display_name: str
    role: str
    what_to_try: str


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    teams: int
    people: int
    cases: int
    sessions: int


def _signin(username: str, what_to_try: str) -> DemoSignIn:
    name, role = next((n, r) for u, n, r, *_ in _PEOPLE if u == username)
    return DemoSignIn(username, name, role, what_to_try)


DEMO_SIGNINS: tuple[DemoSignIn, ...] = tuple(_signin(u, what) for u, what in _people.SIGNINS)


def load_demo(*, today: date | None = None) -> DemoSummary:
    """Add the fictional demo teams in one transaction, or do nothing if they are already there."""
    cal = Calendar.for_today(today or clock.today())
    with session_scope() as s:
        if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
            return _counts(s, created=False)
    password_hash = hash_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
    try:
        with session_scope(write=True) as s:
            if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
                return _counts(s, created=False)
            _refuse_taken_usernames(s)
            _add_everything(s, password_hash, cal)
            s.flush()
            return _counts(s, created=True)
    except IntegrityError:
        # Someone else loaded it at the same moment (PostgreSQL lets both start): theirs stands.
        with session_scope() as s:
            if s.exec(select(Team).where(Team.name == DEMO_TEAM)).first():
                return _counts(s, created=False)
        raise


def _refuse_taken_usernames(s: Session) -> None:
    taken = s.exec(select(Person.username).where(col(Person.username).in_([u for u, *_ in _PEOPLE]))).all()
    if taken:
        raise ValueError(
            "The demo team can't be added because these usernames are already in use here: "
            f"{', '.join(sorted(taken))}. The demo is meant for an empty, trial database."
        )


def _add_everything(s: Session, password_hash: str, cal: Calendar) -> None:
    """The whole story, in an order that keeps the random draws (and so the data) the same."""
    rng = random.Random(_SEED)
    people = _people.add_people(s, password_hash)
    teams = _people.add_teams(s, people, cal, rng)
    riverside = teams[DEMO_TEAM]
    cases = _people.add_cases(s, riverside, _CASES, people, cal, rng)
    sessions = riverside_sessions(s, riverside, people, cases, cal, rng)
    add_mappings(s, cases, sessions, people)
    add_network(s, cases, cal)
    add_risks(s, riverside, cases, sessions, people, cal, rng)
    # Two young people who answered (one seeing things differently) and a link still waiting.
    add_young_voices(s, cases, people, cal)
    add_northgate(s, teams[SECOND_TEAM], people, cal, rng)
    add_training(s, people, teams, cal)
    # Riverside's supervision agreements and seven months of one-to-ones with Hannah.
    add_one_to_ones(s, riverside, people, cases, cal)
    # Case-file entries (some copied across, the latest still to do) and a week of what
    # Circle told Priya and Tom (issue 17).
    add_case_files_and_notifications(s, riverside, people, cal.today)


def _counts(s: Session, created: bool) -> DemoSummary:
    team_ids = s.exec(select(Team.id).where(col(Team.name).in_((DEMO_TEAM, SECOND_TEAM)))).all()
    usernames = [u for u, *_ in _PEOPLE]

    def count(model, *where) -> int:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())

    return DemoSummary(
        created=created,
        teams=len(team_ids),
        people=count(Person, col(Person.username).in_(usernames)),
        cases=count(Case, col(Case.team_id).in_(team_ids)),
        sessions=count(SupervisionSession, col(SupervisionSession.team_id).in_(team_ids)),
    )
