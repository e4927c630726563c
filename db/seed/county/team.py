"""A county team's people, cases and mappings, a closed session every week of its history
and next week's planned one; and what the other parts share (the span of history, the team
being seeded, bulk inserts, the words from db/seed/content/county.json)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, col, select

from db import clock
from db.models import (
    Case,
    CaseMapping,
    CaseMappingRevision,
    Membership,
    Person,
    SessionAttendee,
    SupervisionSession,
)
from db.seed import read_content

PRACTITIONERS_PER_TEAM = 9
CASES_PER_TEAM = 100
WORDS = read_content("county")
_UNUSED_MAPPING_FIELDS = (
    "danger_statement",
    "safety_goal",
    "presenting",
    "predisposing",
    "precipitating",
    "perpetuating",
    "protective",
    "plan",
)


@dataclass(frozen=True)
class Span:
    """The history the data set covers: `weeks` weeks from `first_day` up to `today`."""

    today: date
    first_day: date
    weeks: int


@dataclass(frozen=True)
class CountyTeam:
    """The team being seeded, and what every part of it needs to hand."""

    s: Session
    rng: random.Random
    span: Span
    index: int  # 0-based, in the county's order
    team_id: int
    staff: list[int]  # the supervisor first, then the practitioners

    @property
    def supervisor(self) -> int:
        return self.staff[0]

    @property
    def practitioners(self) -> list[int]:
        return self.staff[1:]


def bulk(s: Session, model: type, rows: list[dict]) -> None:
    if rows:
        s.execute(insert(model), rows)


def add_staff(s: Session, t_index: int, team_id: int, password: str, rng: random.Random) -> list[int]:
    staff: list[int] = []
    for k in range(PRACTITIONERS_PER_TEAM + 1):
        role = "supervisor" if k == 0 else "practitioner"
        p = Person(
            username=f"t{t_index + 1:02d}{'sup' if k == 0 else f'p{k}'}",
            display_name=f"{rng.choice(WORDS['first_names'])} {rng.choice(WORDS['last_names'])}",
            role=role,
            password_hash=password,
        )
        s.add(p)
        s.flush()
        staff.append(p.id)
        s.add(Membership(team_id=team_id, person_id=p.id, role=role))
    return staff


def add_cases(team: CountyTeam) -> list[int]:
    rng, span, t_index, practitioners = team.rng, team.span, team.index, team.practitioners
    case_rows = [
        {
            "team_id": team.team_id,
            "reference": f"{chr(65 + t_index % 26)}{chr(65 + (t_index + c) % 26)}-{1000 + c}",
            "status": rng.choice(("new", "active", "active", "stuck", "stepping_down")),
            "lead_practitioner_id": practitioners[c % len(practitioners)],
            "best_relationship_person_id": rng.choice(practitioners) if rng.random() < 0.4 else None,
            "opened_on": span.first_day + timedelta(days=rng.randint(0, span.weeks * 7)),
            "next_review_on": span.today + timedelta(days=rng.randint(-10, 60)),
            "created_at": clock.utcnow(),
            "updated_at": clock.utcnow(),
            "version": 1,
        }
        for c in range(CASES_PER_TEAM)
    ]
    bulk(team.s, Case, case_rows)
    return list(team.s.exec(select(Case.id).where(Case.team_id == team.team_id).order_by(col(Case.id))).all())


def add_mappings(team: CountyTeam, case_ids: list[int]) -> None:
    rng, now = team.rng, clock.utcnow()
    mapping_rows = [
        {
            "case_id": cid,
            "worries": rng.choice(WORDS["worries"]),
            "working_well": rng.choice(WORDS["working_well"]),
            "needs_to_happen": WORDS["needs_to_happen"],
            "scale": rng.randint(3, 8),
            "updated_at": now,
            "updated_by_id": team.supervisor,
            "version": 1,
            **dict.fromkeys(_UNUSED_MAPPING_FIELDS, ""),
        }
        for cid in case_ids
    ]
    bulk(team.s, CaseMapping, mapping_rows)
    revisions = [
        {"case_id": cid, "version": 1, "saved_by_id": team.supervisor, "saved_at": now, "snapshot": "{}"}
        for cid in case_ids
    ]
    bulk(team.s, CaseMappingRevision, revisions)


def add_sessions(team: CountyTeam) -> list[tuple[int, datetime]]:
    """One a week on the team's weekday, all held and closed; returns (id, when), in order."""
    span, supervisor = team.span, team.supervisor
    weekday = team.index % 5
    session_rows = []
    for w in range(span.weeks):
        day = span.first_day + timedelta(weeks=w, days=weekday)
        if day >= span.today:
            break
        when = datetime.combine(day, time(10, 0), tzinfo=UTC)
        session_rows.append(
            {
                "team_id": team.team_id,
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
    bulk(team.s, SupervisionSession, session_rows)
    return list(
        team.s.exec(
            select(SupervisionSession.id, SupervisionSession.scheduled_for)
            .where(SupervisionSession.team_id == team.team_id)
            .order_by(col(SupervisionSession.scheduled_for))
        ).all()
    )


def plan_next_week(team: CountyTeam) -> None:
    """Next week's session is planned, everyone expected, as a real team's would be."""
    weekday = team.index % 5
    when = datetime.combine(team.span.today + timedelta(days=weekday or 7), time(10, 0), tzinfo=UTC)
    upcoming = SupervisionSession(
        team_id=team.team_id,
        scheduled_for=when,
        duration_minutes=90,
        recurs_weekly=True,
        status="planned",
        facilitator_id=team.supervisor,
        created_by_id=team.supervisor,
        created_at=when - timedelta(days=7),
    )
    team.s.add(upcoming)
    team.s.flush()
    bulk(
        team.s,
        SessionAttendee,
        [{"session_id": upcoming.id, "person_id": pid, "attendance": "expected"} for pid in team.staff],
    )
