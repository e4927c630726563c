"""How fast the case board is with thousands of cases: a benchmark, not a timed test.

Seeds 3,000 open cases across three teams (2,000 in the biggest) in a temporary SQLite
file, with four relationship check-ins per case, a mapping, risks and a year of weekly
group supervision, then prints JSON: the median and worst time of each board query, and of
an AppTest rerun of the board screen and of a case screen.

    /tmp/venv/bin/python benchmarks/board.py            # or: --repeat 30
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db import clock  # noqa: E402  (after the repository is on the path)

TEAMS = {"Bench One": 2000, "Bench Two": 600, "Bench Three": 400}
STATUSES = ("new", "active", "active", "active", "stuck", "stepping_down")


def _seed(today: date) -> dict[str, str]:
    """The three teams with their cases and a year of history; each supervisor's sign-in
    token by team name."""
    from db import accounts, credentials
    from db.engine import session_scope

    rng = random.Random(4)
    password = "a benchmark passphrase"
    hashed = credentials.hash_password(password)
    usernames: dict[str, str] = {}
    with session_scope(write=True) as s:
        for t_index, (name, n_cases) in enumerate(TEAMS.items()):
            team_id, people, sessions = _team(s, t_index, name, hashed, today)
            ids = _cases(s, t_index, team_id, n_cases, people, today, rng)
            _history(s, team_id, ids, people, sessions, today, rng)
            usernames[name] = f"b{t_index}p0"
    signed = {}
    for name, username in usernames.items():
        result = accounts.sign_in(username, password)
        assert result.ok, result.message
        signed[name] = result.token or ""
    return signed


def _team(s, t_index: int, name: str, hashed: str, today: date) -> tuple[int, list[int], list[int]]:
    """A team of a supervisor and eleven practitioners, and a year of weekly sessions held:
    the team's id, its people's ids (the supervisor first) and its sessions' ids."""
    from db.models import Membership, Person, SupervisionSession, Team

    team = Team(name=name)
    s.add(team)
    s.flush()
    people = []
    for p_index in range(12):
        role = "supervisor" if p_index == 0 else "practitioner"
        person = Person(
            username=f"b{t_index}p{p_index}",
            display_name=f"Worker {t_index}-{p_index:02d} Bench",
            role=role,
            password_hash=hashed,
        )
        s.add(person)
        s.flush()
        s.add(Membership(team_id=team.id, person_id=person.id, role=role))
        people.append(person.id)
    sessions = []
    for week in range(52):
        session = SupervisionSession(
            team_id=team.id,
            scheduled_for=datetime.combine(today - timedelta(weeks=week), datetime.min.time(), UTC),
            status="closed",
        )
        s.add(session)
        s.flush()
        sessions.append(session.id)
    return team.id, people, sessions


def _cases(
    s, t_index: int, team_id: int, n_cases: int, people: list[int], today: date, rng: random.Random
) -> list[int]:
    """The team's open cases, in one insert: their ids."""
    from sqlalchemy import insert

    from db.models import Case

    cases = []
    for c_index in range(n_cases):
        cases.append(
            {
                "team_id": team_id,
                "reference": f"BN-{t_index}{c_index:05d}",
                "status": STATUSES[c_index % len(STATUSES)],
                "lead_practitioner_id": people[1 + c_index % 11],
                "best_relationship_person_id": people[rng.randrange(12)] if c_index % 2 else None,
                "opened_on": today - timedelta(days=rng.randint(10, 900)),
                "next_review_on": today + timedelta(days=rng.randint(-10, 60)),
            }
        )
    s.execute(insert(Case), cases)
    return [
        cid
        for (cid,) in s.execute(
            Case.__table__.select().with_only_columns(Case.id).where(Case.team_id == team_id)  # type: ignore[attr-defined]  # SQLModel's table classes get __table__ at class creation; its types do not declare it
        )
    ]


