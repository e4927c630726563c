"""Group supervision through the data layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
from datetime import date, time, timedelta

import pytest
from pypdf import PdfReader

from db import clock, session_record, sessions
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import Case
from tests import factories


@pytest.fixture
def team(db: str) -> dict[str, object]:
    riverside = factories.team("Riverside")
    other = factories.team("Northgate")
    people = {
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "zoë": factories.person("zoe", "practitioner", {riverside: "practitioner"}),
        "nia": factories.person("nia", "practitioner", {other: "practitioner"}),
        "max": factories.person("max", "manager", {riverside: "manager"}),
    }
    with session_scope(write=True) as s:
        case = Case(team_id=riverside, reference="JT-07", lead_practitioner_id=people["pat"].person_id)
        s.add(case)
        s.flush()
        case_id = case.id
    return {"team_id": riverside, "case_id": case_id, **people}


def _plan(team: dict, days: int = 2) -> int:
    sam = team["sam"].actor()
    return sessions.plan(
        sam, team["team_id"], day=utcnow().date() + timedelta(days=days), start=time(10), duration_minutes=90
    )


def test_only_the_supervisor_plans_and_the_team_is_expected(team: dict) -> None:
    with pytest.raises(NotAllowed):
        sessions.plan(
            team["pat"].actor(), team["team_id"], day=utcnow().date(), start=time(10), duration_minutes=90
        )
    sid = _plan(team)
    view = sessions.view(team["pat"].actor(), sid)
    assert {a.name for a in view.attendees} == {"Sam Example", "Pat Example", "Zoe Example"}
    assert all(a.attendance == "expected" for a in view.attendees)
    with pytest.raises(NotValid) as clash:
        _plan(team)
    assert "already has a session that day" in clash.value.problems["day"]


def test_plan_validates_dates_and_lengths(team: dict) -> None:
    sam = team["sam"].actor()
    with pytest.raises(NotValid) as refused:
        sessions.plan(sam, team["team_id"], day=date(1999, 1, 1), start=None, duration_minutes=500)
    assert set(refused.value.problems) == {"day", "start", "duration_minutes"}


def test_nobody_reaches_another_teams_session(team: dict) -> None:
    sid = _plan(team)
    for who in ("nia", "max"):
        with pytest.raises(NotAllowed):
            sessions.view(team[who].actor(), sid)
        with pytest.raises(NotAllowed):
            sessions.record_arrival(team[who].actor(), sid, person_id=team[who].person_id, score=5)
    assert sessions.sessions_for(team["nia"].actor()) == ()


def test_bringing_a_case_needs_an_ask_and_a_team_case(team: dict) -> None:
    sid = _plan(team)
    pat = team["pat"].actor()
    with pytest.raises(NotValid) as refused:
        sessions.bring(pat, sid, case_id=999999, ask="   ", kind="gossip", time_box_minutes=200)
    assert set(refused.value.problems) == {"ask", "kind", "time_box_minutes", "case_id"}
    item = sessions.bring(
        pat, sid, case_id=team["case_id"], ask="Help me think about how to stay alongside Mum."
    )
    agenda = sessions.agenda(pat, sid)
    assert [i.id for i in agenda.items] == [item]
    assert agenda.items[0].case_reference == "JT-07"


def test_arrivals_from_two_devices_at_once_both_land(team: dict) -> None:
    sid = _plan(team)
    errors: list[BaseException] = []

    def arrive(who: str, score: int) -> None:
        try:
            sessions.record_arrival(
                team[who].actor(), sid, person_id=team[who].person_id, score=score, word="ok"
            )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=arrive, args=(w, n)) for w, n in (("pat", 6), ("zoë", 8), ("sam", 7))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seen = {a.name: a.score for a in sessions.arrivals(team["sam"].actor(), sid)}
    assert seen == {"Pat Example": 6, "Zoe Example": 8, "Sam Example": 7}
    # A second entry from the same person updates theirs rather than adding another.
    sessions.record_arrival(
        team["pat"].actor(), sid, person_id=team["pat"].person_id, score=4, needs_team=True
    )
    again = {a.name: (a.score, a.needs_team) for a in sessions.arrivals(team["sam"].actor(), sid)}
    assert again["Pat Example"] == (4, True) and len(again) == 3


def test_arrival_validation_and_who_may_enter_for_whom(team: dict) -> None:
    sid = _plan(team)
    with pytest.raises(NotValid) as refused:
        sessions.record_arrival(
            team["pat"].actor(), sid, person_id=team["pat"].person_id, score=11, word="x" * 41
        )
    assert set(refused.value.problems) == {"score", "word"}
    with pytest.raises(NotAllowed):  # a practitioner can't enter someone else's arrival
        sessions.record_arrival(team["pat"].actor(), sid, person_id=team["zoë"].person_id, score=5)
    sessions.record_arrival(
        team["sam"].actor(), sid, person_id=team["zoë"].person_id, score=5
    )  # facilitator can
    with pytest.raises(NotValid):  # nobody outside the team
        sessions.record_arrival(team["sam"].actor(), sid, person_id=team["nia"].person_id, score=5)


def test_check_in_drops_and_top_marks(team: dict) -> None:
    pat = team["pat"].actor()
    sid = _plan(team)
    first = {"trust": 7, "feel_heard": 6, "what_matters": 6, "hope": 5}
    sessions.record_check_in(pat, None, team["case_id"], scores=first, working_well="We walk and talk.")
    sessions.record_check_in(
        pat, sid, team["case_id"], scores={**first, "trust": 4}, gets_in_the_way="School exclusion meeting."
    )
    history = sessions.check_in_history(pat, team["case_id"])
    assert [c.trust for c in history] == [7, 4]
    assert [(d.item, d.before, d.now) for d in sessions.drops(history)] == [("Trust between us", 7, 4)]
    sessions.record_check_in(pat, sid, team["case_id"], scores=dict.fromkeys(first, 10))
    latest = sessions.check_in_history(pat, team["case_id"])[-1]
    assert (
        sessions.all_at_top(latest) and sessions.drops(sessions.check_in_history(pat, team["case_id"])) == ()
    )
    with pytest.raises(NotValid) as refused:
        sessions.record_check_in(pat, sid, team["case_id"], scores={"trust": -1, "feel_heard": None})
    assert {"trust", "feel_heard", "what_matters", "hope"} <= set(refused.value.problems)
    with pytest.raises(NotAllowed):
        sessions.check_in_history(team["nia"].actor(), team["case_id"])


def test_actions_carry_over_with_a_reason(team: dict) -> None:
    sam, pat = team["sam"].actor(), team["pat"].actor()
    first = _plan(team, days=1)
    today = utcnow().date()
    keep = sessions.add_action(
        sam,
        first,
        description="Ring school with Mum",
        owner_id=team["pat"].person_id,
        due_on=today + timedelta(days=3),
        case_id=team["case_id"],
    )
    done = sessions.add_action(
        sam,
        first,
        description="Share the family time plan",
        owner_id=team["zoë"].person_id,
        due_on=today + timedelta(days=3),
    )
    sessions.close(sam, first, sessions.view(sam, first).version)
    second = _plan(team, days=8)
    review = {a.id: a for a in sessions.actions_to_review(pat, second)}
    assert set(review) == {keep, done}
    with pytest.raises(NotValid) as refused:
        sessions.review_action(sam, second, keep, outcome="carried_over", version=review[keep].version)
    assert set(refused.value.problems) == {"reason", "new_due_on"}
    sessions.review_action(
        sam,
        second,
        keep,
        outcome="carried_over",
        reason="Mum asked to wait until after half term",
        new_due_on=today + timedelta(days=14),
        version=review[keep].version,
    )
    sessions.review_action(sam, second, done, outcome="done", version=review[done].version)
    with pytest.raises(EditConflict):
        sessions.review_action(
            sam, second, done, outcome="dropped", reason="twice", version=review[done].version
        )
    carried = sessions.session_actions(sam, second)
    assert (
        len(carried) == 1
        and carried[0].carried_from_id == keep
        and carried[0].description == "Ring school with Mum"
    )
    rec = sessions.record(sam, second)
    assert {(a.id, a.status) for a in rec.reviewed_actions} == {(keep, "carried_over"), (done, "done")}
    assert sessions.actions_to_review(sam, second) == ()


def test_runner_moves_step_by_step_and_refuses_a_stale_move(team: dict) -> None:
    sam = team["sam"].actor()
    sid = _plan(team)
    sessions.bring(team["pat"].actor(), sid, case_id=team["case_id"], ask="How do I stay alongside Mum?")
    sessions.bring(team["zoë"].actor(), sid, case_id=None, ask="A theme: keeping hope in long cases.")
    view = sessions.view(sam, sid)
    assert [s.step for s in view.stages] == [
        "arrival",
        "check_ins",
        "discussion",
        "discussion",
        "actions",
        "closing",
    ]
    with pytest.raises(NotAllowed):
        sessions.start(team["pat"].actor(), sid, view.version)
    sessions.start(sam, sid, view.version)
    started = sessions.view(sam, sid)
    assert (
        started.status == "running" and started.current.step == "arrival" and started.time_box_minutes() == 10
    )
    sessions.extend(sam, sid, started.version, 5)
    extended = sessions.view(sam, sid)
    assert extended.time_box_minutes() == 15
    sessions.go_to(sam, sid, extended.version, 2)
    moved = sessions.view(sam, sid)
    assert moved.current.step == "discussion" and moved.time_box_minutes() == 10 and moved.position == 2
    with pytest.raises(EditConflict):
        sessions.go_to(sam, sid, extended.version, 3)


def test_close_makes_a_read_only_record_with_amendments(team: dict) -> None:
    sam, pat = team["sam"].actor(), team["pat"].actor()
    sid = _plan(team)
    item = sessions.bring(pat, sid, case_id=team["case_id"], ask="Help me think about Mum's worries.")
    sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=6, word="steady")
    version = sessions.view(pat, sid).items[0].version
    with pytest.raises(NotValid):
        sessions.save_notes(
            pat, item, discussion_notes="", case_file_summary="", summary_ready=True, version=version
        )
    sessions.save_notes(
        pat,
        item,
        discussion_notes="The team wondered about Nan.",
        case_file_summary="Discussed in supervision; plan agreed with Mum.",
        summary_ready=False,
        version=version,
    )
    with pytest.raises(EditConflict) as conflict:
        sessions.save_notes(
            sam,
            item,
            discussion_notes="Other words",
            case_file_summary="",
            summary_ready=False,
            version=version,
        )
    assert conflict.value.theirs["Notes"] == "The team wondered about Nan."
    sessions.record_closing(
        pat,
        sid,
        person_id=team["pat"].person_id,
        scores={"felt_heard": 8, "helped_my_work": 7, "held_my_worries": 9},
        word="lighter",
    )
    with pytest.raises(NotValid):
        sessions.amend(sam, sid, "Too early: still open.")
    sessions.close(sam, sid, sessions.view(sam, sid).version)
    with pytest.raises(NotValid):
        sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=3)
    with pytest.raises(NotAllowed):
        sessions.amend(pat, sid, "Practitioners suggest; the facilitator amends.")
    sessions.amend(sam, sid, "Correction: the meeting with school is on Thursday, not Tuesday.")
    # A closed record is closed in the data layer: notes, the summary and its "ready" mark,
    # check-ins, actions and rounds all stay as they were (the page offers an amendment).
    latest = sessions.view(pat, sid).items[0]
    for notes, summary, ready in (
        (latest.discussion_notes, "A new summary after close", False),
        (latest.discussion_notes, latest.case_file_summary, True),
        ("rewritten", latest.case_file_summary, False),
    ):
        with pytest.raises(NotValid, match="closed"):
            sessions.save_notes(
                pat,
                item,
                discussion_notes=notes,
                case_file_summary=summary,
                summary_ready=ready,
                version=latest.version,
            )
    with pytest.raises(NotValid):
        sessions.record_check_in(
            pat, sid, team["case_id"], scores={"trust": 5, "feel_heard": 5, "what_matters": 5, "hope": 5}
        )
    with pytest.raises(NotValid, match="closed"):
        sessions.add_action(
            sam, sid, description="late", owner_id=team["pat"].person_id, due_on=clock.today() + timedelta(days=3)
        )
    with pytest.raises(NotValid):
        sessions.record_closing(
            pat,
            sid,
            person_id=team["pat"].person_id,
            scores={"felt_heard": 1, "helped_my_work": 1, "held_my_worries": 1},
        )
    with pytest.raises(NotValid):
        sessions.set_attendance(sam, sid, team["pat"].person_id, "apologies")
    rec = sessions.record(sam, sid)
    assert rec.view.status == "closed" and rec.amendments[0].text.startswith("Correction")
    kept = rec.view.items[0]
    assert kept.case_file_summary == "Discussed in supervision; plan agreed with Mum."
    assert not kept.summary_ready and kept.discussion_notes == "The team wondered about Nan."
    assert rec.closings[0].word == "lighter" and rec.closings[0].felt_heard == 8


def test_exports_hold_the_record_and_are_safe(team: dict) -> None:
    sam, pat = team["sam"].actor(), team["pat"].actor()
    sid = _plan(team)
    sessions.bring(pat, sid, case_id=team["case_id"], ask='=HYPERLINK("x") — and Zoë’s idea about Nan')
    sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=6, word="-steady")
    sessions.close(sam, sid, sessions.view(sam, sid).version)
    # Compare words, not the PDF's spacing or line breaks.
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(session_record.pdf(sam, sid))).pages
        ).split()
    )
    assert "Group supervision: Riverside" in text and "Zoë’s idea about Nan" in text
    assert "Pat Example: 6 out of 10" in text
    body = session_record.csv(sam, sid).decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'-steady" in body
    with pytest.raises(NotAllowed):
        session_record.pdf(team["nia"].actor(), sid)
