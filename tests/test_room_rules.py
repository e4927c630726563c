"""The live room's rules in the data layer, on SQLite and PostgreSQL: one row tells whether
the room changed, a room opens on the right session, time-boxes fit the session, last
session's actions are reviewed in one save, and times are the team's own (UK time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from db import clock, sessions
from db.engine import session_scope
from db.errors import EditConflict, NotValid
from db.models import Case
from tests import factories


@pytest.fixture
def team(db: str) -> dict[str, object]:
    riverside = factories.team("Riverside")
    other = factories.team("Northgate")
    people = {
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "zoe": factories.person("zoe", "practitioner", {riverside: "practitioner"}),
        "nia": factories.person("nia", "supervisor", {other: "supervisor"}),
    }
    with session_scope(write=True) as s:
        case = Case(team_id=riverside, reference="JT-07", lead_practitioner_id=people["pat"].person_id)
        s.add(case)
        s.flush()
        case_id = case.id
    return {"team_id": riverside, "other_id": other, "case_id": case_id, **people}


def _plan(team: dict, days: int = 2, duration: int = 90) -> int:
    return sessions.plan(
        team["sam"].actor(),
        team["team_id"],
        day=clock.today() + timedelta(days=days),
        start=time(10),
        duration_minutes=duration,
    )


SCORES = {"trust": 6, "feel_heard": 6, "what_matters": 6, "hope": 6}


def test_every_entry_in_the_room_moves_the_one_row_live_screens_read(team: dict) -> None:
    sam, pat = team["sam"].actor(), team["pat"].actor()
    sid = _plan(team)
    seen = [sessions.room_state(pat, sid).stamp]

    def changed() -> None:
        now = sessions.room_state(pat, sid).stamp
        assert now != seen[-1], "a change in the room left the live row as it was"
        seen.append(now)

    item = sessions.bring(pat, sid, case_id=team["case_id"], ask="Help me think about Mum.")
    changed()
    sessions.set_attendance(sam, sid, team["zoe"].person_id, "apologies")
    changed()
    sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=6)
    changed()
    sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=7)  # a second thought
    changed()
    sessions.start(sam, sid, sessions.view(sam, sid).version)
    changed()
    sessions.record_check_in(pat, sid, team["case_id"], scores=SCORES)
    changed()
    version = sessions.view(pat, sid).items[0].version
    sessions.save_notes(
        pat, item, discussion_notes="notes", case_file_summary="", summary_ready=False, version=version
    )
    changed()
    sessions.add_action(
        sam,
        sid,
        description="Call school",
        owner_id=team["pat"].person_id,
        due_on=clock.today() + timedelta(1),
    )
    changed()
    sessions.record_closing(
        pat,
        sid,
        person_id=team["pat"].person_id,
        scores={"felt_heard": 8, "helped_my_work": 8, "held_my_worries": 8},
    )
    changed()
    sessions.close(sam, sid, sessions.view(sam, sid).version)
    changed()
    assert sessions.room_state(pat, sid).status == "closed"
    # Reading it changes nothing.
    assert sessions.room_state(sam, sid).stamp == seen[-1]


def test_two_entries_at_once_both_count(team: dict) -> None:
    pat, zoe = team["pat"].actor(), team["zoe"].actor()
    sid = _plan(team)
    before = sessions.room_state(pat, sid).activity
    sessions.record_arrival(pat, sid, person_id=team["pat"].person_id, score=6)
    sessions.record_arrival(zoe, sid, person_id=team["zoe"].person_id, score=4)
    assert sessions.room_state(pat, sid).activity == before + 2


def test_another_teams_room_state_is_refused(team: dict) -> None:
    from db.errors import NotAllowed

    sid = _plan(team)
    with pytest.raises(NotAllowed):
        sessions.room_state(team["nia"].actor(), sid)


def test_the_room_opens_on_the_running_session_or_else_the_next_planned(team: dict) -> None:
    sam, pat = team["sam"].actor(), team["pat"].actor()
    assert sessions.room_for(pat) is None
    later = _plan(team, days=9)
    sooner = _plan(team, days=2)
    assert sessions.room_for(pat) == sooner
    sessions.start(sam, later, sessions.view(sam, later).version)
    assert sessions.room_for(pat) == later
    assert sessions.room_for(team["nia"].actor()) is None


def test_time_boxes_fit_the_sessions_length(team: dict) -> None:
    pat = team["pat"].actor()
    sid = _plan(team, duration=60)
    for minutes in (30, 20):
        sessions.bring(pat, sid, case_id=team["case_id"], ask="Think with me", time_box_minutes=minutes)
    view = sessions.view(pat, sid)
    asked = view.asked_minutes()
    assert sum(asked.values()) == 10 + 5 + 5 + 30 + 20 + 10 + 10  # 90 asked of a 60-minute session
    boxes = view.time_boxes()
    assert sum(boxes.values()) <= 60 and sum(boxes.values()) >= 58
    assert all(m >= 2 for m in boxes.values())
    # Longer asks keep the larger share.
    discussion = [boxes[s.key] for s in view.stages if s.step == "discussion"]
    assert discussion[0] > discussion[1]
    # When they fit, they are as asked.
    assert sessions.fit_time_boxes({"a": 10, "b": 20}, 90) == {"a": 10, "b": 20}


def test_earlier_actions_are_reviewed_in_one_save_all_or_nothing(team: dict) -> None:
    sam = team["sam"].actor()
    first = _plan(team, days=1)
    sessions.start(sam, first, sessions.view(sam, first).version)
    due_soon = sessions.add_action(
        sam,
        first,
        description="Ring Nan",
        owner_id=team["pat"].person_id,
        due_on=clock.today() + timedelta(1),
    )
    not_yet = sessions.add_action(
        sam,
        first,
        description="Book the review",
        owner_id=team["pat"].person_id,
        due_on=clock.today() + timedelta(30),
    )
    third = sessions.add_action(
        sam,
        first,
        description="Write to school",
        owner_id=team["pat"].person_id,
        due_on=clock.today() + timedelta(1),
    )
    sessions.close(sam, first, sessions.view(sam, first).version)
    second = _plan(team, days=8)
    sessions.start(sam, second, sessions.view(sam, second).version)
    earlier = {a.id: a for a in sessions.actions_to_review(sam, second)}
    session_day = clock.local(sessions.view(sam, second).scheduled_for).date()
    assert sessions.due_for_review(earlier[due_soon], session_day)
    assert not sessions.due_for_review(earlier[not_yet], session_day)

    bad = [
        sessions.ReviewDecision(due_soon, earlier[due_soon].version, "done"),
        sessions.ReviewDecision(third, earlier[third].version, "dropped", reason=""),
    ]
    with pytest.raises(NotValid) as problem:
        sessions.review_actions(sam, second, bad)
    assert f"{third}.reason" in problem.value.problems
    # Nothing landed: the first is still open.
    assert {a.id for a in sessions.actions_to_review(sam, second)} == {due_soon, not_yet, third}

    good = [
        sessions.ReviewDecision(due_soon, earlier[due_soon].version, "done"),
        sessions.ReviewDecision(
            third,
            earlier[third].version,
            "carried_over",
            reason="School were closed",
            new_due_on=clock.today() + timedelta(14),
        ),
    ]
    assert sessions.review_actions(sam, second, good) == 2
    left = {a.id for a in sessions.actions_to_review(sam, second)}
    assert left == {not_yet}
    carried = [a for a in sessions.session_actions(sam, second) if a.carried_from_id == third]
    assert carried and carried[0].description == "Write to school"
    # The same review again, from a screen that didn't see the save, is refused.
    with pytest.raises(EditConflict):
        sessions.review_actions(sam, second, good[:1])


@pytest.mark.parametrize(
    ("day", "utc_hour", "label"),
    [
        (date(2027, 7, 8), 9, "summer (BST, UTC+1)"),
        (date(2027, 1, 14), 10, "winter (GMT)"),
    ],
)
def test_a_session_at_ten_is_at_ten_uk_time(
    team: dict, monkeypatch, day: date, utc_hour: int, label: str
) -> None:
    monkeypatch.delenv("CIRCLE_TIMEZONE", raising=False)
    sam = team["sam"].actor()
    sid = sessions.plan(
        sam,
        team["team_id"],
        day=day,
        start=time(10),
        duration_minutes=90,
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    stored = sessions.view(sam, sid).scheduled_for
    assert stored.astimezone(UTC).hour == utc_hour, label
    assert clock.when(stored, "%H:%M") == "10:00"


def test_weekly_sessions_stay_at_ten_across_the_clock_change(team: dict) -> None:
    sam = team["sam"].actor()
    # Thursday 22 October 2026 is in summer time; the clocks go back on Sunday 25 October.
    before = sessions.plan(
        sam,
        team["team_id"],
        day=date(2026, 10, 22),
        start=time(10),
        duration_minutes=90,
        now=datetime(2026, 10, 20, tzinfo=UTC),
    )
    assert sessions.view(sam, before).scheduled_for.astimezone(UTC).hour == 9
    suggested = sessions.suggested_next(sam, team["team_id"], now=datetime(2026, 10, 23, tzinfo=UTC))
    assert clock.local(suggested).date() == date(2026, 10, 29)
    assert clock.when(suggested, "%H:%M") == "10:00" and suggested.astimezone(UTC).hour == 10
    # A session on the day the clocks go back counts as that local day (no false clash with the next).
    sessions.plan(
        sam,
        team["team_id"],
        day=date(2026, 10, 25),
        start=time(0, 30),
        duration_minutes=90,
        now=datetime(2026, 10, 20, tzinfo=UTC),
    )
    with pytest.raises(NotValid, match="already has a session that day"):
        sessions.plan(
            sam,
            team["team_id"],
            day=date(2026, 10, 25),
            start=time(23, 0),
            duration_minutes=90,
            now=datetime(2026, 10, 20, tzinfo=UTC),
        )


def test_today_is_the_teams_today_not_the_servers() -> None:
    # 23:30 UTC on 30 June is already 1 July in London.
    moment = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    assert clock.local(moment).date() == date(2027, 7, 1)
    assert clock.from_local(date(2027, 7, 1), time(0, 30)) == moment.replace(hour=23, minute=30)


def test_no_code_asks_the_machine_for_its_local_date() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = []
    for folder in ("db", "components", "pages", "server"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("today", "now")
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in ("date", "datetime")
                    and not (node.func.attr == "now" and node.args)
                ):
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == [], f"use db.clock (today/now/utcnow) instead: {offenders}"
