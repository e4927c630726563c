"""Data-protection duties: subject access (no table that refers to a person forgotten),
retention with legal holds, erasure and restriction, each audited."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import SQLModel, select

import db.models as m
from db import case_board, cases, data_protection, risk_log, sessions
from db.__main__ import main
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from tests import permission_grid as grid


@pytest.fixture
def world(db: str) -> grid.World:
    return grid.build_world()


# --- Subject access --------------------------------------------------------------------------------
PERSONISH = ("person", "_by", "owner", "practitioner", "author", "actor", "trainer", "username", "holder")


def test_every_table_that_refers_to_a_person_is_in_subject_access() -> None:
    """Introspect the schema: each foreign key to person.id is covered (the function finds them
    the same way, so a new table cannot be forgotten), and every other column whose name
    suggests a person is either listed as naming one or known not to."""
    fks = {
        (t.name, c.name)
        for t in SQLModel.metadata.sorted_tables
        for c in t.columns
        for fk in c.foreign_keys
        if fk.column.table.name == "person"
    }
    assert fks == set(data_protection.person_references())
    assert len(fks) >= 30
    not_a_person = {
        ("person", "username"),
        ("exercise_run", "trainer_notes"),
        ("notification", "claimed_by"),  # the sending server's name, not a person
        # What an agreement asks the practitioner to bring, and the date they agreed.
        ("supervision_agreement", "practitioner_brings"),
        ("supervision_agreement", "practitioner_agreed_on"),
        ("agreement_template", "practitioner_brings"),
    }  # the person row itself; notes text
    suspicious = {
        (t.name, c.name)
        for t in SQLModel.metadata.sorted_tables
        for c in t.columns
        if any(word in c.name for word in PERSONISH) and not c.foreign_keys
    }
    assert suspicious - fks - set(data_protection.NAME_COLUMNS) - not_a_person == set()


def test_subject_access_holds_every_row_that_names_them(world: grid.World) -> None:
    team = world.teams["own"]
    pat, sam = team.practitioner.actor(), team.supervisor.actor()
    sessions.record_arrival(pat, team.session, person_id=pat.person_id, score=7, word="ready")
    sessions.record_check_in(
        pat, None, team.case, scores={"trust": 7, "feel_heard": 6, "what_matters": 7, "hope": 8}
    )
    sessions.add_action(
        sam,
        team.session,
        description="Visit with Praca Example",
        owner_id=pat.person_id,
        due_on=grid.TODAY + timedelta(days=3),
    )
    data = data_protection.subject_access(world.admin2.actor(), pat.person_id)
    tables = data["tables"]
    assert set(tables) >= {f"{t}.{c}" for t, c in data_protection.person_references()}
    with session_scope() as s:
        for table_name, column in data_protection.person_references():
            table = SQLModel.metadata.tables[table_name]
            count = len(
                s.connection().execute(select(table.c[column]).where(table.c[column] == pat.person_id)).all()
            )
            assert len(tables[f"{table_name}.{column}"]) == count, (table_name, column)
    assert tables["person.id"][0]["username"] == "praca"
    assert "password_hash" not in tables["person.id"][0]
    assert tables["arrival_check_in.person_id"][0]["word"] == "ready"
    assert tables["relationship_check_in.practitioner_id"] and tables["risk_holder.person_id"]
    assert tables["audit_event.actor_label"]  # their sign-in, by username
    assert {"table": "action", "column": "description"} in [
        {k: v for k, v in found.items() if k != "id"} for found in data["named_in_free_text"]
    ]
    json.dumps(data)  # a file, as it stands

    pdf = data_protection.subject_access_pdf(world.admin2.actor(), pat.person_id)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "What Circle holds about Praca Example" in text and "ready" in text
    with session_scope() as s:
        exports = s.exec(select(m.AuditEvent).where(m.AuditEvent.record_type == "subject_access")).all()
    assert len(exports) == 2 and all(e.record_id == str(pat.person_id) for e in exports)


# --- Retention and legal holds ---------------------------------------------------------------------
def _closed_case(world: grid.World, scope: str, reference: str, days_ago: int) -> int:
    team = world.teams[scope]
    case_id = case_board.create_case(
        team.supervisor.actor(), team.id, reference=reference, lead_id=team.practitioner.person_id
    )
    cases.add_network_member(team.supervisor.actor(), case_id, label="Nan", kind="family")
    with session_scope(write=True) as s:
        case = s.get(m.Case, case_id)
        case.status, case.closed_on = "closed", grid.TODAY - timedelta(days=days_ago)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    return case_id


def _exists(model, record_id) -> bool:
    with session_scope() as s:
        return s.get(model, record_id) is not None


def test_purge_respects_retention_and_legal_holds_and_is_audited(world: grid.World) -> None:
    ada = world.admin2.actor()
    old = _closed_case(world, "own", "OLD-1", days_ago=800)
    held = _closed_case(world, "own", "OLD-2", days_ago=800)
    held_by_person = _closed_case(world, "other", "OLD-3", days_ago=800)
    recent = _closed_case(world, "own", "NEW-1", days_ago=30)
    open_case = world.teams["own"].case
    data_protection.place_hold(ada, reason="Proceedings", case_id=held)
    data_protection.place_hold(
        ada, reason="A complaint", person_id=world.teams["other"].practitioner.person_id
    )

    assert data_protection.purge().removed == {}  # nothing set: nothing goes
    data_protection.set_retention(ada, "case", 24)
    result = data_protection.purge()
    assert result.removed["case"] == 1 and result.kept_by_hold["case"] == 2
    assert not _exists(m.Case, old)
    with session_scope() as s:
        assert s.exec(select(m.NetworkMember).where(m.NetworkMember.case_id == old)).all() == []
    assert all(_exists(m.Case, c) for c in (held, held_by_person, recent, open_case))
    with session_scope() as s:
        line = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "purge")).one()
    assert (line.record_type, line.record_id) == ("case", "1 removed, 2 held")

    # Lifting a hold lets the next purge take what it kept; the audit trail is never purged.
    data_protection.lift_hold(ada, data_protection.holds(ada)[-1].id)
    data_protection.purge()
    assert not _exists(m.Case, held)
    with session_scope() as s:
        assert len(s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "purge")).all()) == 2


def test_the_purge_command(world: grid.World, capsys: pytest.CaptureFixture[str]) -> None:
    data_protection.set_retention(world.admin2.actor(), "signin_session", 1)
    with session_scope(write=True) as s:
        for row in s.exec(select(m.SignInSession)).all():
            row.created_at = utcnow() - timedelta(days=90)
            row.revoked_at = utcnow() - timedelta(days=89)
    assert main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "Sign-in sessions (ended): " in out and "never purged" in out


def test_retention_periods_are_checked(world: grid.World) -> None:
    ada = world.admin2.actor()
    for bad in (0, -3, 5000, True):
        with pytest.raises(NotValid):
            data_protection.set_retention(ada, "case", bad)
    with pytest.raises(NotValid):
        data_protection.set_retention(ada, "everything", 12)
    with pytest.raises(NotAllowed):
        data_protection.set_retention(world.teams["own"].supervisor.actor(), "case", 12)
    data_protection.set_retention(ada, "case", 72)
    assert {r.kind: r.keep_months for r in data_protection.retention(ada)}["case"] == 72


# --- Erasure and restriction -----------------------------------------------------------------------
def test_erasing_a_case_takes_what_belongs_to_it(world: grid.World) -> None:
    ada = world.admin2.actor()
    team = world.teams["own"]
    pat = team.practitioner.actor()
    sessions.record_check_in(
        pat, None, team.case, scores={"trust": 7, "feel_heard": 6, "what_matters": 7, "hope": 8}
    )
    data_protection.place_hold(ada, reason="Inquiry", case_id=team.case)
    with pytest.raises(NotValid, match="legal hold"):
        data_protection.erase(ada, "case", team.case, reason="Request agreed")
    data_protection.lift_hold(ada, data_protection.holds(ada)[0].id)
    data_protection.erase(ada, "case", team.case, reason="Request agreed")
    with session_scope() as s:
        assert s.get(m.Case, team.case) is None
        assert (
            s.exec(select(m.RelationshipCheckIn).where(m.RelationshipCheckIn.case_id == team.case)).all()
            == []
        )
        assert s.exec(select(m.RiskEntry).where(m.RiskEntry.thread_id == team.thread)).all() == []
        line = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "erase")).one()
    assert (line.record_type, line.record_id, line.actor_id) == ("case", str(team.case), ada.person_id)
    with pytest.raises(NotAllowed):
        cases.case_detail(pat, team.case)


def test_erasing_a_person_removes_who_they_are_not_the_teams_records(world: grid.World) -> None:
    ada = world.admin2.actor()
    pat = world.teams["own"].practitioner
    data_protection.erase(ada, "person", pat.person_id, reason="Left; asked for erasure")
    with session_scope() as s:
        person = s.get(m.Person, pat.person_id)
        assert person.display_name == f"Erased person {pat.person_id}" and not person.is_active  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        assert person.password_hash is None and person.username == f"erased-{pat.person_id}"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        assert s.exec(select(m.SignInSession).where(m.SignInSession.person_id == pat.person_id)).all() == []
    assert _exists(m.Case, world.teams["own"].case)
    with pytest.raises(NotValid):
        data_protection.erase(ada, "person", ada.person_id, reason="Me")


def test_a_restricted_record_is_kept_but_out_of_the_teams_screens(world: grid.World) -> None:
    ada = world.admin2.actor()
    team = world.teams["own"]
    pat = team.practitioner.actor()
    data_protection.restrict(ada, "case", team.case, reason="Accuracy contested")
    data_protection.restrict(ada, "risk_thread", team.thread, reason="Accuracy contested")
    with pytest.raises(NotAllowed, match="restricted"):
        cases.case_detail(pat, team.case)
    with pytest.raises(NotAllowed, match="restricted"):
        risk_log.thread(pat, team.thread)
    board = case_board.board(pat, team.id)
    assert board.total == 0
    assert risk_log.holding_now(pat, team.id).risks == ()
    assert risk_log.team_log(pat, team.id).total == 0
    assert _exists(m.Case, team.case)  # kept

    for r in data_protection.restrictions(ada):
        data_protection.lift_restriction(ada, r.id)
    assert cases.case_detail(pat, team.case).reference == "JT-1a"
    assert risk_log.thread(pat, team.thread).thread_id == team.thread
    with session_scope() as s:
        actions = [
            e.action for e in s.exec(select(m.AuditEvent).where(m.AuditEvent.actor_id == ada.person_id)).all()
        ]
    assert actions.count("restrict") == 2 and actions.count("lift_restriction") == 2


def test_the_personal_data_screen(world: grid.World) -> None:
    from tests.conftest import app_for

    at = app_for(world.admin2.token)
    at.switch_page("pages/privacy.py").run()
    assert not at.exception and at.title[0].value == "Personal data"
    at.button(key="privacy_prepare").click().run()
    assert not at.exception and len(at.get("download_button")) == 2
