"""A whole group supervision through AppTest, as the facilitator and two practitioners on
their own devices would drive it: plan, bring, arrival round, check-ins with a drop
flagged, actions carried over, closing, amendment, and the exported record."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from components.session_pick import KEY as SESSION_KEY
from db import accounts, clock, session_record, sessions
from db.seed.demo import DEMO_PASSWORD, load_demo
from tests.conftest import app_for


def _signed_in(username: str) -> str:
    result = accounts.sign_in(username, DEMO_PASSWORD)
    assert result.ok
    return result.token or ""


def _page(token: str, page: str, session_id: int | None = None) -> AppTest:
    at = app_for(token)
    if session_id is not None:
        at.session_state[SESSION_KEY] = session_id
    return at.switch_page(page).run()


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{label}").click().run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def demo(sqlite_db: str) -> dict[str, object]:
    load_demo()
    tokens = {u: _signed_in(u) for u in ("hannah", "priya", "tom", "grace")}
    hannah = accounts.actor_for_token(tokens["hannah"])
    assert hannah is not None
    planned = next(line for line in sessions.sessions_for(hannah) if line.status == "planned")
    return {"tokens": tokens, "session_id": planned.id, "hannah": hannah}


def test_a_whole_session(demo: dict) -> None:
    tokens, sid, hannah = demo["tokens"], demo["session_id"], demo["hannah"]

    # Plan: the facilitator plans a session a fortnight on; a bad duration is explained first.
    at = _page(tokens["hannah"], "pages/sessions.py")
    assert at.title[0].value == "Group supervision"
    plan_day = clock.today() + timedelta(days=15)
    at.text_input(key="sessions_plan_day").input(f"{plan_day:%d/%m/%Y}")
    at.text_input(key="sessions_plan_length").input("30.5")
    _submit(at, "sessions_plan", "Plan this session")
    assert "whole number" in at.error[0].value and "How long" in at.error[0].value
    assert at.text_input(key="sessions_plan_length").value == "30.5"  # kept as typed
    at.text_input(key="sessions_plan_length").input("30")
    _submit(at, "sessions_plan", "Plan this session")
    planned = {clock.local(line.scheduled_for).date(): line.id for line in sessions.sessions_for(hannah)}
    assert plan_day in planned
    # The screen now shows the session just planned, and the URL names it.
    assert at.selectbox(key="sessions_list").value == planned[plan_day]
    assert at.query_params["session"] in (str(planned[plan_day]), [str(planned[plan_day])])

    # Bring: Priya adds a case with her ask to this week's session.
    at = _page(tokens["priya"], "pages/sessions.py", sid)
    _submit(at, "sessions_bring", "Add to the agenda")
    assert "Please add" in at.error[0].value and "Your ask of the team" in at.error[0].value
    at.text_area(key="sessions_bring_ask").input("Help me think about how to keep hope with DF-58's mum.")
    priya = accounts.actor_for_token(tokens["priya"])
    assert priya is not None
    df58 = next(cid for cid, ref in sessions.team_cases(priya, priya.team_ids[0]) if ref == "DF-58")
    at.selectbox(key="sessions_bring_case").set_value(df58)
    _submit(at, "sessions_bring", "Add to the agenda")
    assert any(
        "keep hope" in i.ask and i.case_reference == "DF-58" for i in sessions.agenda(hannah, sid).items
    )

    # Run: the facilitator begins; two practitioners arrive from their own devices.
    room = _page(tokens["hannah"], "pages/session_room.py", sid)
    room.button(key="room_start").click().run()
    assert "How is everyone arriving today?" in [h.value for h in room.header]
    for who, score in (("priya", 6), ("tom", 8)):
        own = _page(tokens[who], "pages/session_room.py", sid)
        own.radio(key="room_arrival_me_score").set_value(score)
        own.text_input(key="room_arrival_me_word").input("steady" if who == "priya" else "hopeful")
        _submit(own, "room_arrival_me", "Share how I'm arriving")
        assert not own.error
    room.run()  # the facilitator's next rerun shows both
    shown = " ".join(m.value for m in room.markdown)
    assert (
        "Priya Shah" in shown and "Tom Reilly" in shown and "2 of" in " ".join(m.value for m in room.markdown)
    )

    # Check-ins: move on to the first case brought, and record a check-in with a drop.
    room.button(key="room_next").click().run()
    view = sessions.view(hannah, sid)
    assert view.current.step == "check_ins"
    item = view.item(view.current.item_id)
    assert item is not None and item.case_id is not None
    history = sessions.check_in_history(hannah, item.case_id)
    last = history[-1]
    prefix = f"room_check_{item.id}"
    assert any(f"Waiting for {item.brought_by}" in c.value for c in room.caption)
    room.radio(key=f"{prefix}_trust").set_value(max(0, last.trust - 3))
    for k in ("feel_heard", "what_matters", "hope"):
        room.radio(key=f"{prefix}_{k}").set_value(getattr(last, k))
    room.text_area(key=f"{prefix}_way").input("The exclusion meeting knocked things back.")
    _submit(room, prefix, "Save the check-in")
    room.run()
    assert any("Trust between us has moved from" in w.value for w in room.warning)
    assert not any(f"Waiting for {item.brought_by}" in c.value for c in room.caption)

    # Through the discussion steps to the actions.
    while sessions.view(hannah, sid).current.step != "actions":
        room.button(key="room_next").click().run()
        assert not room.exception
    earlier = sessions.actions_to_review(hannah, sid)
    day = clock.local(sessions.view(hannah, sid).scheduled_for).date()
    due = [a for a in earlier if sessions.due_for_review(a, day)]
    assert due, "the demo leaves open actions from earlier sessions that have come due"
    carry = due[0]
    room.selectbox(key=f"room_review_outcome_{carry.id}").set_value("carried_over")
    _submit(room, "room_review", "Save what we decided")
    assert "Why" in room.error[0].value
    room.text_input(key=f"room_review_reason_{carry.id}").input("Mum asked us to wait until after half term")
    room.text_input(key=f"room_review_due_{carry.id}").input(f"{clock.today() + timedelta(days=14):%d/%m/%Y}")
    _submit(room, "room_review", "Save what we decided")
    carried = [a for a in sessions.session_actions(hannah, sid) if a.carried_from_id == carry.id]
    assert len(carried) == 1

    # Closing round and close.
    room.button(key="room_next").click().run()
    assert "Closing round" in [h.value for h in room.header]
    own = _page(tokens["priya"], "pages/session_room.py", sid)
    for k in ("felt_heard", "helped_my_work", "held_my_worries"):
        own.radio(key=f"room_closing_me_{k}").set_value(8)
    _submit(own, "room_closing_me", "Share my closing")
    room.run()
    room.checkbox(key="room_sure").check().run()
    room.button(key="room_close").click().run()
    assert sessions.view(hannah, sid).status == "closed"

    # The record: an amendment, exports.
    record = _page(tokens["hannah"], "pages/session_record.py", sid)
    record.text_area(key="record_amend_text").input("Correction: Tom's visit is on Thursday.")
    _submit(record, "record_amend", "Add the amendment")
    assert not record.exception
    assert not [t for t in record.text_area if t.key.startswith("record_summary_text_")], "closed: read-only"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    pages = PdfReader(io.BytesIO(session_record.pdf(hannah, sid))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # words, not PDF spacing
    for expected in (
        "Group supervision: Riverside Early Help",
        "Priya Shah: 6 out of 10",
        "keep hope",
        "Mum asked us to wait until after half term",
        "Correction: Tom's visit is on Thursday.",
    ):
        assert expected in text, expected


def test_another_team_cannot_open_the_session(demo: dict) -> None:
    at = _page(demo["tokens"]["grace"], "pages/session_room.py", demo["session_id"])
    assert not at.exception
    assert "isn't one of your team's" in at.warning[0].value
    rec = _page(demo["tokens"]["grace"], "pages/session_record.py", demo["session_id"])
    assert "isn't one of your team's" in rec.warning[0].value


def test_the_demo_records_use_every_part(demo: dict) -> None:
    hannah = demo["hannah"]
    closed = [line for line in sessions.sessions_for(hannah, limit=50) if line.status == "closed"]
    records = [sessions.record(hannah, line.id) for line in closed]
    assert all(r.arrivals and r.closings and r.check_ins and r.view.items for r in records)
    assert any(r.reviewed_actions for r in records) and any(r.amendments for r in records)
    assert any(i.summary_ready for r in records for i in r.view.items)
    assert {a.status for r in records for a in r.reviewed_actions} >= {"done", "carried_over"}
