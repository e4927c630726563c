"""A team for the notification, mail, calendar and case-file tests: a supervisor, two
practitioners (with email addresses), a practitioner of another team, a manager, and a case
whose every text is recognisable, so a test can prove none of it leaves in a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from db import clock, notifications, sessions
from db.engine import session_scope
from db.models import Case
from db.risk_log import RiskDraft
from tests import factories

# Words that must never appear in a message: the case's reference and every text typed about it.
REFERENCE = "ZQ-4417"
SECRETS = {
    "reference": REFERENCE,
    "ask": "Thornbury family: how do we stay alongside Ellie-Mae when Mum says no",
    "notes": "Ellie-Mae told Priya about the Saturday argument",
    "summary": "Team agreed to keep Saturday visits with Nan Thornbury going",
    "worry": "Ellie-Mae goes missing from Nan Thornbury's on Saturdays",
    "decision": "Hold it together with Nan, ask Ellie-Mae who she trusts",
    "action": "Ring Ellie-Mae's school about the Saturday club",
    "check_in": "Ellie-Mae laughed at my Saturday joke",
}


@dataclass
class World:
    team_id: int
    other_team_id: int
    case_id: int
    sup: factories.Someone
    pat: factories.Someone
    zoe: factories.Someone
    nia: factories.Someone  # another team
    max: factories.Someone  # the team's manager


def build(*, emails: bool = True) -> World:
    riverside = factories.team("Riverside Early Help")
    other = factories.team("Northgate")
    sup = factories.person("sam", "supervisor", {riverside: "supervisor"})
    pat = factories.person("pat", "practitioner", {riverside: "practitioner"})
    zoe = factories.person("zoe", "practitioner", {riverside: "practitioner"})
    nia = factories.person("nia", "practitioner", {other: "practitioner"})
    mgr = factories.person("max", "manager", {riverside: "manager"})
    with session_scope(write=True) as s:
        case = Case(team_id=riverside, reference=REFERENCE, lead_practitioner_id=pat.person_id)
        s.add(case)
        s.flush()
        case_id = int(case.id)
    if emails:
        for someone in (sup, pat, zoe, nia, mgr):
            notifications.save_choices(
                someone.actor(), email=f"{someone.username}@example.org", chosen={}, version=0
            )
    return World(riverside, other, case_id, sup, pat, zoe, nia, mgr)


def plan(w: World, day: date | None = None, at: time = time(10)) -> int:
    day = day or clock.today() + timedelta(days=3)
    return sessions.plan(w.sup.actor(), w.team_id, day=day, start=at, duration_minutes=90)


def draft(
    w: World, holders: tuple[int, ...], *, review_in: int = 14, session_id: int | None = None
) -> RiskDraft:
    return RiskDraft(
        worry=SECRETS["worry"],
        whose_risk="both",
        whose_risk_reasoning="Some of it is our own worry.",
        keeping_safe="Nan's on Fridays.",
        decision=SECRETS["decision"],
        decision_reasons="She trusts Nan.",
        worry_before=7,
        worry_after=4,
        holder_ids=holders,
        review_on=clock.today() + timedelta(days=review_in),
        case_id=w.case_id,
        raised_by_id=w.pat.person_id,
        session_id=session_id,
    )
