"""The models and the migrations agree, on each backend, and an empty database has no accounts."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, select

import db.models  # noqa: F401
from db.engine import get_engine, session_scope
from db.migrate import current_revision, head_revision
from db.models import Person


def test_models_and_migrations_agree(db: str) -> None:
    engine = get_engine()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == [], f"models differ from migrations: {diff}"
    assert current_revision(engine) == head_revision()


def test_no_accounts_after_migrating_outside_demo_mode(db: str) -> None:
    with session_scope() as s:
        assert s.exec(select(Person)).all() == []


def test_audit_trail_refuses_update_and_delete(db: str) -> None:
    import pytest
    from sqlalchemy.exc import DBAPIError

    from db import audit

    with session_scope(write=True) as s:
        audit.record(s, "signin", actor_label="someone")
    for statement in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"):
            with session_scope(write=True) as s:
                s.exec(text(statement))  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
