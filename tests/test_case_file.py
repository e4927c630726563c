"""Case-file entries through the data layer, on SQLite and PostgreSQL: one family's part of a
session and nothing else, the check-in only when the team agrees, copied-to-the-case-file
ticks with who and when (versioned), exports as text and PDF (audited), scope and restriction."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import select

from db import case_file, case_file_pdf, clock, data_protection, risk_log, sessions
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import AgendaItem, AuditEvent, Case, SupervisionSession
from tests import factories, notify_world
from tests.notify_world import SECRETS, World

OTHER_FAMILY = {
    "reference": "KX-9902",
    "ask": "Okonkwo twins: what does stickability look like here",
    "summary": "Team agreed Dad's new job changes Tuesday visits",
    "action": "Write to the Okonkwo twins' school nurse",
    "check_in": "The twins showed me their drawings",
}
THEME = "Theme: endings when a family moves away"
ARRIVAL_WORD = "frazzled"
CLOSING_WORD = "lighter"


@pytest.fixture
def world(db: str) -> World:
    return notify_world.build(emails=False)


def _version(sid: int) -> int:
    with session_scope() as s:
        return s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def _item_version(item_id: int) -> int:
    with session_scope() as s:
        return s.get(AgendaItem, item_id).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def _held_session(w: World, *, close: bool = True) -> tuple[int, int]:
    """A session with our case, another family and a theme, every round filled in."""
    sup, pat, zoe = w.sup.actor(), w.pat.actor(), w.zoe.actor()
    with session_scope(write=True) as s:
        other = Case(
            team_id=w.team_id, reference=OTHER_FAMILY["reference"], lead_practitioner_id=w.zoe.person_id
        )
        s.add(other)
        s.flush()
        other_id = int(other.id)
    sid = sessions.plan(sup, w.team_id, day=clock.today(), start=time(0, 5), duration_minutes=90)
    ours = sessions.bring(pat, sid, case_id=w.case_id, ask=SECRETS["ask"])
    theirs = sessions.bring(zoe, sid, case_id=other_id, ask=OTHER_FAMILY["ask"])
    sessions.bring(zoe, sid, case_id=None, ask=THEME)
    sessions.start(sup, sid, _version(sid))
    for someone in (w.sup, w.pat, w.zoe):
        sessions.set_attendance(sup, sid, someone.person_id, "present")
    sessions.record_arrival(pat, sid, person_id=w.pat.person_id, score=3, word=ARRIVAL_WORD)
    sessions.record_check_in(
        pat,
        sid,
        w.case_id,
        scores={"trust": 7, "feel_heard": 6, "what_matters": 8, "hope": 5},
        working_well=SECRETS["check_in"],
    )
    sessions.record_check_in(
        zoe,
        sid,
        other_id,
        scores={"trust": 4, "feel_heard": 4, "what_matters": 4, "hope": 4},
        working_well=OTHER_FAMILY["check_in"],
    )
    sessions.save_notes(
        pat,
        ours,
        discussion_notes=SECRETS["notes"],
        case_file_summary=SECRETS["summary"],
        summary_ready=True,
        version=_item_version(ours),
    )
    sessions.save_notes(
        zoe,
        theirs,
        discussion_notes="",
        case_file_summary=OTHER_FAMILY["summary"],
        summary_ready=True,
        version=_item_version(theirs),
    )
    due = clock.today() + timedelta(days=7)
    sessions.add_action(
        sup, sid, description=SECRETS["action"], owner_id=w.pat.person_id, due_on=due, case_id=w.case_id
    )
    sessions.add_action(
        sup, sid, description=OTHER_FAMILY["action"], owner_id=w.zoe.person_id, due_on=due, case_id=other_id
    )
    risk_log.create_entry(
        pat, w.team_id, notify_world.draft(w, (w.pat.person_id, w.zoe.person_id), session_id=sid)
    )
    sessions.record_closing(
        pat,
        sid,
        person_id=w.pat.person_id,
        scores={"felt_heard": 9, "helped_my_work": 8, "held_my_worries": 9},
        word=CLOSING_WORD,
    )
    if close:
        sessions.close(sup, sid, _version(sid))
    return sid, other_id


def test_an_entry_holds_this_family_and_nothing_of_anyone_else(world: World) -> None:
    sid, _ = _held_session(world)
    text = case_file.text(world.pat.actor(), sid, world.case_id)
    for key in ("reference", "ask", "summary", "action", "worry", "decision"):
        assert SECRETS[key] in text, key
    for leaked in (*OTHER_FAMILY.values(), THEME, ARRIVAL_WORD, CLOSING_WORD, SECRETS["check_in"]):
        assert leaked not in text
    # No arrival or closing scores: the only scores an entry can carry are the check-in's.
    assert "out of 10" not in text and "felt heard" not in text
    assert "Present: Pat Example (Practitioner); Sam Example (Supervisor); Zoe Example (Practitioner)" in text
    assert "Written by: Pat Example, Sam Example (facilitating)" in text
    assert f"by {(clock.today() + timedelta(days=7)):%d %B %Y}" in text


def test_the_check_in_goes_in_only_when_the_team_agrees(world: World) -> None:
    sid, _ = _held_session(world)
    pat = world.pat.actor()
    assert case_file.entry(pat, sid, world.case_id).check_in_recorded
    version = case_file.set_include_check_in(pat, sid, world.case_id, include=True, version=0)
    text = case_file.text(pat, sid, world.case_id)
    assert SECRETS["check_in"] in text and "trust between us 7 out of 10" in text
    assert OTHER_FAMILY["check_in"] not in text
    with pytest.raises(EditConflict):
        case_file.set_include_check_in(world.sup.actor(), sid, world.case_id, include=False, version=0)
    case_file.set_include_check_in(world.sup.actor(), sid, world.case_id, include=False, version=version)
    assert SECRETS["check_in"] not in case_file.text(pat, sid, world.case_id)


def test_the_pdf_holds_the_same_and_both_exports_are_audited(world: World) -> None:
    sid, _ = _held_session(world)
    data = case_file_pdf.pdf(world.sup.actor(), sid, world.case_id)
    pages = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(pages.split())
    assert SECRETS["summary"] in flat and SECRETS["reference"] in flat
    assert OTHER_FAMILY["summary"] not in flat and ARRIVAL_WORD not in flat
    case_file.text(world.pat.actor(), sid, world.case_id)
    with session_scope() as s:
        kinds = set(s.exec(select(AuditEvent.record_type).where(AuditEvent.action == "export")).all())
    assert {"case_file_entry_pdf", "case_file_entry_text"} <= kinds


def test_copied_to_the_case_file_says_who_and_when(world: World) -> None:
    sid, _ = _held_session(world)
    lines = case_file.entries_for_case(world.pat.actor(), world.case_id)
    assert [(line.session_id, line.filed) for line in lines] == [(sid, False)]
    case_file.set_copied(world.pat.actor(), sid, world.case_id, copied=True, version=0)
    line = case_file.entries_for_case(world.sup.actor(), world.case_id)[0]
    assert line.filed and line.copied_by == "Pat Example" and line.copied_at is not None
    # Someone ticking from an older copy is told what is saved now.
    with pytest.raises(EditConflict) as conflict:
        case_file.set_copied(world.zoe.actor(), sid, world.case_id, copied=True, version=0)
    assert "Pat Example" in conflict.value.message
    case_file.set_copied(world.sup.actor(), sid, world.case_id, copied=False, version=line.version)
    assert not case_file.entries_for_case(world.pat.actor(), world.case_id)[0].filed


def test_an_open_session_gives_a_draft_that_cant_be_filed_yet(world: World) -> None:
    sid, _ = _held_session(world, close=False)
    assert "this is a draft" in case_file.text(world.pat.actor(), sid, world.case_id)
    with pytest.raises(NotValid):
        case_file.set_copied(world.pat.actor(), sid, world.case_id, copied=True, version=0)


def test_managers_see_what_is_filed_but_not_the_text(world: World) -> None:
    sid, _ = _held_session(world)
    mgr = world.max.actor()
    assert [line.session_id for line in case_file.entries_for_case(mgr, world.case_id)] == [sid]
    for attempt in (
        lambda: case_file.entry(mgr, sid, world.case_id),
        lambda: case_file.text(mgr, sid, world.case_id),
        lambda: case_file_pdf.pdf(mgr, sid, world.case_id),
        lambda: case_file.set_copied(mgr, sid, world.case_id, copied=True, version=0),
    ):
        with pytest.raises(NotAllowed):
            attempt()


def test_another_team_trainers_and_admins_reach_nothing(world: World) -> None:
    sid, _ = _held_session(world)
    for someone in (world.nia, factories.person("ruth", "trainer"), factories.person("alex", "admin")):
        actor = someone.actor()
        with pytest.raises(NotAllowed):
            case_file.entries_for_case(actor, world.case_id)
        with pytest.raises(NotAllowed):
            case_file.text(actor, sid, world.case_id)


def test_a_case_not_brought_to_the_session_has_no_entry(world: World) -> None:
    sid, _ = _held_session(world)
    with session_scope(write=True) as s:
        unbrought = Case(team_id=world.team_id, reference="NB-0001", lead_practitioner_id=world.pat.person_id)
        s.add(unbrought)
        s.flush()
        case_id = int(unbrought.id)
    with pytest.raises(NotAllowed):
        case_file.entry(world.pat.actor(), sid, case_id)


def test_a_restricted_case_has_no_entries_anyone_can_open(world: World) -> None:
    sid, other_id = _held_session(world)
    admin = factories.person("alex", "admin").actor()
    data_protection.restrict(admin, "case", world.case_id, reason="Accuracy contested")
    for attempt in (
        lambda: case_file.entries_for_case(world.pat.actor(), world.case_id),
        lambda: case_file.text(world.pat.actor(), sid, world.case_id),
        lambda: case_file.set_copied(world.pat.actor(), sid, world.case_id, copied=True, version=0),
    ):
        with pytest.raises(NotAllowed):
            attempt()
    assert [ref for _, ref, _copied in case_file.cases_in(world.pat.actor(), sid)] == [
        OTHER_FAMILY["reference"]
    ]
    assert other_id
