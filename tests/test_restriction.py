"""Restriction of processing: one rule (db/restriction.py) keeps a restricted case or worry
out of every screen's read model and turns down every write that touches it, until an
administrator lifts it. Each test first shows the record where it belongs (or lifts the
restriction and sees it come back), so it could not pass by looking at an empty screen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db import case_board, data_protection, home, insights, risk_log, session_record, sessions
from db.errors import NotAllowed
from tests import permission_grid as grid

TODAY = grid.TODAY
ASK = "Ask-about-RS99-only"
WELL = "Working-well-RS99-only"
ACTION = "Action-RS99-only"
WORRY = "Worry-RS99-only: staying out late."


@pytest.fixture
def world(db: str) -> grid.World:
    return grid.build_world()


def _everything_about_a_case(world: grid.World) -> int:
    team = world.teams["own"]
    sup, prac = team.supervisor.actor(), team.practitioner.actor()
    case_id = case_board.create_case(sup, team.id, reference="RS-99", lead_id=prac.person_id)
    sessions.bring(prac, team.session, case_id=case_id, ask=ASK)
    sessions.record_check_in(
        prac,
        team.session,
        case_id,
        scores={"trust": 7, "feel_heard": 7, "what_matters": 7, "hope": 7},
        working_well=WELL,
    )
    sessions.add_action(
        sup,
        team.session,
        description=ACTION,
        owner_id=prac.person_id,
        due_on=TODAY + timedelta(days=3),
        case_id=case_id,
    )
    risk_log.create_entry(
        sup, team.id, grid._draft(team, case_id=case_id, worry=WORRY, review_on=TODAY + timedelta(days=2))
    )
    return case_id


def _what_the_team_sees(world: grid.World) -> str:
    """Every read model a team member reaches, flattened to text."""
    team = world.teams["own"]
    sup, prac = team.supervisor.actor(), team.practitioner.actor()
    seen = [
        home.week(prac),
        home.week(sup),
        case_board.board(prac, team.id),
        risk_log.team_log(prac, team.id),
        risk_log.holding_now(prac, team.id),
        risk_log.my_holdings(prac),
        risk_log.filter_choices(prac, team.id),
        risk_log.form_options(prac, team.id),
        sessions.team_cases(prac, team.id),
        session_record.record(prac, team.session),
        session_record.csv(prac, team.session).decode(),
        insights.stories(sup, grid._filters(world, "own")),
    ]
    return "\n".join(repr(x) for x in seen)


def _counts(world: grid.World) -> tuple[int, ...]:
    team = world.teams["own"]
    sup = team.supervisor.actor()
    week = home.week(sup).teams[0]
    board = case_board.board(sup, team.id)
    return (
        week.open_cases,
        week.risks_held,
        week.open_actions,
        board.total,
        sum(board.status_counts.values()),
        int(insights.relationships(sup, grid._filters(world, "own"))["n"].sum() or 0),
    )


def test_a_restricted_case_appears_nowhere_and_comes_back_when_lifted(world: grid.World) -> None:
    case_id = _everything_about_a_case(world)
    before = _what_the_team_sees(world)
    counts_before = _counts(world)
    for text in ("RS-99", ASK, WELL, ACTION, WORRY):
        assert text in before, text

    admin = world.admin2.actor()
    restriction_id = data_protection.restrict(admin, "case", case_id, reason="Accuracy contested")
    during = _what_the_team_sees(world)
    for text in ("RS-99", ASK, WELL, ACTION, WORRY):
        assert text not in during, text
    counts_during = _counts(world)
    assert all(d < b for d, b in zip(counts_during, counts_before, strict=True)), (
        counts_during,
        counts_before,
    )
    # The administrator still sees that it is there, to lift it.
    assert [r.record_id for r in data_protection.restrictions(admin)] == [str(case_id)]

    data_protection.lift_restriction(admin, restriction_id)
    assert _what_the_team_sees(world) == before
    assert _counts(world) == counts_before


def test_nothing_can_be_added_to_or_read_from_a_restricted_case(world: grid.World) -> None:
    case_id = _everything_about_a_case(world)
    team = world.teams["own"]
    sup, prac = team.supervisor.actor(), team.practitioner.actor()
    assert len(sessions.check_in_history(prac, case_id)) == 1
    data_protection.restrict(world.admin2.actor(), "case", case_id, reason="Accuracy contested")
    attempts = {
        "history": lambda: sessions.check_in_history(prac, case_id),
        "bring": lambda: sessions.bring(prac, team.session, case_id=case_id, ask="Again"),
        "check-in": lambda: sessions.record_check_in(
            prac, None, case_id, scores={"trust": 5, "feel_heard": 5, "what_matters": 5, "hope": 5}
        ),
        "worry": lambda: risk_log.create_entry(sup, team.id, grid._draft(team, case_id=case_id)),
        "case log": lambda: risk_log.case_log(prac, case_id),
        "update": lambda: case_board.update_case(
            sup,
            case_id,
            status="stuck",
            lead_id=prac.person_id,
            best_id=None,
            next_review_on=None,
            version=1,
        ),
        "rename": lambda: case_board.rename_case(sup, case_id, reference="RS-100", version=1),
    }
    for name, attempt in attempts.items():
        with pytest.raises(NotAllowed, match="restricted") as refused:
            attempt()
        assert "administrator can tell you more" in refused.value.message, name


def test_a_restricted_worry_leaves_the_log_home_and_insights(world: grid.World) -> None:
    team = world.teams["own"]
    sup, prac = team.supervisor.actor(), team.practitioner.actor()
    thread = risk_log.create_entry(sup, team.id, grid._draft(team, worry=WORRY))
    stamp = risk_log.thread(sup, thread).stamp
    risk_log.review(
        sup,
        thread,
        what_happened="better_than_feared",
        what_we_learned="Learned-RS99-only",
        next_step="keep_holding",
        next_review_on=TODAY + timedelta(days=3),
        stamp=stamp,
    )

    def seen() -> str:
        return repr(
            (
                home.week(prac),
                home.week(sup),
                risk_log.team_log(prac, team.id),
                risk_log.case_log(prac, team.case),
                risk_log.holding_now(prac, team.id),
                insights.stories(sup, grid._filters(world, "own")),
                insights.risks(sup, grid._filters(world, "own"))["opened"].to_dict(),
            )
        )

    before = seen()
    assert WORRY in before and "Learned-RS99-only" in before
    admin = world.admin2.actor()
    rid = data_protection.restrict(admin, "risk_thread", thread, reason="Accuracy contested")
    during = seen()
    assert WORRY not in during and "Learned-RS99-only" not in during
    with pytest.raises(NotAllowed, match="restricted"):
        risk_log.review(
            sup,
            thread,
            what_happened="as_feared",
            what_we_learned="",
            next_step="close",
            next_review_on=None,
            stamp=stamp,
        )
    data_protection.lift_restriction(admin, rid)
    assert seen() == before
