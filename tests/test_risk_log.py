"""The risk-holding log's data layer, on SQLite and PostgreSQL: naming, correcting, reviewing,
agreeing and closing worries; revisions keep the original; scope by role and team; the
team's log filtered and paged in the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import col, func, select

from db import risk_log
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import AuditEvent, Case, Membership, RiskEntry, RiskHolder, RiskReview
from db.risk_log import LogFilters, RiskDraft
from tests import factories

TODAY = utcnow().date()


def _case(team_id: int, reference: str, lead: int, status: str = "active") -> int:
    with session_scope(write=True) as s:
        case = Case(team_id=team_id, reference=reference, lead_practitioner_id=lead, status=status)
        s.add(case)
        s.flush()
        return int(case.id)


@pytest.fixture
def riverside(db: str) -> dict:
    team = factories.team("Riverside")
    other = factories.team("Northgate")
    people = {
        "pat": factories.person("pat", "practitioner", {team: "practitioner"}),
        "quinn": factories.person("quinn", "practitioner", {team: "practitioner"}),
        "sam": factories.person("sam", "supervisor", {team: "supervisor"}),
        "max": factories.person("max", "manager", {team: "manager", other: "manager"}),
        "nia": factories.person("nia", "practitioner", {other: "practitioner"}),
        "tia": factories.person("tia", "trainer", {team: "practitioner"}),
        "ada": factories.person("ada", "admin"),
    }
    case = _case(team, "JT-07", people["pat"].person_id)
    return {"team": team, "other": other, "case": case, **people}


def _draft(w: dict, **changes: object) -> RiskDraft:
    base = RiskDraft(
        worry="J has said he'll stop going to school if he's excluded.",
        whose_risk="both",
        whose_risk_reasoning="School's worry is driving some of this; the rest is J losing his routine.",
        reasonable_for_age="Walking out of lessons when overwhelmed is common at 14.",
        family_view="Mum wants him in school and feels blamed.",
        keeping_safe="Boxing with Jack; Mum at home after four.",
        decision="Ask school for a reduced timetable and hold this together.",
        decision_reasons="It keeps the one routine J still has.",
        holder_ids=(w["pat"].person_id, w["sam"].person_id),
        review_on=TODAY + timedelta(days=14),
        case_id=w["case"],
        raised_by_id=w["pat"].person_id,
        worry_before=7,
        worry_after=4,
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built


def _new(w: dict, who: str = "pat", **changes: object) -> str:
    return risk_log.create_entry(w[who].actor(), w["team"], _draft(w, **changes))


def test_naming_a_worry_records_everything_with_its_holders(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["quinn"].actor(), thread_id)
    assert detail.is_open and len(detail.revisions) == 1
    now = detail.current
    assert now.case_reference == "JT-07" and now.raised_by == "Pat Example"
    assert set(now.holders) == {"Pat Example", "Sam Example"}
    assert (now.worry_before, now.worry_after, now.whose_risk) == (7, 4, "both")
    assert detail.next_review_on == TODAY + timedelta(days=14)
    with session_scope() as s:
        events = s.exec(select(AuditEvent.action).where(AuditEvent.action == "risk.create")).all()
        assert events == ["risk.create"]


def test_a_team_level_worry_needs_no_family(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w, case_id=None, reasonable_for_age="")
    assert risk_log.thread(w["pat"].actor(), thread_id).case_reference is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"worry": "   "}, "worry"),
        ({"whose_risk": None}, "whose_risk"),
        ({"whose_risk_reasoning": ""}, "whose_risk_reasoning"),
        ({"decision": ""}, "decision"),
        ({"worry_before": None}, "worry_before"),
        ({"worry_after": 11}, "worry_after"),
        ({"review_on": None}, "review_on"),
        ({"review_on": TODAY}, "review_on"),
        ({"review_on": TODAY - timedelta(days=1)}, "review_on"),
        ({"review_on": TODAY + timedelta(days=400)}, "review_on"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    riverside: dict, changes: dict, field: str
) -> None:
    with pytest.raises(NotValid) as refused:
        _new(riverside, **changes)
    assert field in refused.value.problems
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(RiskEntry)).one() == 0


def test_nobody_holds_a_worry_alone(riverside: dict) -> None:
    w = riverside
    with pytest.raises(NotValid) as refused:
        _new(w, holder_ids=(w["pat"].person_id, w["pat"].person_id))
    assert "at least two" in refused.value.problems["holder_ids"]


def test_holders_must_be_current_members_of_the_team(riverside: dict) -> None:
    w = riverside
    with pytest.raises(NotValid) as refused:
        _new(w, holder_ids=(w["pat"].person_id, w["nia"].person_id))
    assert "Nia Example" in refused.value.problems["holder_ids"]
    with session_scope(write=True) as s:
        quinn = s.exec(select(Membership).where(Membership.person_id == w["quinn"].person_id)).one()
        quinn.left_on = TODAY
        s.add(quinn)
    with pytest.raises(NotValid) as refused:
        _new(w, holder_ids=(w["pat"].person_id, w["quinn"].person_id))
    assert "holder_ids" in refused.value.problems


def test_a_case_and_a_session_must_be_the_teams_own(riverside: dict) -> None:
    w = riverside
    elsewhere = _case(w["other"], "NG-1", w["nia"].person_id)
    with pytest.raises(NotValid) as refused:
        _new(w, case_id=elsewhere)
    assert "case_id" in refused.value.problems


def test_a_correction_is_a_new_revision_and_the_original_stays(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["sam"].actor(), thread_id)
    corrected = replace(
        detail.current.as_draft(),
        family_view="Mum wants him in school; she asked for help with the school meeting.",
        holder_ids=(w["pat"].person_id, w["sam"].person_id, w["quinn"].person_id),
    )
    assert risk_log.revise(w["sam"].actor(), thread_id, corrected, stamp=detail.stamp) == 2
    after = risk_log.thread(w["pat"].actor(), thread_id)
    assert [r.revision for r in after.revisions] == [1, 2]
    assert after.original.family_view == "Mum wants him in school and feels blamed."
    assert len(after.original.holders) == 2 and len(after.current.holders) == 3
    assert after.current.created_by == "Sam Example" and after.original.created_by == "Pat Example"
    assert set(after.current.changed) == {"What the young person and family say", "Who holds it"}
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(RiskEntry)).one() == 2


def test_a_correction_on_a_stale_copy_is_refused_and_names_who_changed_it(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    stale = risk_log.thread(w["pat"].actor(), thread_id)
    risk_log.revise(
        w["sam"].actor(),
        thread_id,
        replace(stale.current.as_draft(), decision="Something else"),
        stamp=stale.stamp,
    )
    with pytest.raises(EditConflict) as conflict:
        risk_log.revise(
            w["pat"].actor(), thread_id, replace(stale.current.as_draft(), worry="Changed"), stamp=stale.stamp
        )
    assert "Sam Example" in conflict.value.message
    assert len(risk_log.thread(w["pat"].actor(), thread_id).revisions) == 2


def test_saving_an_unchanged_correction_says_so(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    with pytest.raises(NotValid) as refused:
        risk_log.revise(w["pat"].actor(), thread_id, detail.current.as_draft(), stamp=detail.stamp)
    assert "Nothing has changed" in refused.value.problems["thread"]


def test_keep_holding_moves_the_review_date_without_a_new_revision(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    later = TODAY + timedelta(days=21)
    risk_log.review(
        w["pat"].actor(),
        thread_id,
        what_happened="better_than_feared",
        what_we_learned="J kept to the timetable.",
        next_step="keep_holding",
        next_review_on=later,
        stamp=detail.stamp,
    )
    after = risk_log.thread(w["pat"].actor(), thread_id)
    assert len(after.revisions) == 1 and after.next_review_on == later and after.is_open
    assert after.reviews[0].what_we_learned == "J kept to the timetable."
    (held,) = risk_log.holding_now(w["pat"].actor(), w["team"]).risks
    assert held.next_review_on == later


def test_changing_the_plan_writes_a_new_revision(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    later = TODAY + timedelta(days=10)
    risk_log.review(
        w["sam"].actor(),
        thread_id,
        what_happened="worse_than_feared",
        what_we_learned="School excluded him for a day anyway.",
        next_step="change_plan",
        next_review_on=later,
        new_plan="Jack picks J up on excluded days; Mum has the hub's number.",
        stamp=detail.stamp,
    )
    after = risk_log.thread(w["pat"].actor(), thread_id)
    assert [r.revision for r in after.revisions] == [1, 2]
    assert after.current.keeping_safe.startswith("Jack picks J up")
    assert after.original.keeping_safe == "Boxing with Jack; Mum at home after four."
    assert after.current.review_on == later == after.next_review_on


def test_a_review_checks_what_it_needs(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    with pytest.raises(NotValid) as refused:
        risk_log.review(
            w["pat"].actor(),
            thread_id,
            what_happened=None,
            what_we_learned="",
            next_step="change_plan",
            next_review_on=TODAY,
            stamp=detail.stamp,
        )
    assert set(refused.value.problems) == {"what_happened", "what_we_learned", "next_review_on", "new_plan"}
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(RiskReview)).one() == 0


def test_closing_leaves_the_log_but_not_what_we_hold(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    risk_log.review(
        w["pat"].actor(),
        thread_id,
        what_happened="better_than_feared",
        what_we_learned="The reduced timetable worked.",
        next_step="close",
        next_review_on=None,
        stamp=detail.stamp,
    )
    after = risk_log.thread(w["pat"].actor(), thread_id)
    assert not after.is_open and after.current.status == "closed" and after.original.status == "open"
    assert risk_log.holding_now(w["pat"].actor(), w["team"]).risks == ()
    assert risk_log.my_holdings(w["pat"].actor()) == ()
    (row,) = risk_log.team_log(w["pat"].actor(), w["team"]).rows
    assert not row.is_open and row.last_outcome == "better_than_feared" and row.next_review_on is None
    with pytest.raises(NotValid):
        risk_log.review(
            w["pat"].actor(),
            thread_id,
            what_happened="as_feared",
            what_we_learned="again",
            next_step="close",
            next_review_on=None,
            stamp=after.stamp,
        )


def test_the_accountable_manager_agrees_and_a_changed_decision_needs_agreeing_again(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w, needs_manager=True)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    assert detail.awaiting_manager and not detail.can_agree
    with pytest.raises(NotAllowed):
        risk_log.agree_as_manager(w["sam"].actor(), thread_id, stamp=detail.stamp)
    manager_view = risk_log.thread(w["max"].actor(), thread_id)
    assert manager_view.can_agree
    (held,) = risk_log.holding_now(w["max"].actor(), w["team"]).risks
    assert held.awaiting_manager
    risk_log.agree_as_manager(w["max"].actor(), thread_id, stamp=manager_view.stamp)
    agreed = risk_log.thread(w["pat"].actor(), thread_id)
    assert agreed.current.manager_agreed_by == "Max Example" and agreed.current.manager_agreed_at
    assert agreed.original.manager_agreed_by is None and not agreed.awaiting_manager
    # A correction elsewhere keeps the agreement; a new decision needs it again.
    risk_log.revise(
        w["pat"].actor(), thread_id, replace(agreed.current.as_draft(), worry="Reworded"), stamp=agreed.stamp
    )
    kept = risk_log.thread(w["pat"].actor(), thread_id)
    assert kept.current.manager_agreed_by == "Max Example"
    risk_log.revise(
        w["pat"].actor(), thread_id, replace(kept.current.as_draft(), decision="A new plan"), stamp=kept.stamp
    )
    assert risk_log.thread(w["pat"].actor(), thread_id).awaiting_manager


def test_overdue_reviews_surface_in_what_we_hold(riverside: dict) -> None:
    w = riverside
    long_ago = TODAY - timedelta(days=30)
    risk_log.create_entry(
        w["pat"].actor(),
        w["team"],
        _draft(w, review_on=TODAY - timedelta(days=3)),
        today=long_ago,
    )
    _new(w, review_on=TODAY + timedelta(days=3), case_id=None)
    _new(w, review_on=TODAY + timedelta(days=40), case_id=None)
    holding = risk_log.holding_now(w["sam"].actor(), w["team"])
    assert [r.case_reference for r in holding.overdue(TODAY)] == ["JT-07"]
    assert len(holding.due_soon(TODAY)) == 1 and len(holding.risks) == 3
    assert holding.risks[0].overdue(TODAY)  # soonest first


def test_a_correction_after_a_review_sets_the_next_review(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    risk_log.review(
        w["pat"].actor(),
        thread_id,
        what_happened="as_feared",
        what_we_learned="Still worried.",
        next_step="keep_holding",
        next_review_on=TODAY + timedelta(days=20),
        stamp=detail.stamp,
    )
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    assert detail.current.as_draft().review_on == TODAY + timedelta(days=14)  # the entry's own date
    risk_log.revise(
        w["pat"].actor(),
        thread_id,
        replace(detail.current.as_draft(), review_on=TODAY + timedelta(days=5)),
        stamp=detail.stamp,
    )
    assert risk_log.thread(w["pat"].actor(), thread_id).next_review_on == TODAY + timedelta(days=5)


def test_only_the_team_and_its_managers_see_its_log(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    for who in ("pat", "quinn", "sam", "max"):
        assert risk_log.thread(w[who].actor(), thread_id).thread_id == thread_id
        assert len(risk_log.team_log(w[who].actor(), w["team"]).rows) == 1
        assert len(risk_log.case_log(w[who].actor(), w["case"])) == 1
    # Another team's practitioner, a trainer (even one with a membership) and an admin see nothing.
    for who in ("nia", "tia", "ada"):
        actor = w[who].actor()
        with pytest.raises(NotAllowed):
            risk_log.thread(actor, thread_id)
        with pytest.raises(NotAllowed):
            risk_log.holding_now(actor, w["team"])
        with pytest.raises(NotAllowed):
            risk_log.team_log(actor, w["team"])
        with pytest.raises(NotAllowed):
            risk_log.case_log(actor, w["case"])
        with pytest.raises(NotAllowed):
            risk_log.create_entry(actor, w["team"], _draft(w))
        with pytest.raises(NotAllowed):
            risk_log.form_options(actor, w["team"])
    assert risk_log.teams_for(w["tia"].actor()) == () and risk_log.teams_for(w["ada"].actor()) == ()
    assert {t.label for t in risk_log.teams_for(w["max"].actor())} == {"Riverside", "Northgate"}
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    with pytest.raises(NotAllowed):
        risk_log.revise(w["nia"].actor(), thread_id, detail.current.as_draft(), stamp=detail.stamp)
    with pytest.raises(NotAllowed):
        risk_log.review(
            w["nia"].actor(),
            thread_id,
            what_happened="as_feared",
            what_we_learned="x",
            next_step="close",
            next_review_on=None,
            stamp=detail.stamp,
        )


def test_what_i_am_holding_and_with_whom(riverside: dict) -> None:
    w = riverside
    _new(w, holder_ids=(w["pat"].person_id, w["sam"].person_id, w["quinn"].person_id))
    _new(w, holder_ids=(w["sam"].person_id, w["quinn"].person_id), case_id=None)
    (mine,) = risk_log.my_holdings(w["pat"].actor())
    assert set(mine.held_with) == {"Sam Example", "Quinn Example"} and mine.team_name == "Riverside"
    assert len(risk_log.my_holdings(w["quinn"].actor())) == 2
    assert risk_log.my_holdings(w["nia"].actor()) == ()


def test_the_team_log_filters_in_the_database_and_pages(riverside: dict) -> None:
    w = riverside
    second_case = _case(w["team"], "RB-1042", w["quinn"].person_id)
    first = _new(w)
    _new(
        w,
        case_id=second_case,
        whose_risk="young_person",
        worry="A mark on R's arm; 100% sure it needs looking at.",
    )
    _new(
        w,
        case_id=None,
        whose_risk="professional_anxiety",
        holder_ids=(w["quinn"].person_id, w["sam"].person_id),
    )
    detail = risk_log.thread(w["pat"].actor(), first)
    risk_log.review(
        w["pat"].actor(),
        first,
        what_happened="worse_than_feared",
        what_we_learned="The meeting went badly.",
        next_step="close",
        next_review_on=None,
        stamp=detail.stamp,
    )
    actor = w["sam"].actor()

    def refs(**filters: object) -> list[str | None]:
        return sorted(  # type: ignore[return-value]  # list is invariant: these values fit the declared wider type
            r.case_reference or "-" for r in risk_log.team_log(actor, w["team"], LogFilters(**filters)).rows  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
        )

    assert refs() == ["-", "JT-07", "RB-1042"]
    assert refs(case_id=second_case) == ["RB-1042"]
    assert refs(team_level_only=True) == ["-"]
    assert refs(holder_id=w["pat"].person_id) == ["JT-07", "RB-1042"]
    assert refs(whose_risk="professional_anxiety") == ["-"]
    assert refs(outcome="worse_than_feared") == ["JT-07"]
    assert refs(outcome="as_feared") == []
    assert refs(status="open") == ["-", "RB-1042"]
    assert refs(status="closed") == ["JT-07"]
    assert refs(text="100%") == ["RB-1042"]  # a % is searched for, not a wildcard
    assert refs(text="went badly") == ["JT-07"]  # what we learned is searched too
    assert refs(text="rb-10") == ["RB-1042"]
    assert refs(raised_from=TODAY, raised_to=TODAY) == ["-", "JT-07", "RB-1042"]
    assert refs(raised_to=TODAY - timedelta(days=1)) == []
    first_page = risk_log.team_log(actor, w["team"], page=1, page_size=2)
    second_page = risk_log.team_log(actor, w["team"], page=2, page_size=2)
    assert (first_page.total, first_page.pages, len(first_page.rows), len(second_page.rows)) == (3, 2, 2, 1)
    assert not {r.thread_id for r in first_page.rows} & {r.thread_id for r in second_page.rows}
    assert risk_log.team_log(actor, w["team"], page=9, page_size=2).page == 2


def test_revisions_are_rows_that_are_never_changed(riverside: dict) -> None:
    w = riverside
    thread_id = _new(w)
    with session_scope() as s:
        original = s.exec(select(RiskEntry).where(RiskEntry.thread_id == thread_id)).one().model_dump()
    detail = risk_log.thread(w["pat"].actor(), thread_id)
    risk_log.revise(
        w["pat"].actor(), thread_id, replace(detail.current.as_draft(), worry="New words"), stamp=detail.stamp
    )
    with session_scope() as s:
        again = s.exec(
            select(RiskEntry).where(RiskEntry.thread_id == thread_id, RiskEntry.revision == 1)
        ).one()
        assert again.model_dump() == original
        holders = s.exec(
            select(func.count())
            .select_from(RiskHolder)
            .where(col(RiskHolder.risk_entry_id) == original["id"])
        ).one()
        assert holders == 2


def test_demo_team_shows_every_outcome_and_an_overdue_review(db: str) -> None:
    from db import accounts
    from db.seed.demo import DEMO_PASSWORD, load_demo

    load_demo()
    actor = accounts.actor_for_token(accounts.sign_in("hannah", DEMO_PASSWORD).token)
    assert actor is not None
    (team,) = risk_log.teams_for(actor)
    holding = risk_log.holding_now(actor, team.id)
    assert holding.overdue(TODAY) and len(holding.risks) >= 4
    assert all(len(r.holders) >= 2 for r in holding.risks)
    for outcome in ("as_feared", "better_than_feared", "worse_than_feared"):
        assert risk_log.team_log(actor, team.id, LogFilters(outcome=outcome)).rows, outcome
    closed = risk_log.team_log(actor, team.id, LogFilters(status="closed")).rows
    assert len(closed) == 2
    corrected = [r for r in risk_log.team_log(actor, team.id).rows if r.revisions > 1]
    assert corrected
    grace = accounts.actor_for_token(accounts.sign_in("grace", DEMO_PASSWORD).token)
    assert grace is not None
    with pytest.raises(NotAllowed):
        risk_log.thread(grace, corrected[0].thread_id)
