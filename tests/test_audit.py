"""The audit trail: views of sensitive records (throttled), sign-ins, no content, no line
breaks, append-only, and the administrator's search and export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import col, select

from db import accounts, audit, cases, risk_log, sessions
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import AuditEvent
from tests import factories
from tests import permission_grid as grid


@pytest.fixture
def world(db: str) -> grid.World:
    return grid.build_world()


def _views(record_type: str) -> list[AuditEvent]:
    with session_scope() as s:
        return list(
            s.exec(
                select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.record_type == record_type)
            ).all()
        )


def test_opening_a_case_a_worry_or_a_record_is_noted_once_per_ten_minutes(world: grid.World) -> None:
    team = world.teams["own"]
    pat = team.practitioner.actor()
    for _ in range(3):  # the screen redraws: one line, not three
        cases.case_detail(pat, team.case)
        risk_log.thread(pat, team.thread)
        sessions.record(pat, team.closed_session)
    for record_type, record_id in (
        ("case", str(team.case)),
        ("risk_thread", team.thread),
        ("supervision_session", str(team.closed_session)),
    ):
        rows = _views(record_type)
        assert [(r.actor_id, r.record_id, r.team_id) for r in rows] == [(pat.person_id, record_id, team.id)]
    # Ten minutes later the same view is a new line; someone else's view is their own line.
    assert audit.record_view(pat, "case", team.case, now=utcnow() + timedelta(minutes=11))
    cases.case_detail(team.supervisor.actor(), team.case)
    assert len(_views("case")) == 3


def test_a_refused_view_is_not_a_view(world: grid.World) -> None:
    outsider = world.teams["other"].practitioner.actor()
    with pytest.raises(NotAllowed):
        cases.case_detail(outsider, world.teams["own"].case)
    assert _views("case") == []


def test_sign_ins_and_failures_are_in_the_trail_without_passwords(db: str) -> None:
    factories.person("pat")
    accounts.sign_in("pat", "not the password")
    accounts.sign_in("nobody", "a guess at a password")
    with session_scope() as s:
        rows = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert [(r.action, r.actor_label, r.outcome) for r in rows] == [
        ("signin", "pat", "ok"),
        ("signin_failed", "pat", "refused"),
        ("signin_failed", "nobody", "refused"),
    ]
    flat = " ".join(str(v) for r in rows for v in r.model_dump().values())
    assert "not the password" not in flat and "a guess" not in flat


def test_no_record_content_reaches_the_trail(world: grid.World) -> None:
    team = world.teams["own"]
    secret = "Zanzibar-lullaby-7781"
    sup = team.supervisor.actor()
    view = cases.mapping(sup, team.case)
    cases.save_mapping(sup, team.case, {"worries": secret}, base_version=view.version)
    sessions.bring(sup, team.session, case_id=None, ask=secret)
    with session_scope() as s:
        rows = s.exec(select(AuditEvent)).all()
    assert rows and not any(secret in str(v) for r in rows for v in r.model_dump().values())


def test_a_label_cannot_forge_a_second_line(db: str) -> None:
    with session_scope(write=True) as s:
        audit.record(s, "signin_failed", actor_label="eve\n2026-01-01,admin,delete\u2028x", record_id="1\r2")
    with session_scope() as s:
        row = s.exec(select(AuditEvent)).one()
    assert "\n" not in row.actor_label and "\u2028" not in row.actor_label and "\r" not in row.record_id


def test_nobody_can_change_or_remove_a_line(db: str) -> None:
    with session_scope(write=True) as s:
        audit.record(s, "signin", actor_label="someone")
    for statement in (
        "UPDATE audit_event SET actor_label = 'someone else'",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET at = at",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            with session_scope(write=True) as s:
                s.exec(text(statement))  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
    with session_scope() as s:
        assert s.exec(select(AuditEvent.actor_label)).all() == ["someone"]


def test_the_administrator_searches_pages_and_exports(world: grid.World) -> None:
    ada = world.admin2.actor()
    for _ in range(3):
        accounts.sign_in('=HYPERLINK("http://evil")', "wrong password here")
    everything = audit.search(ada, audit.AuditFilters())
    assert everything.total > 10 and everything.rows[0].at >= everything.rows[-1].at
    failed = audit.search(ada, audit.AuditFilters(action="signin_failed"))
    assert {r.who for r in failed.rows} == {'=hyperlink("http://evil")'}
    by_person = audit.search(ada, audit.AuditFilters(person="supa", record_type="case"))
    assert by_person.total == 1 and by_person.rows[0].action == "create"
    today = utcnow().date()
    assert (
        audit.search(
            ada, audit.AuditFilters(start=today - timedelta(days=3), end=today - timedelta(days=1))
        ).total
        == 0
    )
    assert audit.search(ada, audit.AuditFilters(start=today, end=today)).total == everything.total
    paged = audit.search(ada, audit.AuditFilters(), page=2, page_size=5)
    assert paged.page == 2 and len(paged.rows) == 5 and paged.rows[0].id == everything.rows[5].id
    with pytest.raises(NotValid):
        audit.search(ada, audit.AuditFilters(start=today, end=today - timedelta(days=1)))

    exported = audit.export_csv(ada, audit.AuditFilters(action="signin_failed")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == list(audit.HEADERS) and len(rows) == 4
    assert all(row[1].startswith("'=") for row in rows[1:])  # a spreadsheet shows it, never runs it
    assert audit.search(ada, audit.AuditFilters(action="export", record_type="audit")).total == 1


def test_only_administrators_read_the_trail(world: grid.World) -> None:
    for role in ("practitioner", "supervisor", "manager", "trainer", "trainee"):
        actor = grid.make_actor(world, role)
        with pytest.raises(NotAllowed):
            audit.search(actor, audit.AuditFilters())
        with pytest.raises(NotAllowed):
            audit.export_csv(actor, audit.AuditFilters())


def test_the_audit_screen(world: grid.World) -> None:
    from tests.conftest import app_for

    at = app_for(world.admin2.token)
    at.switch_page("pages/audit.py").run()
    assert not at.exception and at.title[0].value == "Audit trail"
    table = at.dataframe[0].value
    assert len(table) > 5 and "Who" in table.columns
    at.text_input(key="audit_person").input("supa")
    at.button[0].click().run()  # the form's Search
    assert set(at.dataframe[0].value["Who"]) == {"supa"}
    at.button(key="audit_prepare").click().run()
    assert not at.exception and at.get("download_button")
