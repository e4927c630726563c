"""Northgate: a lighter record than Riverside's, enough to show that it is a separate team
(content: demo_northgate.json). It meets on Thursday afternoons: the last three, and the next."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session

from db.models import AgendaItem, Case, Person, RiskEntry, SessionAttendee, SupervisionSession, Team
from db.seed import read_content
from db.seed.demo.dates import Calendar, clamp
from db.seed.demo.group_sessions import add_action, add_relationship, add_rounds, add_sessions
from db.seed.demo.people import NORTHGATE_CASES, add_cases, supervisor_of, team_usernames
from db.seed.demo.risks import add_revision, new_thread_id

_DATA = read_content("demo_northgate")


def add_northgate(
    s: Session, team: Team, people: dict[str, Person], cal: Calendar, rng: random.Random
) -> None:
    cases = add_cases(s, team, NORTHGATE_CASES, people, cal, rng)
    supervisor = people[supervisor_of(team.name)]
    members = [people[u] for u in team_usernames(team.name)]
    last = cal.today - timedelta(days=(cal.today.weekday() - 3) % 7 or 7)
    days = [last - timedelta(weeks=w) for w in (2, 1, 0)] + [last + timedelta(weeks=1)]
    sessions = add_sessions(s, team, days, 14, supervisor, cal, rng)
    for i, session in enumerate(sessions):
        done = session.status == "closed"
        s.add_all(
            SessionAttendee(
                session_id=session.id, person_id=p.id, attendance="present" if done else "expected"
            )
            for p in members
        )
        if done:
            add_rounds(s, rng, session, members, supervisor, None)
        items = [item for item in _DATA["items"] if item["session"] == i]
        for position, item in enumerate(items):
            _item(s, team, session, i, cases[item["reference"]], item, position, people, cal, rng)
    _risk(s, team, cases, sessions[0], people, cal, rng)


def _item(
    s: Session,
    team: Team,
    session: SupervisionSession,
    i: int,
    case: Case,
    item: dict,
    position: int,
    people: dict[str, Person],
    cal: Calendar,
    rng: random.Random,
) -> None:
    """A family brought to session `i`, its check-in and its action (done, unless it is the latest)."""
    at = session.scheduled_for + timedelta(minutes=10 + 15 * position)
    s.add(
        AgendaItem(
            session_id=session.id,
            case_id=case.id,
            brought_by_id=case.lead_practitioner_id,
            ask=item["ask"],
            position=position,
            discussion_notes=item["notes"],
            created_at=at - timedelta(days=1),
        )
    )
    base = rng.randint(4, 8)
    lead = s.get(Person, case.lead_practitioner_id)
    assert lead is not None
    add_relationship(
        s, case, (base, clamp(base + 1), base, clamp(base - 1)), lead, session, at, "", False, ""
    )
    owner = people[item["owner"]]
    add_action(s, team, session, case, item["action"], owner, "done" if i < 2 else "open", "task", cal, rng)


def _risk(
    s: Session,
    team: Team,
    cases: dict[str, Case],
    first: SupervisionSession,
    people: dict[str, Person],
    cal: Calendar,
    rng: random.Random,
) -> None:
    """The one worry Northgate holds, raised in the first of its sessions."""
    risk = _DATA["risk"]
    raiser = people[risk["raised_by"]]
    add_revision(
        s,
        RiskEntry(
            thread_id=new_thread_id(rng),
            team_id=team.id,
            case_id=cases[risk["reference"]].id,
            session_id=first.id,
            raised_by_id=raiser.id,
            worry=risk["worry"],
            whose_risk=risk["whose_risk"],
            whose_risk_reasoning=risk["whose_risk_reasoning"],
            family_view=risk["family_view"],
            keeping_safe=risk["keeping_safe"],
            decision=risk["decision"],
            decision_reasons=risk["decision_reasons"],
            worry_before=risk["worry_before"],
            worry_after=risk["worry_after"],
            review_on=cal.upcoming + timedelta(days=2),
            created_by_id=raiser.id,
            created_at=first.scheduled_for + timedelta(minutes=70),
        ),
        [people[u].id for u in risk["holders"]],
    )