def _history(
    s, team_id: int, ids: list[int], people: list[int], sessions: list[int], today: date, rng: random.Random
) -> None:
    """Four relationship check-ins and a mapping per case, agenda items, and a worry on every
    third case."""
    from sqlalchemy import insert

    from db.models import AgendaItem, CaseMapping, RelationshipCheckIn, RiskEntry

    s.execute(
        insert(RelationshipCheckIn),
        [
            {
                "case_id": cid,
                "practitioner_id": people[1 + i % 11],
                "trust": rng.randint(2, 10),
                "feel_heard": rng.randint(2, 10),
                "what_matters": rng.randint(2, 10),
                "hope": rng.randint(2, 10),
                "created_at": clock.utcnow() - timedelta(days=rng.randint(1, 300)),
            }
            for i, cid in enumerate(ids)
            for _ in range(4)
        ],
    )
    s.execute(insert(CaseMapping), [{"case_id": cid, "scale": rng.randint(0, 10)} for cid in ids])
    s.execute(
        insert(AgendaItem),
        [
            {"session_id": rng.choice(sessions), "case_id": cid, "brought_by_id": people[1]}
            for cid in ids
            for _ in range(rng.randint(0, 3))
        ],
    )
    s.execute(
        insert(RiskEntry),
        [
            {
                "thread_id": str(uuid.uuid4()),
                "team_id": team_id,
                "case_id": cid,
                "raised_by_id": people[1],
                "worry": "A worry held together",
                "whose_risk": "both",
                "review_on": today + timedelta(days=7),
                "created_by_id": people[1],
            }
            for cid in ids[::3]
        ],
    )


def _time(fn, repeat: int) -> dict[str, float]:
    fn()  # warm up (first query plans, caches)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def _screen_figures(token: str, case_id: int, repeat: int) -> dict[str, dict[str, float]]:
    """An AppTest rerun of the board screen and of one case's screen."""
    from streamlit.testing.v1 import AppTest

    from components.identity import TEST_TOKEN_KEY

    figures = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TEST_TOKEN_KEY] = token
    at.run()
    at.switch_page("pages/case_board.py").run()
    assert not at.exception, at.exception
    figures["apptest_board_rerun"] = _time(lambda: at.run(), repeat)
    at.query_params["case"] = str(case_id)
    at.switch_page("pages/case.py").run()
    assert not at.exception, at.exception
    figures["apptest_case_rerun"] = _time(lambda: at.run(), repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="circle-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.db"

    from db import accounts, case_board, credentials
    from db.engine import get_engine
    from db.migrate import upgrade

    credentials.use_cheap_hashing_for_tests()  # seeding speed only; sign-in is not what we measure
    upgrade(get_engine())
    today = clock.today()
    started = time.perf_counter()
    tokens = _seed(today)
    seeded_s = time.perf_counter() - started

    big = "Bench One"
    actor = accounts.actor_for_token(tokens[big])
    assert actor is not None
    team_id = actor.team_ids[0]
    q = {
        "board_first_page": lambda: case_board.board(actor, team_id),
        "board_page_50": lambda: case_board.board(actor, team_id, page=50),
        "board_by_practitioner": lambda: case_board.board(actor, team_id, group_by="practitioner"),
        "board_not_talked_about_only": lambda: case_board.board(actor, team_id, quiet_only=True),
        "board_search": lambda: case_board.board(actor, team_id, search="BN-01"),
        "board_with_closed_and_one_lead": lambda: case_board.board(
            actor, team_id, statuses=case_board.CASE_STATUSES, lead_id=actor.person_id + 1
        ),
    }
    figures = {name: _time(fn, args.repeat) for name, fn in q.items()}
    first = case_board.board(actor, team_id)

    figures.update(_screen_figures(tokens[big], first.cards[0].case_id, args.repeat))

    print(
        json.dumps(
            {
                "database": "SQLite (temporary file)",
                "open_cases": sum(TEAMS.values()),
                "cases_in_the_team_measured": TEAMS[big],
                "cards_per_page": first.page_size,
                "pages": first.pages,
                "quiet_cases": first.quiet_count,
                "seed_seconds": round(seeded_s, 1),
                "repeat": args.repeat,
                "timings": figures,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
