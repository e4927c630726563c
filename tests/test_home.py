"""Home's read model on the demo team: each role sees its own week and nothing of another team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col

from db import accounts, home
from db.access import Actor
from db.clock import utcnow
from db.seed.demo import DEMO_PASSWORD, load_demo


def _actor(username: str) -> Actor:
    result = accounts.sign_in(username, DEMO_PASSWORD)
    assert result.ok
    actor = accounts.actor_for_token(result.token)
    assert actor is not None
    return actor


@pytest.fixture
def demo(db: str) -> None:
    load_demo()


def test_practitioner_sees_own_team_cases_and_holdings(demo: None) -> None:
    view = home.week(_actor("priya"))
    assert [s.team_name for s in view.next_sessions] == ["Riverside Early Help"]
    assert view.next_sessions[0].scheduled_for - utcnow() < timedelta(days=7)
    assert view.my_cases and all(c.team_name == "Riverside Early Help" for c in view.my_cases)
    assert all(c.status != "closed" for c in view.my_cases)
    assert view.holding, "the demo gives Priya at least one worry held with the team"
    assert all(len(r.holders) >= 2 and "Priya Shah" in r.holders for r in view.holding)
    assert view.teams == ()


def test_other_team_sees_nothing_of_riverside(demo: None) -> None:
    riverside_refs = {c.reference for c in home.week(_actor("priya")).my_cases}
    view = home.week(_actor("grace"))
    assert {t.team_name for t in view.teams} == {"Northgate Family Support"}
    assert all(s.team_name == "Northgate Family Support" for s in view.next_sessions)
    seen = {c.reference for c in view.my_cases} | set().union(*(t.not_discussed for t in view.teams))
    assert not seen & riverside_refs


def test_supervisor_sees_the_team_week(demo: None) -> None:
    view = home.week(_actor("hannah"))
    (team,) = view.teams
    assert team.team_name == "Riverside Early Help"
    assert 20 <= team.open_cases <= 30
    assert team.risks_held >= 1 and team.sessions_last_4_weeks >= 3
    assert any(r.overdue(view.today) for r in team.reviews_due)


def test_manager_sees_both_teams_but_no_personal_lists(demo: None) -> None:
    view = home.week(_actor("marcus"))
    assert {t.team_name for t in view.teams} == {"Riverside Early Help", "Northgate Family Support"}
    assert view.my_cases == () and view.holding == () and view.next_sessions == ()


def test_trainer_and_admin_see_no_case_records(demo: None) -> None:
    trainer = home.week(_actor("ruth"))
    assert trainer.cohorts and not trainer.my_cases and not trainer.teams and not trainer.next_sessions
    admin = home.week(_actor("alex"))
    assert admin.admin is not None and admin.admin.teams == 2
    assert not admin.my_cases and not admin.teams and not admin.next_sessions


def test_a_held_worry_opens_from_home(sqlite_db: str) -> None:
    from tests.conftest import app_for

    load_demo()
    token = accounts.sign_in("priya", DEMO_PASSWORD).token
    at = app_for(token)
    first = next(b for b in at.button if b.key and b.key.startswith("home_risk_"))
    thread = first.key.removeprefix("home_risk_")  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    first.click().run()
    assert not at.exception
    assert at.session_state["risk_thread"] == thread


def test_the_team_week_names_exactly_the_cases_not_talked_about_lately(demo: None) -> None:
    """Checked against every held session's agenda, however old: a case is named when its
    last talk in a held session is older than the team's nudge (or it has never had one)."""
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import AgendaItem, Case, SupervisionSession, Team

    view = home.week(_actor("hannah"))
    (team,) = view.teams
    cutoff = view.today - timedelta(weeks=team.not_discussed_weeks)
    with session_scope() as s:
        last: dict[int, object] = {}
        for case_id, at in s.exec(
            select(AgendaItem.case_id, SupervisionSession.scheduled_for)
            .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
            .where(SupervisionSession.status == "closed")
        ).all():
            if case_id is not None:
                last[case_id] = max(last.get(case_id, at), at)  # type: ignore[call-overload]  # the dict holds datetimes only; mypy widened it to object
        team_id = s.exec(select(Team.id).where(Team.name == team.team_name)).one()
        expected = sorted(
            c.reference
            for c in s.exec(select(Case).where(Case.team_id == team_id, Case.status != "closed")).all()
            if c.id not in last or last[c.id].date() < cutoff  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
    assert list(team.not_discussed) == expected
    assert 0 < len(expected) < team.open_cases, "the demo has cases on both sides of the line"
