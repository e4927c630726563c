"""The SQLite engine's promises: WAL, foreign keys, a busy timeout, and writers that queue
instead of failing with "database is locked"."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from db.engine import get_engine, session_scope
from db.models import Membership, Team


def test_sqlite_pragmas(sqlite_db: str) -> None:
    with get_engine().connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000  # type: ignore[operator]  # the value is present here (a PRAGMA row, an aware time's offset, a scored text)


def test_foreign_keys_are_enforced(db: str) -> None:
    with pytest.raises(IntegrityError):
        with session_scope(write=True) as s:
            s.add(Membership(team_id=999, person_id=999, role="practitioner"))


def test_eight_writers_of_two_hundred_all_land(db: str) -> None:
    """Each action reads a count and then writes: with deferred transactions on SQLite two
    such writers deadlock into "database is locked"; BEGIN IMMEDIATE makes them queue."""
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(200):
                with session_scope(write=True) as s:
                    s.exec(select(func.count()).select_from(Team)).one()
                    s.add(Team(name=f"team {n}-{i}"))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(Team)).one() == 8 * 200


def test_a_failed_action_leaves_nothing_behind(db: str) -> None:
    with pytest.raises(RuntimeError):
        with session_scope(write=True) as s:
            s.add(Team(name="half done"))
            s.flush()
            raise RuntimeError("fault in the middle of an action")
    with session_scope() as s:
        assert s.exec(text("SELECT count(*) FROM team")).scalar() == 0  # type: ignore[call-overload]  # raw SQL through SQLModel's Session.exec, whose types take only select(); SQLAlchemy runs it
