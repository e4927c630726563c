"""One-to-one supervision through the data layer, on SQLite and PostgreSQL: planning, the
private part kept to the two people, check-ins feeding the same trends, actions carried
over, closing (and the next one planned), amendments, exports, the manager's dates only,
the case page's discussions, subject access, restriction, and stale saves refused."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest

from db import case_board, clock, data_protection, one_to_one, sessions
from db.errors import EditConflict, NotAllowed, NotValid
from tests import factories

SCORES = {"trust": 7, "feel_heard": 6, "what_matters": 7, "hope": 5}


@pytest.fixture
def pair(db: str):
    team = factories.team("Riverside")
    other = factories.team("Northgate")
    sup = factories.person("hannah", "supervisor", {team: "supervisor"})
    prac = factories.person("priya", "practitioner", {team: "practitioner"})
    colleague = factories.person("tom", "practitioner", {team: "practitioner"})
    manager = factories.person("marcus", "manager", {team: "manager"})
    stranger = factories.person("grace", "supervisor", {other: "supervisor"})
    case_id = case_board.create_case(sup.actor(), team, reference="JT-07", lead_id=prac.person_id)
    return {
        "team": team,
        "sup": sup,
        "prac": prac,
        "colleague": colleague,
        "manager": manager,
        "stranger": stranger,
        "case": case_id,
    }


def _plan(w, days: int = 1, every: int | None = 4) -> int:
    return one_to_one.plan(
        w["sup"].actor(),
        w["prac"].person_id,
        day=clock.today() + timedelta(days=days),
        start=time(14),
        duration_minutes=60,
        recurs_every_weeks=every,
    )


def test_a_supervisor_plans_and_both_see_it_nobody_else(pair) -> None:
    oid = _plan(pair)
    for who in ("sup", "prac"):
        assert one_to_one.view(pair[who].actor(), oid).practitioner == "Priya Example"
        assert [line.id for line in one_to_one.mine(pair[who].actor())] == [oid]
    for who in ("colleague", "manager", "stranger"):
        with pytest.raises(NotAllowed):
            one_to_one.view(pair[who].actor(), oid)
        with pytest.raises(NotAllowed):
            one_to_one.private(pair[who].actor(), oid)
    # A practitioner can't plan, and a supervisor only with their own team's practitioners.
    with pytest.raises(NotAllowed):
        one_to_one.plan(pair["prac"].actor(), pair["prac"].person_id, day=clock.today(), start=time(9))
    with pytest.raises(NotAllowed):
        one_to_one.plan(pair["stranger"].actor(), pair["prac"].person_id, day=clock.today(), start=time(9))


def test_planning_refuses_an_impossible_date_naming_the_field(pair) -> None:
    with pytest.raises(NotValid) as refused:
        one_to_one.plan(pair["sup"].actor(), pair["prac"].person_id, day="31/02/2027", start=time(9))
    assert "day" in refused.value.problems


def test_the_private_part_stays_with_the_two_and_a_stale_save_is_refused(pair) -> None:
    oid = _plan(pair)
    prac, sup = pair["prac"].actor(), pair["sup"].actor()
    v1 = one_to_one.save_private(prac, oid, {"arrival_score": 6, "arrival_word": "tired"}, version=0)
    v2 = one_to_one.save_private(sup, oid, {"learning": "Using the six Ps with Mum"}, version=v1)
    # Priya still has the first version open: her save is refused, naming Hannah, and shows Hannah's words.
    with pytest.raises(EditConflict) as conflict:
        one_to_one.save_private(prac, oid, {"been_hard": "Court week"}, version=v1)
    assert "Hannah Example" in conflict.value.message
    assert conflict.value.theirs["What you've been learning"] == "Using the six Ps with Mum"
    one_to_one.save_private(prac, oid, {"been_hard": "Court week"}, version=v2)
    seen = one_to_one.private(sup, oid)
    assert (seen.arrival_score, seen.arrival_word, seen.learning, seen.been_hard) == (
        6,
        "tired",
        "Using the six Ps with Mum",
        "Court week",
    )
    # The manager sees that it happened and when, never what was said.
    dates = one_to_one.dates_for_team(pair["manager"].actor(), pair["team"])
    assert [(d.practitioner, d.status) for d in dates] == [("Priya Example", "planned")]
    assert not any("Court week" in repr(d) for d in dates)
    with pytest.raises(NotAllowed):
        one_to_one.dates_for_team(pair["colleague"].actor(), pair["team"])


def test_cases_check_ins_and_discussion_feed_the_same_trends_and_the_case_page(pair) -> None:
    oid = _plan(pair)
    prac, sup = pair["prac"].actor(), pair["sup"].actor()
    item = one_to_one.bring(prac, oid, case_id=pair["case"], ask="How do I keep going with J?")
    one_to_one.record_check_in(prac, oid, pair["case"], scores=SCORES, working_well="Boxing on Thursdays")
    # The same check-in history the group's room shows.
    history = sessions.check_in_history(sup, pair["case"])
    assert [c.scores() for c in history] == [SCORES]
    assert history[0].session_id is None
    version = one_to_one.view(prac, oid).items[0].version
    one_to_one.save_discussion(
        sup, item, notes="J trusts the coach", summary="Keep Thursdays going.", version=version
    )
    with pytest.raises(EditConflict):
        one_to_one.save_discussion(prac, item, notes="mine", summary="", version=version)
    view = one_to_one.view(prac, oid)
    assert view.check_ins[0].case_reference == "JT-07"
    assert view.items[0].case_file_summary == "Keep Thursdays going."
    # Not on the case page until the one-to-one is closed.
    assert one_to_one.case_discussions_for(pair["colleague"].actor(), pair["case"]) == ()
    one_to_one.close(sup, oid, version=one_to_one.view(sup, oid).version)
    found = one_to_one.case_discussions_for(pair["colleague"].actor(), pair["case"])
    assert [(d.case_reference, d.ask, d.case_file_summary, d.brought_by) for d in found] == [
        ("JT-07", "How do I keep going with J?", "Keep Thursdays going.", "Priya Example")
    ]
    for who in ("stranger", "manager"):
        with pytest.raises(NotAllowed):
            one_to_one.case_discussions_for(pair[who].actor(), pair["case"])


def test_closing_plans_the_next_actions_carry_over_and_the_record_is_kept(pair) -> None:
    first = _plan(pair, days=0, every=4)
    prac, sup = pair["prac"].actor(), pair["sup"].actor()
    action = one_to_one.add_action(
        sup,
        first,
        description="Find a course on life-story work",
        owner_id=pair["prac"].person_id,
        due_on=clock.today() + timedelta(days=14),
    )
    with pytest.raises(NotValid):
        one_to_one.add_action(
            sup, first, description="x", owner_id=pair["colleague"].person_id, due_on=clock.today()
        )
    with pytest.raises(NotAllowed):  # the supervisor closes
        one_to_one.close(prac, first, version=one_to_one.view(prac, first).version)
    nxt = one_to_one.close(sup, first, version=one_to_one.view(sup, first).version)
    assert nxt is not None
    later = one_to_one.view(prac, nxt)
    assert clock.local(later.scheduled_for).date() == clock.today() + timedelta(weeks=4)
    assert [a.id for a in later.to_review] == [action]
    # The closed record can't be changed, only amended, by either of the two.
    with pytest.raises(NotValid):
        one_to_one.bring(prac, first, case_id=pair["case"])
    with pytest.raises(NotValid):
        one_to_one.save_private(prac, first, {"learning": "late"}, version=0)
    one_to_one.amend(prac, first, "I meant the March course, not April.")
    one_to_one.amend(sup, first, "Agreed.")
    assert [a.text for a in one_to_one.view(sup, first).amendments] == [
        "I meant the March course, not April.",
        "Agreed.",
    ]
    with pytest.raises(NotAllowed):
        one_to_one.amend(pair["colleague"].actor(), first, "not mine")
    # Carried over: looked back on in the next one, and it joins that one's actions.
    one_to_one.review_action(prac, nxt, action, outcome="carried_over", version=later.to_review[0].version)
    again = one_to_one.view(prac, nxt)
    assert [a.status for a in again.to_review] == ["carried_over"]
    assert [a.description for a in again.actions] == ["Find a course on life-story work"]
    with pytest.raises(NotValid):  # letting go needs a reason
        one_to_one.review_action(prac, nxt, again.actions[0].id, outcome="dropped", version=1)


def test_both_export_their_record_and_the_export_is_audited_and_spreadsheet_safe(pair) -> None:
    oid = _plan(pair)
    prac, sup = pair["prac"].actor(), pair["sup"].actor()
    one_to_one.save_private(
        prac, oid, {"support_needed": '=HYPERLINK("x")', "helpful_today": "Being heard"}, version=0
    )
    csv = one_to_one.record_csv(prac, oid).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "Being heard" in csv
    assert one_to_one.record_pdf(sup, oid).startswith(b"%PDF")
    for who in ("colleague", "manager", "stranger"):
        with pytest.raises(NotAllowed):
            one_to_one.record_csv(pair[who].actor(), oid)
    from sqlmodel import select

    from db.engine import session_scope
    from db.models import AuditEvent

    with session_scope() as s:
        exports = s.exec(
            select(AuditEvent.actor_label).where(
                AuditEvent.action == "export", AuditEvent.record_type == "one_to_one"
            )
        ).all()
    assert sorted(exports) == ["hannah", "priya"]


def test_subject_access_finds_the_one_to_one_and_its_private_part(pair) -> None:
    oid = _plan(pair)
    one_to_one.save_private(pair["prac"].actor(), oid, {"been_hard": "A hard week in court"}, version=0)
    admin = factories.person("alex", "admin")
    found = json.loads(data_protection.subject_access_json(admin.actor(), pair["prac"].person_id))["tables"]
    assert [r["id"] for r in found["one_to_one.practitioner_id"]] == [oid]
    assert [r["been_hard"] for r in found["one_to_one_private.practitioner_id"]] == ["A hard week in court"]


def test_a_restricted_case_stays_out_of_the_one_to_one(pair) -> None:
    oid = _plan(pair)
    prac = pair["prac"].actor()
    one_to_one.bring(prac, oid, case_id=pair["case"], ask="J")
    admin = factories.person("alex", "admin")
    data_protection.restrict(admin.actor(), "case", pair["case"], reason="Accuracy contested")
    assert one_to_one.view(prac, oid).items == ()
    assert pair["case"] not in dict(one_to_one.cases_to_bring(prac, oid))
    with pytest.raises(NotAllowed):
        one_to_one.bring(prac, oid, case_id=pair["case"])
    with pytest.raises(NotAllowed):
        one_to_one.record_check_in(prac, oid, pair["case"], scores=SCORES)


def test_two_screens_on_one_one_to_one_never_overwrite_each_other(pair) -> None:
    """Closing from a stale copy is refused, and so is looking back on an action someone has
    already looked back on: the first lands, the second is told, nothing is overwritten."""
    first = _plan(pair, days=0, every=4)
    sup, prac = pair["sup"].actor(), pair["prac"].actor()
    action = one_to_one.add_action(
        sup, first, description="Ring the school", owner_id=pair["prac"].person_id, due_on=clock.today()
    )
    seen_by_both = one_to_one.view(sup, first).version  # two screens open on the same copy
    nxt = one_to_one.close(sup, first, version=seen_by_both)
    assert nxt is not None
    with pytest.raises((EditConflict, NotValid)):  # the second screen's close finds it closed
        one_to_one.close(sup, first, version=seen_by_both)
    assert one_to_one.view(sup, first).status == "closed"
    seen = one_to_one.view(prac, nxt).to_review
    version = next(a.version for a in seen if a.id == action)
    one_to_one.review_action(prac, nxt, action, outcome="done", version=version)
    with pytest.raises(EditConflict):
        one_to_one.review_action(sup, nxt, action, outcome="dropped", reason="not needed", version=version)
    assert next(a.status for a in one_to_one.view(prac, nxt).to_review if a.id == action) == "done"
