"""The audit trail can't be emptied, and it holds what it should: TRUNCATE is refused on
PostgreSQL, a deployment with an owner role for migrations and an app role that may only
read and add to the audit trail works, refused access is recorded, and labels in the
trail can't hide or reorder text."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from db import audit, case_board
from db.engine import dispose_engines, session_scope
from db.migrate import current_revision, head_revision, upgrade
from db.models import AuditEvent
from tests import factories
from tests.conftest import PG_ADMIN_URL


def test_the_audit_trail_refuses_truncate(pg_db: str) -> None:
    with session_scope(write=True) as s:
        audit.record(s, "signin", actor_label="someone")
    with pytest.raises(DBAPIError, match="append-only"):
        with session_scope(write=True) as s:
            s.exec(text("TRUNCATE audit_event"))  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
    with session_scope() as s:
        assert len(s.exec(select(AuditEvent)).all()) == 1


@pytest.fixture
def two_roles(_pg_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A new database owned by an owner role, and an app role that owns nothing."""
    tag = uuid.uuid4().hex[:8]
    owner, app, name = f"circle_owner_{tag}", f"circle_app_{tag}", f"circle_roles_{tag}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        conn.execute(text(f'CREATE ROLE "{app}" LOGIN'))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER "{owner}"'))
    base = make_url(PG_ADMIN_URL).set(database=name)
    owner_url = base.set(username=owner).render_as_string(hide_password=False)
    app_url = base.set(username=app).render_as_string(hide_password=False)
    dispose_engines()
    monkeypatch.setenv("DATABASE_URL", app_url)
    monkeypatch.setenv("CIRCLE_MIGRATION_URL", owner_url)
    try:
        yield owner_url, app_url
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{app}"'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{owner}"'))
        admin.dispose()


def test_migrations_as_owner_and_an_app_role_that_only_adds_to_the_audit(two_roles: tuple[str, str]) -> None:
    owner_url, app_url = two_roles
    upgrade()  # as start-up does: migrates as the owner, then grants the app its share

    owner = create_engine(owner_url)
    try:
        assert current_revision(owner) == head_revision()
    finally:
        owner.dispose()

    # The app works as the app role: people, a sign-in, a case, each audited.
    team = factories.team("Riverside")
    sup = factories.person("sam", "supervisor", {team: "supervisor"})
    pat = factories.person("pat", "practitioner", {team: "practitioner"})
    case_board.create_case(sup.actor(), team, reference="JT-07", lead_id=pat.person_id)
    with session_scope() as s:
        assert s.exec(text("SELECT current_user")).one()[0] == make_url(app_url).username  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
        actions = {e.action for e in s.exec(select(AuditEvent)).all()}
    assert {"signin", "create"} <= actions

    for statement in (
        "UPDATE audit_event SET action = 'x'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate",
        "DROP TRIGGER audit_event_append_only ON audit_event",
    ):
        with pytest.raises(DBAPIError, match="permission denied|must be owner"):
            with session_scope(write=True) as s:
                s.exec(text(statement))  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
    with session_scope() as s:
        assert {e.action for e in s.exec(select(AuditEvent)).all()} == actions

    # The owner is kept from emptying it too (it could switch the trigger off: that is a
    # database administrator's act, outside Circle).
    owner = create_engine(owner_url)
    try:
        with pytest.raises(DBAPIError, match="append-only"):
            with owner.begin() as conn:
                conn.execute(text("TRUNCATE audit_event"))
    finally:
        owner.dispose()


def test_a_refused_look_at_a_record_is_in_the_trail_once_without_its_content(db: str) -> None:
    from db import cases
    from db.errors import NotAllowed

    riverside, northgate = factories.team("Riverside"), factories.team("Northgate")
    sam = factories.person("sam", "supervisor", {riverside: "supervisor"})
    max_ = factories.person("max", "practitioner", {northgate: "practitioner"})
    case_id = case_board.create_case(sam.actor(), riverside, reference="JT-07", lead_id=sam.person_id)
    for _ in range(3):  # a screen retrying leaves one line
        with pytest.raises(NotAllowed):
            cases.case_detail(max_.actor(), case_id)
    with session_scope() as s:
        refused = s.exec(select(AuditEvent).where(AuditEvent.action == "refused")).all()
    assert [(e.actor_id, e.actor_label, e.record_type, e.record_id, e.outcome) for e in refused] == [
        (max_.person_id, "max", "case", str(case_id), "refused")
    ]
    assert "JT-07" not in repr(refused)


def test_a_refused_change_is_noted_without_waiting_on_its_own_transaction(db: str) -> None:
    """A refusal met inside a write (changing another team's case) is noted once that write
    has rolled back; on SQLite, noting it inside would wait for itself and fail as locked."""
    import time

    from db import cases
    from db.errors import NotAllowed

    riverside, northgate = factories.team("Riverside"), factories.team("Northgate")
    sam = factories.person("sam", "supervisor", {riverside: "supervisor"})
    max_ = factories.person("max", "practitioner", {northgate: "practitioner"})
    case_id = case_board.create_case(sam.actor(), riverside, reference="JT-08", lead_id=sam.person_id)
    started = time.perf_counter()
    with pytest.raises(NotAllowed):
        cases.add_network_member(max_.actor(), case_id, label="Nan", kind=cases.NETWORK_KINDS[0])
    assert time.perf_counter() - started < 2, "the refusal waited on a lock"
    with session_scope() as s:
        refused = s.exec(select(AuditEvent).where(AuditEvent.action == "refused")).all()
    assert [(e.actor_id, e.record_type, e.record_id) for e in refused] == [
        (max_.person_id, "case", str(case_id))
    ]


def test_labels_in_the_trail_lose_control_and_direction_characters(db: str) -> None:
    hostile = "adm\u202ein\u2066\u2069\u200e\u200f\x85\x9b\x00\x1b[31m\u2028x"
    with session_scope(write=True) as s:
        audit.record(s, "signin_failed", actor_label=hostile, record_type="t\u202dype", record_id="1\u202a2")
    with session_scope() as s:
        e = s.exec(select(AuditEvent)).one()
    for value in (e.actor_label, e.record_type, e.record_id):
        assert not any(
            ord(ch) < 0x20
            or 0x7F <= ord(ch) <= 0x9F
            or ch in "\u200e\u200f\u2028\u2029"
            or 0x202A <= ord(ch) <= 0x202E
            or 0x2066 <= ord(ch) <= 0x2069
            for ch in value
        ), repr(value)
    assert e.actor_label.replace(" ", "").startswith("admin")
