"""The database engine and the one-session-per-action helper.

SQLite (the default) runs in WAL mode with foreign keys on and a busy timeout, and a
writing action takes the write lock when its transaction begins (BEGIN IMMEDIATE), so
concurrent writers queue instead of failing half-way with "database is locked".
PostgreSQL uses a pre-pinged connection pool.

Both hide SQL parameters from errors and logs (`hide_parameters=True`): a failed insert
would otherwise print the case text it carried into the server's log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from db.settings import get_settings

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
# Set while a writing action runs, so the SQLite "begin" hook knows to take the lock.
_write_intent: ContextVar[bool] = ContextVar("circle_write_intent", default=False)
# Work to do once the open write transaction has ended (committed or not), such as noting a
# refusal in the audit trail: SQLite has one writer at a time, so a second write transaction
# opened inside the first would wait for itself ("database is locked").
_after_write: ContextVar[list[Callable[[], object]] | None] = ContextVar("circle_after_write", default=None)


def after_transaction(work: Callable[[], object]) -> None:
    """Run `work` when the write transaction now open ends (at once if none is open)."""
    pending = _after_write.get()
    if pending is None:
        work()
    else:
        pending.append(work)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def make_engine(url: str) -> Engine:
    """Build a new engine for a URL (tests use this for their own databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 15}, hide_parameters=True
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for the configured database (cached: engines are pools)."""
    url = url or get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(*, write: bool = False, url: str | None = None) -> Iterator[Session]:
    """One session, one transaction, for one user action: committed on success, rolled back on error."""
    token = _write_intent.set(write)
    outermost_write = write and _after_write.get() is None
    pending: list[Callable[[], object]] = []
    after = _after_write.set(pending) if outermost_write else None
    try:
        with Session(get_engine(url), expire_on_commit=False) as session:
            try:
                yield session
                if write:
                    session.commit()
                # A read-only action just closes: the transaction ends without expiring what
                # was loaded, so read models built from it stay readable.
            except BaseException:
                session.rollback()
                raise
    finally:
        _write_intent.reset(token)
        if after is not None:
            _after_write.reset(after)
            for work in pending:
                work()
