"""A county-scale fictional data set for benchmarks: `python -m db seed-county --years N`.

30 teams, 300 staff, 3,000 open cases, and N years of weekly group supervision for every
team, with arrival and closing rounds, agenda items, relationship check-ins, mappings,
risk entries with holders and reviews, and actions. Deterministic (one seeded generator)
and written with bulk inserts, team by team, so it finishes in a few minutes on 2 cores.

Everything is invented. Every county account shares COUNTY_PASSWORD: this is a data set
for measuring speed, never for a real deployment.
"""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from db import clock
from db.accounts import hash_password
from db.engine import session_scope
from db.models import (
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    CaseMapping,
    CaseMappingRevision,
    ClosingCheckIn,
    Membership,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SessionAttendee,
    SupervisionSession,
    Team,
)
from db.one_to_one_county import add_for_team as add_one_to_ones

COUNTY_PASSWORD = "county benchmark data"
TEAMS = 30
PRACTITIONERS_PER_TEAM = 9
CASES_PER_TEAM = 100
MANAGERS = 10  # each oversees three teams
_PLACES = (
    "Ashford",
    "Brookmere",
    "Calder",
    "Dunmore",
    "Eastwick",
    "Fernhill",
    "Glenholm",
    "Harrowgate",
    "Ivybridge",
    "Juniper",
    "Kingsmead",
    "Larkfield",
    "Millbrook",
    "Northwood",
    "Oakleigh",
    "Pendle",
    "Queensway",
    "Redcliffe",
    "Southmoor",
    "Thornbury",
    "Upton",
    "Valemount",
    "Westbury",
    "Yarrow",
    "Ambleside",
    "Bramley",
    "Cobham",
    "Dalton",
    "Elmstead",
    "Foxley",
)
_FIRST = (
    "Alex",
    "Sam",
    "Jo",
    "Priya",
    "Tom",
    "Amara",
    "Jack",
    "Sian",
    "Leo",
    "Grace",
    "Ben",
    "Kai",
    "Maya",
    "Omar",
    "Ruth",
    "Nina",
    "Ravi",
    "Ella",
    "Finn",
    "Zara",
)
_LAST = (
    "Shah",
    "Reilly",
    "Mensah",
    "Doherty",
    "Evans",
    "Brennan",
    "Adeyemi",
    "Hughes",
    "Thompson",
    "Bell",
    "Campbell",
    "Morgan",
    "Khan",
    "Price",
    "Walsh",
    "Osei",
    "Patel",
    "Murray",
    "Lewis",
    "Quinn",
)
_WORKING = (
    "We walk and talk on the way to school.",
    "She texts me first now when things go wrong.",
    "He showed me his drawings.",
    "Mum asked for my help with the housing letter.",
    "We keep our promises about timing.",
    "He chose where we met this week.",
)
_IN_THE_WAY = (
    "Changes of worker have made him wary.",
    "School meetings feel like being told off.",
    "I've had to cancel twice.",
    "Dad isn't sure what I'm for yet.",
)
_ASKS = (
    "Help me think about how to stay alongside Mum.",
    "What would make our visits feel less formal?",
    "I'm worried I'm holding this alone.",
    "Ideas for repairing things after last week.",
)
_WORRIES = (
    "Staying out late with older friends we don't know.",
    "Missing school most Mondays.",
    "Mum's low mood and the pressure on her.",
    "Arguments at home that frighten the younger children.",
)
_LEARNED = (
    "Trusting the plan the family made worked better than adding checks.",
    "Nan was the right person for that conversation.",
    "We reacted to our own worry, not the risk.",
)


@dataclass(frozen=True)
class CountySummary:
    teams: int
    people: int
    cases: int
    sessions: int
    seconds: float


def _bulk(s: Session, model: type, rows: list[dict]) -> None:
    if rows:
        s.execute(insert(model), rows)


def _progress(done: int, total: int, started: datetime) -> None:
    width = 30
    filled = int(width * done / total)
    secs = (datetime.now(UTC) - started).total_seconds()
    sys.stdout.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} teams · {secs:.0f} s")
    sys.stdout.flush()


