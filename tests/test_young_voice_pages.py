"""The young person's own view on the case page and in the session room, through AppTest on
the demo team: both views side by side with the gap question and the drop, making a link
(shown once with a QR code), withdrawing it, a note for them with the lens and a reading
age, and who sees what."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from components.identity import TEST_TOKEN_KEY
from db import accounts, young_voice
from db.engine import session_scope
from db.errors import NotValid
from db.models import Case, YoungVoiceLink, YoungVoiceNote
from db.seed.demo import load_demo
from tests.conftest import app_as


@pytest.fixture
def demo(sqlite_db: str) -> str:
    load_demo()
    return sqlite_db


def _case_id(reference: str) -> int:
    with session_scope() as s:
        return int(s.exec(select(col(Case.id)).where(col(Case.reference) == reference)).one())


def _open(username: str, reference: str) -> AppTest:
    at = app_as(username)
    at.query_params["case"] = str(_case_id(reference))
    return at.switch_page("pages/case.py").run()


def _text(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [t.value for t in at.text]
        + [c.value for c in at.caption]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [s.value for s in at.success]
    )


def test_both_views_side_by_side_with_the_gap_and_the_drop(demo: str) -> None:
    at = _open("jack", "AD-33")
    assert not at.exception
    shown = _text(at)
    assert "In the young person's own words" in shown
    assert "Where do we see this differently from the young person?" in shown
    assert "They feel heard by me: the young person said “Not really”" in shown
    assert "own answer has moved from “Mostly” to “Not really”" in shown
    assert "I don't like the meetings where everyone talks about me" in shown  # their words, as text
    tables = [t.value for t in at.table]
    assert any("Not really" in df.to_string() for df in tables)
    assert at.get("vega_lite_chart")  # the trend of both views


def test_a_practitioner_makes_a_link_sees_it_once_and_withdraws_it(demo: str) -> None:
    at = _open("priya", "JT-07")
    assert "Waiting for an answer" in _text(at)  # the demo's unanswered link
    form_button = next(b for b in at.button if b.label == "Make a check-in link")
    form_button.click().run()
    assert "Please choose who the questions are for" in at.error[0].value  # nothing chosen yet
    at.radio(key=f"young_voice_wording_{_case_id('JT-07')}").set_value("younger")
    next(b for b in at.button if b.label == "Make a check-in link").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    [url] = [c.value for c in at.code]
    assert "/voice/" in url and len(url.rsplit("/", 1)[1]) >= 40
    assert any("](data:image/png;base64," in m.value for m in at.markdown)  # the QR code, with alt text
    token = url.rsplit("/", 1)[1]
    assert young_voice.open_link(token, client="test").name == "Priya"
    next(b for b in at.button if b.label == "I've sent it: put the link away").click().run()
    assert not at.code  # shown once: Circle keeps only its hash
    withdraw = [b for b in at.button if str(b.label).startswith("Withdraw the link made ")]
    assert len(withdraw) == 2  # the new one and the demo's waiting one
    assert len({str(b.label) for b in withdraw}) == 2  # distinct names for a screen reader
    withdraw[0].click().run()
    assert "Withdrawn" in _text(at)
    assert not young_voice.open_link(token, client="test").ok
    with session_scope() as s:
        assert all(token not in (link.token_hash or "") for link in s.exec(select(YoungVoiceLink)).all())


def test_withdrawing_a_link_answered_in_between_says_so_kindly(
    demo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open("priya", "JT-07")
    [withdraw] = [b for b in at.button if str(b.label).startswith("Withdraw the link made ")]

    def answered_meanwhile(*_: object) -> None:  # the data layer's refusal when it was just answered
        raise NotValid({"link": "This link can't be withdrawn now: answered."})

    monkeypatch.setattr(young_voice, "withdraw", answered_meanwhile)
    withdraw.click().run()
    assert not at.exception, at.exception
    assert "This link can't be withdrawn now\\: answered" in _text(at)  # as text: markdown escaped


def test_a_colleague_reads_but_cannot_send_and_a_manager_sees_none_of_it(demo: str) -> None:
    at = _open("tom", "AD-33")
    shown = _text(at)
    assert "In the young person's own words" in shown
    assert not any(b.label == "Make a check-in link" for b in at.button)
    assert "The case's practitioner or the team's supervisor can ask the young person" in shown
    at = _open("marcus", "AD-33")
    assert not at.exception
    assert "In their words" not in _text(at) and "own words" not in _text(at)


def test_a_note_for_them_with_the_lens_and_a_reading_age_kept_with_who_and_when(demo: str) -> None:
    at = _open("jack", "AD-33")
    case_id = _case_id("AD-33")
    area = at.text_area(key=f"young_voice_note_{case_id}")
    area.input(
        "We talked about your contact with Dad. The team thinks the bike workshop is a good idea and "
        "we will help you get there on Monday."
    ).run()
    shown = _text(at)
    assert "Reading age about" in shown
    assert "contact" in shown and "family time" in shown  # the lens's second look
    next(b for b in at.button if b.label == "Keep this note").click().run()
    assert not at.exception
    assert "Kept on the case" in _text(at)
    assert at.text_area(key=f"young_voice_note_{case_id}").value == ""
    with session_scope() as s:
        bodies = [n.body for n in s.exec(select(YoungVoiceNote).where(YoungVoiceNote.case_id == case_id))]
    assert any(b.startswith("We talked about your contact") for b in bodies)
    assert "Written by Jack Doherty" in _text(at)
    pdfs = [str(b.label) for b in at.get("download_button") if "as a PDF" in str(b.label)]  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
    assert len(pdfs) == 2 and len(set(pdfs)) == 2  # the demo's note and this one, each named by when


def test_an_empty_note_is_refused_kindly(demo: str) -> None:
    at = _open("jack", "AD-33")
    next(b for b in at.button if b.label == "Keep this note").click().run()
    assert "Your note to them" in at.error[0].value


def test_the_room_shows_their_view_at_the_check_in_step(demo: str) -> None:
    from db import sessions

    at = app_as("hannah")
    hannah = accounts.actor_for_token(at.session_state[TEST_TOKEN_KEY])
    assert hannah is not None
    [line] = [x for x in sessions.sessions_for(hannah) if x.status == "planned"][:1]
    view = sessions.view(hannah, line.id)
    sessions.start(hannah, line.id, view.version)
    view = sessions.view(hannah, line.id)
    ad33 = next(i for i in view.items if i.case_id == _case_id("AD-33"))
    position = next(
        n for n, st_ in enumerate(view.stages) if st_.step == "check_ins" and st_.item_id == ad33.id
    )
    sessions.go_to(hannah, line.id, view.version, position)
    at.query_params["session"] = str(line.id)
    at = at.switch_page("pages/session_room.py").run()
    assert not at.exception
    shown = _text(at)
    assert "Where do we see this differently from the young person?" in shown
    assert "In the young person's own words" in shown
