"""Insights on small hand-built fixtures, on SQLite and PostgreSQL: figures match what a
person would work out by hand, scope holds, and the minimum-group rule hides small groups."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from pypdf import PdfReader

from db import insights, insights_report
from db.engine import session_scope
from db.errors import NotAllowed
from db.exports import safe_cell, to_csv
from db.models import (
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SessionAttendee,
    SupervisionSession,
)
from tests import factories

MONTH = date(2026, 3, 1)


def _at(day: int) -> datetime:
    return datetime.combine(MONTH.replace(day=day), time(10), tzinfo=UTC)


@pytest.fixture
def world(db: str) -> dict:
    riverside, northgate = factories.team("Riverside"), factories.team("Northgate")
    sup = factories.person("sam", "supervisor", {riverside: "supervisor"})
    staff = [factories.person(f"p{i}", "practitioner", {riverside: "practitioner"}) for i in range(3)]
    manager = factories.person("max", "manager", {riverside: "manager"})
    other_manager = factories.person("meg", "manager", {northgate: "manager"})
    pat = factories.person("pat", "practitioner", {riverside: "practitioner"})
    with session_scope(write=True) as s:
        case = Case(team_id=riverside, reference="JT-07", lead_practitioner_id=staff[0].person_id)
        s.add(case)
        s.flush()
        one = SupervisionSession(
            team_id=riverside, scheduled_for=_at(3), status="closed", facilitator_id=sup.person_id
        )
        two = SupervisionSession(
            team_id=riverside, scheduled_for=_at(10), status="closed", facilitator_id=sup.person_id
        )
        s.add_all([one, two])
        s.flush()
        # Session one: three people arrive (6, 7, 8): average 7. Session two: only two (4, 6).
        for person, score in zip(staff, (6, 7, 8), strict=True):
            s.add(
                ArrivalCheckIn(
                    session_id=one.id, person_id=person.person_id, score=score, entered_by_id=person.person_id
                )
            )
            s.add(
                ClosingCheckIn(
                    session_id=one.id,
                    person_id=person.person_id,
                    felt_heard=9,
                    helped_my_work=8,
                    held_my_worries=7,
                )
            )
            s.add(SessionAttendee(session_id=one.id, person_id=person.person_id, attendance="present"))
        s.add(SessionAttendee(session_id=one.id, person_id=pat.person_id, attendance="apologies"))
        for person, score in zip(staff[:2], (4, 6), strict=True):
            s.add(
                ArrivalCheckIn(
                    session_id=two.id, person_id=person.person_id, score=score, entered_by_id=person.person_id
                )
            )
        # Check-ins: trust 8 then 6 in the same month (average 7); 7 in April.
        for day, trust in ((3, 8), (10, 6)):
            s.add(
                RelationshipCheckIn(
                    case_id=case.id,
                    practitioner_id=staff[0].person_id,
                    session_id=one.id,
                    trust=trust,
                    feel_heard=5,
                    what_matters=5,
                    hope=5,
                    working_well="We walk and talk.",
                    created_at=_at(day),
                )
            )
        s.add(
            RelationshipCheckIn(
                case_id=case.id,
                practitioner_id=staff[0].person_id,
                trust=5,
                feel_heard=5,
                what_matters=5,
                hope=5,
                created_at=datetime(2026, 4, 2, 10, tzinfo=UTC),
            )
        )
        # Agenda time: 30 minutes reflection, 10 case management.
        s.add(
            AgendaItem(
                session_id=one.id,
                case_id=case.id,
                brought_by_id=staff[0].person_id,
                ask="Help me",
                kind="reflection",
                time_box_minutes=30,
            )
        )
        s.add(
            AgendaItem(
                session_id=one.id,
                case_id=case.id,
                brought_by_id=staff[1].person_id,
                ask="Dates",
                kind="case_management",
                time_box_minutes=10,
            )
        )
        # Actions due before today: one done on time, one done late, one dropped.
        for status, completed in (
            ("done", MONTH + timedelta(days=5)),
            ("done", MONTH + timedelta(days=20)),
            ("dropped", None),
        ):
            s.add(
                Action(
                    team_id=riverside,
                    session_id=one.id,
                    description="x",
                    owner_id=staff[0].person_id,
                    due_on=MONTH + timedelta(days=10),
                    status=status,
                    completed_on=completed,
                    created_at=_at(3),
                )
            )
        # Two risks: worry 8 -> 4 and 6 -> 4; one reviewed on time "better than feared" and closed.
        for thread, whose, before, after in (
            ("t1", "young_person", 8, 4),
            ("t2", "professional_anxiety", 6, 4),
        ):
            s.add(
                RiskEntry(
                    thread_id=thread,
                    team_id=riverside,
                    case_id=case.id,
                    raised_by_id=staff[0].person_id,
                    worry="w",
                    whose_risk=whose,
                    review_on=MONTH + timedelta(days=20),
                    worry_before=before,
                    worry_after=after,
                    created_by_id=staff[0].person_id,
                    created_at=_at(3),
                )
            )
        s.add(
            RiskReview(
                thread_id="t1",
                reviewed_by_id=sup.person_id,
                reviewed_at=_at(15),
                what_happened="better_than_feared",
                what_we_learned="Nan was the right person.",
                next_step="close",
            )
        )
    return {
        "riverside": riverside,
        "northgate": northgate,
        "sup": sup,
        "manager": manager,
        "other_manager": other_manager,
        "pat": pat,
        "staff": staff,
    }


def _filters(world: dict, **more) -> insights.Filters:
    # Longer than 16 weeks, so figures are by month.
    return insights.Filters((world["riverside"],), date(2026, 1, 1), date(2026, 4, 30), **more)


def test_relationships_average_per_month_and_flag_drops(world: dict) -> None:
    frame = insights.relationships(world["manager"].actor(), _filters(world))
    trust = frame[frame["item"] == "Trust between us"].sort_values("period")
    assert list(trust["score"]) == [7.0, 5.0]
    assert list(trust["dropped"]) == [False, True]
    assert set(frame["team"]) == {"Riverside"}


def test_wellbeing_only_for_three_or_more_people(world: dict) -> None:
    held = insights.feeling_held(
        world["manager"].actor(),
        insights.Filters((world["riverside"],), date(2025, 12, 1), date(2026, 3, 31)),
    )
    # Monthly: five arrivals from three people in March -> (6+7+8+4+6)/5.
    assert list(held["arrival"]["score"]) == [6.2]
    weekly = insights.feeling_held(
        world["manager"].actor(), insights.Filters((world["riverside"],), date(2026, 3, 1), date(2026, 3, 14))
    )
    # Week by week, the second session had only two people: it is left out.
    assert list(weekly["arrival"]["score"]) == [7.0]
    assert set(weekly["closing"]["score"]) == {9.0, 8.0, 7.0}
    worry = held["worry"].set_index("when")["worry"]
    assert worry["Before the team's discussion"] == 7.0 and worry["After"] == 4.0


def test_risks_rhythm_and_drift(world: dict) -> None:
    actor, f = world["manager"].actor(), _filters(world)
    risk = insights.risks(actor, f)
    assert dict(zip(risk["opened"]["whose"], risk["opened"]["risks"], strict=True)) == {
        "Risk to the young person": 1,
        "Professional anxiety": 1,
    }
    assert risk["outcomes"].to_dict("records") == [{"outcome": "Better than feared", "reviews": 1}]
    assert risk["on_time"].to_dict("records") == [{"reviews": 1, "on_time": 1}]
    assert list(risk["closed"]["risks"]) == [1]
    beat = insights.rhythm(actor, f, today=date(2026, 5, 1))
    assert list(beat["held"]["sessions"]) == [2]
    assert beat["attendance"].iloc[0]["rate"] == 75.0  # 3 present of 4 recorded
    assert beat["actions"].iloc[0]["rate"] == pytest.approx(33.3)  # 1 of 3 done by its date
    assert beat["not_discussed"].to_dict("records") == [{"team": "Riverside", "cases": 1}]
    drift = insights.drift(actor, f).set_index("kind")["share"]
    assert drift["Reflection"] == 75.0 and drift["Case management"] == 25.0
    stories = insights.stories(actor, f)
    assert (
        stories["working"][0].text == "We walk and talk." and stories["working"][0].case_reference == "JT-07"
    )
    assert stories["learned"][0].text == "Nan was the right person."


def test_scope(world: dict) -> None:
    with pytest.raises(NotAllowed):
        insights.relationships(world["other_manager"].actor(), _filters(world))
    for who in ("pat",):
        with pytest.raises(NotAllowed):
            insights.scope(world[who].actor())
    # Only a supervisor looks at one practitioner, and only their own team's.
    with pytest.raises(NotAllowed):
        insights.relationships(
            world["manager"].actor(), _filters(world, practitioner_id=world["staff"][0].person_id)
        )
    mine = insights.relationships(
        world["sup"].actor(), _filters(world, practitioner_id=world["staff"][0].person_id)
    )
    assert not mine.empty
    with pytest.raises(NotAllowed):
        insights.relationships(
            world["sup"].actor(), _filters(world, practitioner_id=world["manager"].person_id)
        )


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_every_dangerous_prefix(prefix: str) -> None:
    cell = f"{prefix}SUM(A1:A2)"
    assert safe_cell(cell) == "'" + cell
    assert f"'{prefix}SUM".encode() in to_csv(["h"], [[cell]])
    assert safe_cell("A calm note") == "A calm note"


def test_pdf_report_holds_every_chart_and_title(world: dict) -> None:
    from components.insight_charts import for_report, pictures, title_of

    actor, f = world["manager"].actor(), _filters(world)
    pdf = insights_report.pdf(actor, f, ["Riverside"], pictures)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    titles = [title_of(c) for c in for_report(insights.everything(actor, f))]
    assert len(titles) == 11 and all(titles)
    for title in titles:
        assert " ".join(title.split()[:4]) in " ".join(text.split()), title
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(titles)
    assert "Nan was the right person." in text
    body = insights_report.csv(actor, f).decode("utf-8-sig")
    assert body.startswith("section,") and "relationships" in body


def test_the_insights_screen_prepares_both_exports_for_a_manager(sqlite_db: str) -> None:
    from db import accounts
    from db.seed.demo import DEMO_PASSWORD, load_demo
    from tests.conftest import app_for

    load_demo()
    at = app_for(accounts.sign_in("marcus", DEMO_PASSWORD).token).switch_page("pages/insights.py").run()
    assert not at.exception
    assert not at.get("download_button")  # nothing is built until asked for
    at.button(key="insights_csv_prepare").click().run(timeout=60)
    at.button(key="insights_pdf_prepare").click().run(timeout=120)
    assert not at.exception
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["Download circle-insights.csv", "Download circle-insights.pdf"]
