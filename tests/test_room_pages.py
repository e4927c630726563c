"""The session room's screens through AppTest, as a team meets them in week one: the session
in the URL (refresh, the sidebar, another team's id), add-for-someone forms that start empty,
the closing round as the team's spread, no language hints on the shared screen, attendance
for a colleague, the plan saying when the time-boxes don't fit, and typed text that never
becomes a link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from components.session_pick import KEY as SESSION_KEY
from db import accounts, clock, sessions
from db.engine import session_scope
from db.models import ArrivalCheckIn, ClosingCheckIn, SessionAttendee
from db.seed.demo import DEMO_PASSWORD, load_demo
from tests.conftest import app_for


def _token(username: str) -> str:
    result = accounts.sign_in(username, DEMO_PASSWORD)
    assert result.ok
    return result.token or ""


def _room(token: str, *, url_session: int | None = None, state_session: int | None = None) -> AppTest:
    at = app_for(token)
    if url_session is not None:
        at.query_params["session"] = str(url_session)
    if state_session is not None:
        at.session_state[SESSION_KEY] = state_session
    return at.switch_page("pages/session_room.py").run()


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{label}").click().run()
    assert not at.exception, at.exception
    return at


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def demo(sqlite_db: str) -> dict[str, object]:
    load_demo()
    tokens = {u: _token(u) for u in ("hannah", "priya", "tom", "jack", "grace")}
    hannah = accounts.actor_for_token(tokens["hannah"])
    assert hannah is not None
    planned = next(line for line in sessions.sessions_for(hannah) if line.status == "planned")
    people = {p.name.split()[0].lower(): p.id for p in sessions.team_people(hannah, planned.team_id)}
    return {"tokens": tokens, "sid": planned.id, "hannah": hannah, "people": people}


def _start(demo: dict) -> None:
    hannah, sid = demo["hannah"], demo["sid"]
    sessions.start(hannah, sid, sessions.view(hannah, sid).version)


def test_the_room_lives_in_the_url_and_opens_on_the_teams_session(demo: dict) -> None:
    _start(demo)
    sid = demo["sid"]
    # From the sidebar, nothing chosen: the team's running session, and the URL says so.
    at = _room(demo["tokens"]["hannah"])
    assert "How is everyone arriving today?" in [h.value for h in at.header]
    assert at.query_params["session"] in (str(sid), [str(sid)])
    # A refresh: a new tab's state, only the URL.
    fresh = _room(demo["tokens"]["hannah"], url_session=sid)
    assert "How is everyone arriving today?" in [h.value for h in fresh.header]
    assert "Choose a session" not in _all_text(fresh)
    # A practitioner's phone, from the sidebar: the same session.
    phone = _room(demo["tokens"]["priya"])
    assert any("The room is on: Arrival round" in i.value for i in phone.info)


def test_another_teams_session_id_is_refused_without_its_title(demo: dict) -> None:
    at = _room(demo["tokens"]["grace"], url_session=demo["sid"])
    assert not at.exception
    assert "isn't one of your team's" in at.warning[0].value
    assert "Riverside" not in _all_text(at)
    for page in ("pages/sessions.py", "pages/session_record.py"):
        other = app_for(demo["tokens"]["grace"])
        other.query_params["session"] = str(demo["sid"])
        other.switch_page(page).run()
        assert not other.exception
        assert any("isn't one of your team's" in w.value for w in other.warning), page
        assert "Riverside" not in " ".join(
            [s.value for s in other.header] + [m.value for m in other.markdown]
        ), page


def test_adding_for_two_people_in_a_row_keeps_each_ones_own_answers(demo: dict) -> None:
    _start(demo)
    sid, people = demo["sid"], demo["people"]
    at = _room(demo["tokens"]["hannah"], url_session=sid)
    # Priya: 3, "tired", would like the team's help.
    at.selectbox(key="room_arrival_for_who").set_value(people["priya"])
    at.radio(key="room_arrival_for_score").set_value(3)
    at.text_input(key="room_arrival_for_word").input("tired")
    at.checkbox(key="room_arrival_for_needs").check()
    _submit(at, "room_arrival_for", "Add to the circle")
    # The form is empty for the next person.
    assert at.selectbox(key="room_arrival_for_who").value is None
    assert at.radio(key="room_arrival_for_score").value is None
    assert at.text_input(key="room_arrival_for_word").value == ""
    assert at.checkbox(key="room_arrival_for_needs").value is False
    # Tom: only a number.
    at.selectbox(key="room_arrival_for_who").set_value(people["tom"])
    at.radio(key="room_arrival_for_score").set_value(8)
    _submit(at, "room_arrival_for", "Add to the circle")
    with session_scope() as s:
        rows = {
            r.person_id: (r.score, r.word, r.needs_team)
            for r in s.exec(select(ArrivalCheckIn).where(ArrivalCheckIn.session_id == sid)).all()
        }
    assert rows[people["priya"]] == (3, "tired", True)
    assert rows[people["tom"]] == (8, "", False), "Tom must not inherit Priya's word or her ask for help"
    # Saving with nobody chosen says so, and keeps the answers.
    at.radio(key="room_arrival_for_score").set_value(5)
    _submit(at, "room_arrival_for", "Add to the circle")
    assert "choose who" in at.error[0].value.lower()
    assert at.radio(key="room_arrival_for_score").value == 5


def test_closing_round_on_the_shared_screen_is_the_teams_spread_not_names(demo: dict) -> None:
    hannah, sid, people = demo["hannah"], demo["sid"], demo["people"]
    _start(demo)
    view = sessions.view(hannah, sid)
    sessions.go_to(hannah, sid, view.version, len(view.stages) - 1)
    for who, scores, word in (
        ("priya", (9, 8, 7), "lighter"),
        ("tom", (4, 5, 6), "wobbly"),
        ("jack", (7, 7, 7), ""),
    ):
        sessions.record_closing(
            hannah,
            sid,
            person_id=people[who],
            scores=dict(zip(sessions.CLOSING_ITEMS, scores, strict=True)),
            word=word,
        )
    at = _room(demo["tokens"]["hannah"], url_session=sid)
    shown = _all_text(at) + " ".join(str(t.value) for t in at.table)
    assert "3 of" in shown
    for name in ("Priya Shah", "Tom Reilly", "Jack Doherty"):
        assert name not in shown, f"{name}'s closing shows by name on the shared screen"
    assert "lighter" in shown and "wobbly" in shown
    assert "4 · 7 · 9" in shown  # "I felt heard", everyone's, low to high
    # Priya's own device shows her own.
    own = _room(demo["tokens"]["priya"], url_session=sid)
    assert any("Heard 9 · helped 8 · held 7" in t.value for t in own.text)


def test_language_hints_never_show_on_the_shared_screen(demo: dict) -> None:
    hannah, sid = demo["hannah"], demo["sid"]
    _start(demo)
    view = sessions.view(hannah, sid)
    item = next(i for i in view.items if i.case_id is not None)
    sessions.record_check_in(
        hannah,
        sid,
        item.case_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
        practitioner_id=item.brought_by_id,
        scores={"trust": 5, "feel_heard": 5, "what_matters": 5, "hope": 5},
        working_well="Mum is non-compliant and the family are hard to reach.",
    )
    check_in_step = next(n for n, s in enumerate(view.stages) if s.item_id == item.id)
    sessions.go_to(hannah, sid, view.version, check_in_step)
    at = _room(demo["tokens"]["hannah"], url_session=sid)
    assert any("non-compliant" in t.value for t in at.text), "the colleague's words show"
    assert not [c for c in at.caption if "second look at some words" in c.value]


def test_the_supervisor_records_a_colleagues_apologies_and_presence(demo: dict) -> None:
    sid, people = demo["sid"], demo["people"]
    at = app_for(demo["tokens"]["hannah"])
    at.query_params["session"] = str(sid)
    at.switch_page("pages/sessions.py").run()
    at.selectbox(key="sessions_attendance_who").set_value(people["tom"])
    at.radio(key="sessions_attendance_what").set_value("apologies")
    _submit(at, "sessions_attendance", "Save")
    _start(demo)
    room = _room(demo["tokens"]["hannah"], url_session=sid)
    room.selectbox(key="room_attendance_who").set_value(people["priya"])
    room.radio(key="room_attendance_what").set_value("present")
    _submit(room, "room_attendance", "Save")
    with session_scope() as s:
        attendance = {
            a.person_id: a.attendance
            for a in s.exec(select(SessionAttendee).where(SessionAttendee.session_id == sid)).all()
        }
    assert attendance[people["tom"]] == "apologies" and attendance[people["priya"]] == "present"
    # A practitioner can't do it for someone else (the data layer refuses).
    from db.errors import NotAllowed

    priya = accounts.actor_for_token(demo["tokens"]["priya"])
    assert priya is not None
    with pytest.raises(NotAllowed):
        sessions.set_attendance(priya, sid, people["tom"], "present")


def test_the_plan_says_when_the_time_boxes_dont_fit(demo: dict) -> None:
    hannah, sid = demo["hannah"], demo["sid"]
    priya = accounts.actor_for_token(demo["tokens"]["priya"])
    assert priya is not None
    for _ in range(3):
        sessions.bring(priya, sid, case_id=None, ask="A theme for the team", time_box_minutes=30)
    at = app_for(demo["tokens"]["hannah"])
    at.query_params["session"] = str(sid)
    at.switch_page("pages/sessions.py").run()
    view = sessions.view(hannah, sid)
    asked = sum(view.asked_minutes().values())
    assert asked > view.duration_minutes
    assert any(f"adds up to {asked} minutes of a {view.duration_minutes}-minute" in i.value for i in at.info)
    assert sum(view.time_boxes().values()) <= view.duration_minutes


def test_typed_links_and_formulas_stay_text_in_the_room(demo: dict) -> None:
    hannah, sid = demo["hannah"], demo["sid"]
    priya = accounts.actor_for_token(demo["tokens"]["priya"])
    assert priya is not None
    hostile = '[click me](https://evil.example) https://evil.example =HYPERLINK("https://evil.example")'
    sessions.bring(priya, sid, case_id=None, ask=hostile)
    _start(demo)
    view = sessions.view(hannah, sid)
    discussion = next(
        n for n, s in enumerate(view.stages) if s.step == "discussion" and view.item(s.item_id).ask == hostile  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    )
    sessions.go_to(hannah, sid, view.version, discussion)
    at = _room(demo["tokens"]["hannah"], url_session=sid)
    assert any(t.value == hostile for t in at.text), "the ask shows exactly as typed"
    for element in list(at.markdown) + list(at.caption) + list(at.header):
        value = str(element.value)
        assert "](https://evil" not in value and "https://evil" not in value.replace("\\", ""), value
    # The agenda on the sessions screen too.
    agenda = app_for(demo["tokens"]["priya"])
    agenda.query_params["session"] = str(sid)
    agenda.switch_page("pages/sessions.py").run()
    assert any(t.value == hostile for t in agenda.text)
    for element in list(agenda.markdown) + list(agenda.caption):
        assert "](https://evil" not in str(element.value)


def test_a_closed_record_offers_no_edit_and_the_room_links_to_it(demo: dict) -> None:
    hannah, sid = demo["hannah"], demo["sid"]
    _start(demo)
    sessions.close(hannah, sid, sessions.view(hannah, sid).version)
    room = _room(demo["tokens"]["priya"], url_session=sid)
    assert any("has closed" in i.value for i in room.info)
    record = app_for(demo["tokens"]["hannah"])
    record.query_params["session"] = str(sid)
    record.switch_page("pages/session_record.py").run()
    assert not [t for t in record.text_area if t.key.startswith("record_summary_text_")]  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert [t for t in record.text_area if t.key == "record_amend_text"], (
        "the amendment is the way to correct"
    )
    assert not [k for k in (c.key for c in record.checkbox) if k and k.startswith("record_summary_ready_")]
    # Nothing of it can be changed from the room's forms either.
    with pytest.raises(Exception, match="closed"):
        sessions.record_arrival(hannah, sid, person_id=demo["people"]["tom"], score=3)
    with session_scope() as s:
        assert not s.exec(select(ClosingCheckIn).where(ClosingCheckIn.session_id == sid)).all()


def test_times_are_shown_in_uk_time_without_utc(demo: dict) -> None:
    sid = demo["sid"]
    at = _room(demo["tokens"]["hannah"], url_session=sid)
    view = sessions.view(demo["hannah"], sid)
    caption = " ".join(c.value for c in at.caption)
    assert clock.when(view.scheduled_for) in caption
    assert "UTC" not in caption
    listing = app_for(demo["tokens"]["hannah"])
    listing.query_params["session"] = str(sid)
    listing.switch_page("pages/sessions.py").run()
    assert not [s for s in listing.header if "UTC" in s.value]
    assert clock.when(view.scheduled_for) in " ".join(s.value for s in listing.header)
    assert timedelta(0) <= clock.local(view.scheduled_for).utcoffset() <= timedelta(hours=1)  # type: ignore[operator]  # the value is present here (a PRAGMA row, an aware time's offset, a scored text)
