"""The young person's own view, in the data layer (SQLite and PostgreSQL): links that work
once, expire and can be withdrawn; their answers beside the practitioner's with the gap and
drops; notes written for them; who may do what; audit lines; restriction, erasure,
retention and subject access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from db import case_board, data_protection, sessions, young_voice
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import AuditEvent, YoungVoiceAnswer, YoungVoiceLink, YoungVoiceNote
from tests import factories

ALL_MOSTLY = {"trust": "3", "feel_heard": "3", "what_matters": "3", "hope": "3"}


@pytest.fixture
def team(db: str) -> dict:
    team_id = factories.team("Riverside")
    sup = factories.person("hannah", "supervisor", {team_id: "supervisor"})
    priya = factories.person("priya", "practitioner", {team_id: "practitioner"})
    tom = factories.person("tom", "practitioner", {team_id: "practitioner"})
    case_id = case_board.create_case(sup.actor(), team_id, reference="JT-07", lead_id=priya.person_id)
    return {"team": team_id, "sup": sup, "priya": priya, "tom": tom, "case": case_id}


def _actions() -> list[tuple[str, str, str, str]]:
    with session_scope() as s:
        rows = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        return [
            (r.action, r.actor_label, r.record_type, r.outcome) for r in rows if r.action.startswith("young")
        ]


def test_a_link_works_once_and_shows_only_the_first_name(team: dict) -> None:
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="teen")
    with session_scope() as s:
        stored = s.get(YoungVoiceLink, link.id)
        assert stored is not None and stored.token_hash != link.token and link.token not in stored.token_hash
    page = young_voice.open_link(link.token, client="10.0.0.1")
    assert page.ok and page.name == "Priya" and page.wording == "teen"
    done = young_voice.answer(link.token, ALL_MOSTLY, "  Thanks for listening  ", client="10.0.0.1")
    assert done.ok and done.name == "Priya"
    again = young_voice.answer(link.token, ALL_MOSTLY, "twice", client="10.0.0.1")
    assert not again.ok and again.gone
    assert not young_voice.open_link(link.token, client="10.0.0.1").ok
    with session_scope() as s:
        rows = s.exec(select(YoungVoiceAnswer)).all()
    assert len(rows) == 1 and rows[0].anything_else == "Thanks for listening" and rows[0].trust == 3
    assert [line.status for line in young_voice.links(team["priya"].actor(), team["case"])] == ["answered"]


def test_missing_answers_are_asked_for_and_nothing_is_kept(team: dict) -> None:
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="younger")
    half = young_voice.answer(link.token, {"trust": "4", "hope": "9"}, "hi", client="c")
    assert not half.ok and set(half.problems or {}) == {"feel_heard", "what_matters", "hope"}
    too_long = young_voice.answer(link.token, ALL_MOSTLY, "x" * 1001, client="c")
    assert not too_long.ok and "anything_else" in (too_long.problems or {})
    assert young_voice.answer(link.token, ALL_MOSTLY, "", client="c").ok


def test_expiry_follows_the_setting(team: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLE_YOUNG_LINK_DAYS", "3")
    now = utcnow()
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="teen", now=now)
    assert link.expires_at == now + timedelta(days=3)
    assert young_voice.open_link(link.token, client="c", now=now + timedelta(days=2, hours=23)).ok
    late = now + timedelta(days=3, seconds=1)
    assert not young_voice.open_link(link.token, client="c", now=late).ok
    assert not young_voice.answer(link.token, ALL_MOSTLY, "", client="c", now=late).ok
    lines = young_voice.links(team["priya"].actor(), team["case"], now=late)
    assert [line.status for line in lines] == ["expired"]
    monkeypatch.setenv("CIRCLE_YOUNG_LINK_DAYS", "nonsense")
    assert young_voice.link_days() == 7


def test_a_withdrawn_link_reveals_nothing(team: dict) -> None:
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="teen")
    young_voice.withdraw(team["sup"].actor(), link.id)
    assert young_voice.open_link(link.token, client="c") == young_voice.open_link("not-a-token", client="c")
    assert young_voice.answer(link.token, ALL_MOSTLY, "", client="c").gone
    with pytest.raises(NotValid):
        young_voice.withdraw(team["priya"].actor(), link.id)


def test_only_the_practitioner_and_supervisor_make_or_withdraw_links_and_notes(team: dict) -> None:
    tom = team["tom"].actor()
    with pytest.raises(NotAllowed):
        young_voice.create_link(tom, team["case"], wording="teen")
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="teen")
    with pytest.raises(NotAllowed):
        young_voice.withdraw(tom, link.id)
    with pytest.raises(NotAllowed):
        young_voice.write_note(tom, team["case"], "We talked about school.")
    assert not young_voice.may_send(tom, team["case"])
    assert young_voice.may_send(team["sup"].actor(), team["case"])
    # Tom is in the team: he reads what the young person said, like every check-in.
    assert young_voice.links(tom, team["case"])[0].status == "waiting"
    assert young_voice.answers(tom, team["case"]) == ()
    with pytest.raises(NotValid):
        young_voice.create_link(team["priya"].actor(), team["case"], wording="adult")


def test_side_by_side_gap_and_drop(team: dict) -> None:
    priya = team["priya"].actor()
    sessions.record_check_in(
        priya, None, team["case"], scores={"trust": 8, "feel_heard": 8, "what_matters": 7, "hope": 7}
    )
    first = young_voice.create_link(priya, team["case"], wording="teen")
    young_voice.answer(
        first.token, {"trust": "4", "feel_heard": "3", "what_matters": "3", "hope": "3"}, "", client="c"
    )
    view = young_voice.beside(priya, team["case"])
    assert view.drops == () and view.differ == ()
    second = young_voice.create_link(priya, team["case"], wording="teen")
    young_voice.answer(
        second.token, {"trust": "4", "feel_heard": "1", "what_matters": "3", "hope": "3"}, "", client="c"
    )
    view = young_voice.beside(priya, team["case"])
    assert len(view.answers) == 2 and len(view.ours) == 1
    assert [(d.item, d.before, d.now) for d in view.drops] == [
        ("They feel heard by me", "Mostly", "Not really")
    ]
    assert [(g.item, g.theirs, g.ours) for g in view.differ] == [("They feel heard by me", "Not really", 8)]
    assert view.question == "Where do we see this differently from the young person?"


def test_audit_lines_for_made_opened_answered_withdrawn(team: dict) -> None:
    priya = team["priya"].actor()
    link = young_voice.create_link(priya, team["case"], wording="younger")
    young_voice.open_link(link.token, client="c")
    young_voice.open_link(link.token, client="c")  # noted once
    young_voice.answer(link.token, ALL_MOSTLY, "", client="c")
    other = young_voice.create_link(priya, team["case"], wording="younger")
    young_voice.withdraw(priya, other.id)
    young_voice.open_link("guessed", client="c")
    young_voice.write_note(priya, team["case"], "We talked about your football.")
    assert _actions() == [
        ("young_link_create", "priya", "young_voice_link", "ok"),
        ("young_link_open", "young person's link", "young_voice_link", "ok"),
        ("young_link_answer", "young person's link", "young_voice_link", "ok"),
        ("young_link_create", "priya", "young_voice_link", "ok"),
        ("young_link_withdraw", "priya", "young_voice_link", "ok"),
        ("young_link_open", "young person's link", "", "refused"),
        ("young_note", "priya", "young_voice_note", "ok"),
    ]


def test_per_client_rate_limit(team: dict) -> None:
    for _ in range(young_voice.CLIENT_LIMIT // young_voice.MISS_COST):
        assert young_voice.open_link("guess", client="10.9.9.9").wait_seconds == 0
    assert young_voice.open_link("guess", client="10.9.9.9").wait_seconds > 0
    link = young_voice.create_link(team["priya"].actor(), team["case"], wording="teen")
    assert young_voice.open_link(link.token, client="10.9.9.9").wait_seconds > 0
    assert young_voice.open_link(link.token, client="10.1.1.1").ok  # another address is not slowed
    later = utcnow() + young_voice.WINDOW + timedelta(seconds=1)
    assert young_voice.open_link(link.token, client="10.9.9.9", now=later).ok


def test_notes_are_kept_with_who_and_when_and_print_only_their_words(team: dict) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from db.young_voice_pdf import note_pdf

    priya = team["priya"].actor()
    with pytest.raises(NotValid):
        young_voice.write_note(priya, team["case"], "   ")
    note_id = young_voice.write_note(priya, team["case"], "We talked about Zoë's football on Saturdays.")
    [line] = young_voice.notes(team["tom"].actor(), team["case"])
    assert line.written_by == "Priya Example" and line.body.startswith("We talked")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(note_pdf(priya, note_id))).pages)
    assert "Zoë's football" in text and "Priya Example" in text
    assert "JT-07" not in text and "Circle" not in text
    assert ("export", "young_voice_note") in [
        (a, t) for a, _, t, _ in [(r.action, 0, r.record_type, 0) for r in _all_audit()]
    ]


def _all_audit() -> list[AuditEvent]:
    with session_scope() as s:
        return list(s.exec(select(AuditEvent)).all())


def test_reading_age() -> None:
    assert young_voice.reading_age("Too short.") is None
    easy = "We had a chat. You like your dog. We will meet on Monday. You can ring me if you want."
    hard = (
        "Consideration of the multidisciplinary safeguarding arrangements necessitated comprehensive "
        "evaluation of intergenerational communication difficulties and organisational responsibilities."
    )
    assert young_voice.reading_age(easy) <= 8 < 16 <= young_voice.reading_age(hard)  # type: ignore[operator]  # the value is present here (a PRAGMA row, an aware time's offset, a scored text)


def test_restriction_erasure_retention_and_subject_access(team: dict) -> None:
    priya = team["priya"].actor()
    link = young_voice.create_link(priya, team["case"], wording="teen")
    young_voice.answer(link.token, ALL_MOSTLY, "Priya Example helps me", client="c")
    young_voice.write_note(priya, team["case"], "We talked about school.")
    admin = factories.person("alex", "admin").actor()

    found = data_protection.subject_access(admin, team["priya"].person_id)
    assert len(found["tables"]["young_voice_answer.practitioner_id"]) == 1
    assert len(found["tables"]["young_voice_note.written_by_id"]) == 1
    assert len(found["tables"]["young_voice_link.created_by_id"]) == 1
    assert {"table": "young_voice_answer", "column": "anything_else", "id": 1} in found["named_in_free_text"]
    assert all("token_hash" not in row for row in found["tables"]["young_voice_link.created_by_id"])

    restriction_id = data_protection.restrict(admin, "case", team["case"], reason="Accuracy contested")
    with pytest.raises(NotAllowed):
        young_voice.beside(priya, team["case"])
    with pytest.raises(NotAllowed):
        young_voice.create_link(priya, team["case"], wording="teen")
    data_protection.lift_restriction(admin, restriction_id)
    waiting = young_voice.create_link(priya, team["case"], wording="teen")
    data_protection.restrict(admin, "case", team["case"], reason="Accuracy contested")
    assert not young_voice.open_link(waiting.token, client="c").ok  # a restricted case's link is out of use

    data_protection.erase(admin, "case", team["case"], reason="The council agreed the request.")
    with session_scope() as s:
        for model in (YoungVoiceLink, YoungVoiceAnswer, YoungVoiceNote):
            assert s.exec(select(model)).all() == []


def test_purging_a_closed_case_takes_their_answers(team: dict) -> None:
    priya = team["priya"].actor()
    link = young_voice.create_link(priya, team["case"], wording="teen")
    young_voice.answer(link.token, ALL_MOSTLY, "", client="c")
    from db.models import Case

    with session_scope(write=True) as s:
        case = s.get(Case, team["case"])
        case.status, case.closed_on = "closed", utcnow().date() - timedelta(days=800)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        s.add(case)
    admin = factories.person("alex", "admin").actor()
    data_protection.set_retention(admin, "case", 12)
    data_protection.purge(actor=admin)
    with session_scope() as s:
        assert s.exec(select(YoungVoiceAnswer)).all() == []


def test_an_answer_is_erased_or_purged_on_its_own(team: dict) -> None:
    priya = team["priya"].actor()
    admin = factories.person("alex", "admin").actor()
    for _ in range(2):
        link = young_voice.create_link(priya, team["case"], wording="teen")
        young_voice.answer(link.token, ALL_MOSTLY, "", client="c")
    first, second = (a.id for a in young_voice.answers(priya, team["case"]))
    with pytest.raises(NotAllowed):
        data_protection.erase(priya, "young_voice_answer", first, reason="Asked")
    data_protection.erase(admin, "young_voice_answer", first, reason="The young person asked.")
    assert [a.id for a in young_voice.answers(priya, team["case"])] == [second]
    assert "young_voice_answer" in data_protection.KINDS

    data_protection.set_retention(admin, "young_voice_answer", 6)
    assert data_protection.purge(actor=admin).removed["young_voice_answer"] == 0  # too recent
    later = utcnow() + timedelta(days=200)
    assert data_protection.purge(actor=admin, now=later).removed["young_voice_answer"] == 1
    assert young_voice.answers(priya, team["case"]) == ()

    link = young_voice.create_link(priya, team["case"], wording="teen")
    young_voice.answer(link.token, ALL_MOSTLY, "", client="c")
    data_protection.place_hold(admin, reason="A complaint", case_id=team["case"])
    result = data_protection.purge(actor=admin, now=utcnow() + timedelta(days=400))
    assert result.removed["young_voice_answer"] == 0 and result.kept_by_hold["young_voice_answer"] == 1