def seed_county(
    *, years: int, today: date | None = None, report: Callable[[int, int, datetime], None] = _progress
) -> CountySummary:
    if not 1 <= years <= 10:
        raise ValueError("years must be between 1 and 10")
    rng = random.Random(20261125)
    today = today or clock.today()
    started = datetime.now(UTC)
    password = hash_password(COUNTY_PASSWORD)
    weeks = years * 52
    first_day = today - timedelta(weeks=weeks)

    with session_scope(write=True) as s:
        if s.exec(select(Team.id).where(Team.name == f"{_PLACES[0]} Family Support")).first():
            raise ValueError("The county data set is already loaded in this database.")
        team_ids = []
        for i in range(TEAMS):
            team = Team(name=f"{_PLACES[i]} Family Support", not_discussed_weeks=4)
            s.add(team)
            s.flush()
            team_ids.append(team.id)
        managers = []
        for m in range(MANAGERS):
            p = Person(
                username=f"manager{m + 1:02d}",
                display_name=f"{_FIRST[m]} {_LAST[-m - 1]}",
                role="manager",
                password_hash=password,
            )
            s.add(p)
            managers.append(p)
        # One trainer and one administrator, so every role has someone to sign in as.
        s.add(Person(username="trainer01", display_name="Ruth Osei", role="trainer", password_hash=password))
        s.add(Person(username="admin01", display_name="Alex Price", role="admin", password_hash=password))
        s.flush()
        for m, manager in enumerate(managers):
            for t in team_ids[m * 3 : m * 3 + 3]:
                s.add(Membership(team_id=t, person_id=manager.id, role="manager"))
    people_total = MANAGERS + 2
    sessions_total = 0
    for t_index, team_id in enumerate(team_ids):
        with session_scope(write=True) as s:
            staff: list[int] = []
            for k in range(PRACTITIONERS_PER_TEAM + 1):
                role = "supervisor" if k == 0 else "practitioner"
                p = Person(
                    username=f"t{t_index + 1:02d}{'sup' if k == 0 else f'p{k}'}",
                    display_name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                    role=role,
                    password_hash=password,
                )
                s.add(p)
                s.flush()
                staff.append(p.id)
                s.add(Membership(team_id=team_id, person_id=p.id, role=role))
            people_total += len(staff)
            supervisor, practitioners = staff[0], staff[1:]
            case_rows = [
                {
                    "team_id": team_id,
                    "reference": f"{chr(65 + t_index % 26)}{chr(65 + (t_index + c) % 26)}-{1000 + c}",
                    "status": rng.choice(("new", "active", "active", "stuck", "stepping_down")),
                    "lead_practitioner_id": practitioners[c % len(practitioners)],
                    "best_relationship_person_id": rng.choice(practitioners) if rng.random() < 0.4 else None,
                    "opened_on": first_day + timedelta(days=rng.randint(0, weeks * 7)),
                    "next_review_on": today + timedelta(days=rng.randint(-10, 60)),
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                    "version": 1,
                }
                for c in range(CASES_PER_TEAM)
            ]
            _bulk(s, Case, case_rows)
            case_ids = list(s.exec(select(Case.id).where(Case.team_id == team_id).order_by(col(Case.id))).all())
            now = datetime.now(UTC)
            mapping_rows = [
                {
                    "case_id": cid,
                    "worries": rng.choice(_WORRIES),
                    "working_well": rng.choice(_WORKING),
                    "needs_to_happen": "Keep going with the plan the family made.",
                    "scale": rng.randint(3, 8),
                    "updated_at": now,
                    "updated_by_id": supervisor,
                    "version": 1,
                    "danger_statement": "",
                    "safety_goal": "",
                    "presenting": "",
                    "predisposing": "",
                    "precipitating": "",
                    "perpetuating": "",
                    "protective": "",
                    "plan": "",
                }
                for cid in case_ids
            ]
            _bulk(s, CaseMapping, mapping_rows)
            _bulk(
                s,
                CaseMappingRevision,
                [
                    {
                        "case_id": cid,
                        "version": 1,
                        "saved_by_id": supervisor,
                        "saved_at": now,
                        "snapshot": "{}",
                    }
                    for cid in case_ids
                ],
            )
            # Sessions, one a week, all held and closed.
            weekday = t_index % 5
            session_rows = []
            for w in range(weeks):
                day = first_day + timedelta(weeks=w, days=weekday)
                if day >= today:
                    break
                when = datetime.combine(day, time(10, 0), tzinfo=UTC)
                session_rows.append(
                    {
                        "team_id": team_id,
                        "scheduled_for": when,
                        "duration_minutes": 90,
                        "recurs_weekly": True,
                        "status": "closed",
                        "facilitator_id": supervisor,
                        "current_step": "closing",
                        "step_extra_minutes": 0,
                        "closed_at": when + timedelta(minutes=95),
                        "created_by_id": supervisor,
                        "created_at": when - timedelta(days=7),
                        "version": 1,
                    }
                )
            _bulk(s, SupervisionSession, session_rows)
            sessions_total += len(session_rows)
            session_list = s.exec(
                select(SupervisionSession.id, SupervisionSession.scheduled_for)
                .where(SupervisionSession.team_id == team_id)
                .order_by(col(SupervisionSession.scheduled_for))
            ).all()
            attendees, arrivals, closings, items, checks, actions = [], [], [], [], [], []
            trend = {cid: rng.randint(4, 8) for cid in case_ids}
            for n, (sid, when) in enumerate(session_list):
                away = rng.choice(practitioners) if rng.random() < 0.5 else None
                for pid in staff:
                    present = pid != away
                    attendees.append(
                        {
                            "session_id": sid,
                            "person_id": pid,
                            "attendance": "present" if present else "apologies",
                        }
                    )
                    if present:
                        arrivals.append(
                            {
                                "session_id": sid,
                                "person_id": pid,
                                "score": rng.randint(3, 9),
                                "word": "",
                                "needs_team": rng.random() < 0.1,
                                "entered_by_id": pid,
                                "created_at": when + timedelta(minutes=2),
                            }
                        )
                        closings.append(
                            {
                                "session_id": sid,
                                "person_id": pid,
                                "felt_heard": rng.randint(5, 10),
                                "helped_my_work": rng.randint(5, 10),
                                "held_my_worries": rng.randint(4, 10),
                                "word": "",
                                "created_at": when + timedelta(minutes=88),
                            }
                        )
                for position in range(4):
                    cid = case_ids[(n * 4 + position) % len(case_ids)]
                    lead = practitioners[(n * 4 + position) % len(practitioners)]
                    items.append(
                        {
                            "session_id": sid,
                            "case_id": cid,
                            "brought_by_id": lead,
                            "ask": rng.choice(_ASKS),
                            "kind": rng.choice(("reflection", "reflection", "case_management", "task")),
                            "source": "brought",
                            "time_box_minutes": 15,
                            "position": position,
                            "discussion_notes": "",
                            "case_file_summary": "",
                            "summary_ready": False,
                            "created_at": when - timedelta(days=1),
                            "version": 1,
                        }
                    )
                    trend[cid] = max(0, min(10, trend[cid] + rng.randint(-2, 2)))
                    base = trend[cid]
                    checks.append(
                        {
                            "case_id": cid,
                            "practitioner_id": lead,
                            "session_id": sid,
                            "trust": base,
                            "feel_heard": max(0, min(10, base + rng.randint(-1, 1))),
                            "what_matters": max(0, min(10, base + rng.randint(-1, 1))),
                            "hope": max(0, min(10, base + rng.randint(-2, 1))),
                            "working_well": rng.choice(_WORKING),
                            "gets_in_the_way": rng.choice(_IN_THE_WAY),
                            "what_they_would_say": "",
                            "their_own_words": False,
                            "what_i_changed": "",
                            "created_at": when + timedelta(minutes=10 + position),
                        }
                    )
                for a in range(3):
                    due = when.date() + timedelta(days=7)
                    recent = when.date() > today - timedelta(days=14)
                    status = "open" if recent else rng.choice(("done", "done", "done", "dropped"))
                    actions.append(
                        {
                            "team_id": team_id,
                            "session_id": sid,
                            "case_id": case_ids[(n + a) % len(case_ids)],
                            "description": "Ring school with Mum before the meeting",
                            "owner_id": rng.choice(practitioners),
                            "due_on": due,
                            "kind": rng.choice(("reflection", "case_management", "task")),
                            "status": status,
                            "status_reason": "",
                            "version": 1,
                            "completed_on": due - timedelta(days=rng.randint(-3, 3))
                            if status == "done"
                            else None,
                            "created_at": when + timedelta(minutes=80),
                        }
                    )
            for model, rows in (
                (SessionAttendee, attendees),
                (ArrivalCheckIn, arrivals),
                (ClosingCheckIn, closings),
                (AgendaItem, items),
                (RelationshipCheckIn, checks),
                (Action, actions),
            ):
                _bulk(s, model, rows)
            # About one worry a fortnight, held by two or three and reviewed every four weeks
            # until the team closes it: most after one or two reviews, a few held for months.
            # So a team holds about as many worries after five years as after one, as real
            # teams do; only the closed log grows with history.
            entries, holders_for, reviews = [], [], []
            for sid, when in session_list[::2]:
                thread = str(uuid.UUID(int=rng.getrandbits(128)))
                first_review = when.date() + timedelta(weeks=4)
                cycles = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
                review_days = [first_review + timedelta(weeks=4 * k) for k in range(cycles)]
                done = [day for day in review_days if day < today - timedelta(days=5)]
                closed = len(done) == cycles
                entries.append(
                    {
                        "thread_id": thread,
                        "revision": 1,
                        "team_id": team_id,
                        "case_id": rng.choice(case_ids),
                        "session_id": sid,
                        "raised_by_id": rng.choice(practitioners),
                        "worry": rng.choice(_WORRIES),
                        "whose_risk": rng.choice(("young_person", "professional_anxiety", "both")),
                        "whose_risk_reasoning": "",
                        "reasonable_for_age": "",
                        "family_view": "",
                        "keeping_safe": "",
                        "decision": "Hold it together and review in four weeks.",
                        "decision_reasons": "",
                        "needs_manager": False,
                        "worry_before": rng.randint(5, 9),
                        "worry_after": rng.randint(2, 6),
                        "review_on": first_review,
                        "status": "closed" if closed else "open",
                        "created_by_id": supervisor,
                        "created_at": when + timedelta(minutes=60),
                    }
                )
                holders_for.append(thread)
                for k, day in enumerate(done):
                    last = k == cycles - 1
                    reviews.append(
                        {
                            "thread_id": thread,
                            "session_id": None,
                            "reviewed_by_id": supervisor,
                            "reviewed_at": datetime.combine(
                                day + timedelta(days=rng.randint(-2, 5)), time(11), tzinfo=UTC
                            ),
                            "what_happened": rng.choice(
                                ("as_feared", "better_than_feared", "better_than_feared", "worse_than_feared")
                            ),
                            "what_we_learned": rng.choice(_LEARNED),
                            "next_step": "close" if last else "keep_holding",
                            "next_review_on": None if last else day + timedelta(weeks=4),
                        }
                    )
            _bulk(s, RiskEntry, entries)
            ids = dict(
                s.exec(select(RiskEntry.thread_id, RiskEntry.id).where(RiskEntry.team_id == team_id)).all()
            )
            _bulk(
                s,
                RiskHolder,
                [
                    {"risk_entry_id": ids[thread], "person_id": pid}
                    for thread in holders_for
                    for pid in rng.sample(staff, 3)
                ],
            )
            _bulk(s, RiskReview, reviews)
            # One-to-ones on each practitioner's agreement (issue 18), with their own random
            # numbers so the rest of the county stays as it was.
            add_one_to_ones(s, team_id, supervisor, practitioners, first_day, today, random.Random(team_id))
            # And next week's session is planned, everyone expected, as a real team's would be.
            when = datetime.combine(today + timedelta(days=weekday or 7), time(10, 0), tzinfo=UTC)
            upcoming = SupervisionSession(
                team_id=team_id,
                scheduled_for=when,
                duration_minutes=90,
                recurs_weekly=True,
                status="planned",
                facilitator_id=supervisor,
                created_by_id=supervisor,
                created_at=when - timedelta(days=7),
            )
            s.add(upcoming)
            s.flush()
            _bulk(
                s,
                SessionAttendee,
                [{"session_id": upcoming.id, "person_id": pid, "attendance": "expected"} for pid in staff],
            )
            sessions_total += 1
        report(t_index + 1, TEAMS, started)
    if report is _progress:
        sys.stdout.write("\n")
    with session_scope() as s:
        cases = len(s.exec(select(Case.id)).all())
    return CountySummary(
        TEAMS, people_total, cases, sessions_total, (datetime.now(UTC) - started).total_seconds()
    )
