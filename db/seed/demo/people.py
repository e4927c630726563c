"""The demo's people, its two teams and their families (content: demo_people.json,
demo_riverside.json, demo_northgate.json)."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlmodel import Session

from db.clock import utcnow
from db.models import CASE_STATUSES, Case, Membership, Person, Team
from db.seed import read_content
from db.seed.demo.dates import Calendar

_DATA = read_content("demo_people")
TEAMS: tuple[dict, ...] = tuple(_DATA["teams"])
DEMO_TEAM: str = TEAMS[0]["name"]
SECOND_TEAM: str = TEAMS[1]["name"]
# (username, display name, role, team, team role)
PEOPLE: tuple[tuple[str, str, str, str | None, str | None], ...] = tuple(
    (p["username"], p["name"], p["role"], p["team"], p["team_role"]) for p in _DATA["people"]
)
NEW_STARTERS = frozenset(p["username"] for p in _DATA["people"] if p.get("new_starter"))
NEW_STARTERS_FROM = 5  # the first Riverside session after their first induction weeks
SIGNINS: tuple[tuple[str, str], ...] = tuple((d["username"], d["what_to_try"]) for d in _DATA["signins"])
MANAGER: str = next(u for u, _, role, *_ in PEOPLE if role == "manager")  # over both teams


def team_usernames(team: str) -> list[str]:
    return [u for u, *_, t, _ in PEOPLE if t == team]


def supervisor_of(team: str) -> str:
    return next(u for u, *_, t, team_role in PEOPLE if t == team and team_role == "supervisor")


def _cases(name: str) -> tuple[tuple[str, str, str, str | None], ...]:
    """(reference, status, lead, best relationship or None)"""
    return tuple((c["reference"], c["status"], c["lead"], c["best"]) for c in read_content(name)["cases"])


RIVERSIDE_CASES = _cases("demo_riverside")
NORTHGATE_CASES = _cases("demo_northgate")


def add_people(s: Session, password_hash: str) -> dict[str, Person]:
    people = {}
    for username, name, role, *_ in PEOPLE:
        people[username] = Person(
            username=username,
            display_name=name,
            role=role,
            password_hash=password_hash,
            password_changed_at=utcnow(),
        )
    s.add_all(people.values())
    s.flush()
    return people


def add_teams(s: Session, people: dict[str, Person], cal: Calendar, rng: random.Random) -> dict[str, Team]:
    teams = {
        t["name"]: Team(
            name=t["name"],
            not_discussed_weeks=t["not_discussed_weeks"],
            # A team may name its stages in its own words (the board shows these).
            **({"status_labels": json.dumps(t["status_labels"])} if "status_labels" in t else {}),  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            description=t["description"],
        )
        for t in TEAMS
    }
    s.add_all(teams.values())
    s.flush()
    new_starter_joined = cal.past[NEW_STARTERS_FROM] - timedelta(days=1)  # after their first induction weeks
    for username, _, _, team, team_role in PEOPLE:
        if team is None:
            continue
        joined = (
            new_starter_joined
            if username in NEW_STARTERS
            else cal.today - timedelta(days=rng.randint(200, 1500))
        )
        s.add(
            Membership(
                team_id=teams[team].id,
                person_id=people[username].id,
                role=team_role,  # type: ignore[arg-type]  # PEOPLE gives a team role to everyone with a team (those without were skipped above)
                joined_on=joined,
            )
        )
    for each_team in teams.values():  # the manager oversees both teams
        s.add(
            Membership(
                team_id=each_team.id,
                person_id=people[MANAGER].id,
                role="manager",
                joined_on=cal.today - timedelta(days=400),
            )
        )
    return teams


def add_cases(
    s: Session,
    team: Team,
    rows: tuple[tuple[str, str, str, str | None], ...],
    people: dict[str, Person],
    cal: Calendar,
    rng: random.Random,
) -> dict[str, Case]:
    cases = {}
    for reference, status, lead, best in rows:
        assert status in CASE_STATUSES
        if status == "new":  # opened in the last few weeks, just before it was first brought
            opened = cal.past[6] - timedelta(days=rng.randint(2, 10))
        else:
            opened = cal.today - timedelta(days=rng.randint(90, 420))
        closed = cal.today - timedelta(days=rng.randint(14, 40)) if status == "closed" else None
        cases[reference] = Case(
            team_id=team.id,
            reference=reference,
            status=status,
            lead_practitioner_id=people[lead].id,
            best_relationship_person_id=people[best].id if best else None,
            opened_on=opened,
            closed_on=closed,
            next_review_on=None if closed else cal.today + timedelta(days=rng.randint(-5, 42)),
            created_at=cal.at(opened, 9),
            updated_at=cal.at(closed or opened, 9),
        )
    s.add_all(cases.values())
    s.flush()
    return cases
