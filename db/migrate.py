"""Apply Alembic migrations: on start-up and through `python -m db migrate`.

Several servers may start at once against one PostgreSQL: an advisory lock makes the
migration step run exactly once while the others wait, then find nothing left to do.
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
from sqlalchemy.engine import Connection, Engine

from db.engine import get_engine

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
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"a migration left rows pointing at nothing: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _run(engine: Engine, step, revision: str) -> None:  # type: ignore[no-untyped-def]
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


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    _run(engine or get_engine(), command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def is_up_to_date(engine: Engine | None = None) -> bool:
    return current_revision(engine or get_engine()) == head_revision()
