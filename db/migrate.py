"""Apply Alembic migrations: on start-up and through `python -m db migrate`.

Several servers may start at once against one PostgreSQL: an advisory lock makes the
migration step run exactly once while the others wait, then find nothing left to do.

Two roles (PostgreSQL, recommended): set `CIRCLE_MIGRATION_URL` to connect as the role
that owns the tables, and `DATABASE_URL` as a role that owns nothing. Migrations then run
as the owner, and after each run the app's role is granted what it needs and no more: it
reads and writes the app's tables, only reads and adds to the audit trail (no UPDATE,
DELETE or TRUNCATE), and, owning nothing, can't switch the audit trail's triggers off.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine, make_url

from db.engine import get_engine, make_engine
from db.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x43495243  # "CIRC"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _foreign_keys_paused(conn: Connection) -> Iterator[None]:
    """SQLite rebuilds a table to alter it (batch mode); with foreign keys enforced, dropping
    the old copy of a table that rows refer to would fail. Pause enforcement for the
    migration (the pragma only works outside a transaction), then check nothing broke."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        if broken:
            raise RuntimeError(f"a migration left rows pointing at nothing: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def _run(engine: Engine, step, revision: str) -> None:
    cfg = alembic_config()
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
        try:
            with _foreign_keys_paused(conn):
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()


def _app_role() -> str | None:
    """The app's own PostgreSQL role when migrations run as a different one, else None."""
    settings = get_settings()
    if not settings.migration_url or settings.migration_url == settings.database_url:
        return None
    app, owner = make_url(settings.database_url), make_url(settings.migration_url)
    if app.get_backend_name() != "postgresql" or not app.username or app.username == owner.username:
        return None
    return app.username


def grant_app_role(conn: Connection, role: str) -> None:
    """Give the app's role what it needs and no more (run as the owner after migrating)."""
    q = conn.dialect.identifier_preparer.quote
    who = q(role)
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_event FROM {who}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {who}",
    ):
        conn.execute(text(statement))
    conn.commit()


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Apply migrations: to the engine given, or as the migration role if one is set
    (CIRCLE_MIGRATION_URL), else through the app's own connection."""
    if engine is not None:
        _run(engine, command.upgrade, revision)
        return
    settings = get_settings()
    if not settings.migration_url:
        _run(get_engine(), command.upgrade, revision)
        return
    owner = make_engine(settings.migration_url)  # used once, not kept as a pool
    try:
        _run(owner, command.upgrade, revision)
        role = _app_role()
        if role is not None:
            with owner.connect() as conn:
                grant_app_role(conn, role)
    finally:
        owner.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def is_up_to_date(engine: Engine | None = None) -> bool:
    return current_revision(engine or get_engine()) == head_revision()
