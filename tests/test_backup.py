"""Backups and restores lose nothing, even taken while people are writing; a damaged file
stops the app instead of being served."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from db import backup
from db.engine import dispose_engines, make_engine, session_scope
from db.migrate import upgrade
from db.models import Team
from db.seed.demo import load_demo


def _tables(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        names = sorted(n for n in inspect(engine).get_table_names())
        with engine.connect() as conn:
            return {
                n: sorted(tuple(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{n}"')).all())
                for n in names
            }
    finally:
        engine.dispose()


def test_sqlite_backup_during_writes_restores_every_table(sqlite_db: str, tmp_path: Path) -> None:
    load_demo()
    stop = threading.Event()
    written: list[int] = []

    def writer(n: int) -> None:
        i = 0
        while not stop.is_set():
            with session_scope(write=True) as s:
                s.add(Team(name=f"busy {n}-{i}"))
            written.append(1)
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    while len(written) < 40:
        threading.Event().wait(0.01)
    copy = backup.backup(tmp_path / "circle-backup.db", url=sqlite_db)
    while len(written) < 80:
        threading.Event().wait(0.01)
    stop.set()
    for t in threads:
        t.join()

    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        in_backup = conn.execute("SELECT count(*) FROM team").fetchone()[0]
    assert 40 + 2 <= in_backup < 2 + len(written)  # a snapshot from the middle of the writing

    restored_url = f"sqlite:///{tmp_path / 'restored.db'}"
    backup.restore(copy, url=restored_url)
    with sqlite3.connect(tmp_path / "restored.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _tables(restored_url) == _tables(f"sqlite:///{copy}")
    with pytest.raises(backup.BackupProblem, match="already exists"):
        backup.backup(copy, url=sqlite_db)


def test_restore_refuses_a_database_that_holds_data(sqlite_db: str, tmp_path: Path) -> None:
    load_demo()
    copy = backup.backup(tmp_path / "b.db", url=sqlite_db)
    with pytest.raises(backup.BackupProblem, match="already holds data"):
        backup.restore(copy, url=sqlite_db)


def test_a_damaged_database_stops_the_app(tmp_path: Path) -> None:
    damaged = tmp_path / "circle.db"
    engine = make_engine(f"sqlite:///{damaged}")
    upgrade(engine)
    engine.dispose()
    dispose_engines()
    raw = bytearray(damaged.read_bytes())
    for page in range(1, 6):  # scribble over the headers of the pages after the first
        raw[4096 * page : 4096 * page + 12] = b"\xff" * 12
    damaged.write_bytes(bytes(raw))
    with pytest.raises(SystemExit, match="stopped before serving anyone"):
        backup.startup_check(f"sqlite:///{damaged}")
    garbage = tmp_path / "not-a-db.db"
    garbage.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(SystemExit, match="can't be read"):
        backup.startup_check(f"sqlite:///{garbage}")
    backup.startup_check(f"sqlite:///{tmp_path / 'missing.db'}")  # a new install starts fine


def test_postgresql_backup_and_restore(pg_db: str, tmp_path: Path) -> None:
    db = pg_db
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump and pg_restore are needed to test PostgreSQL backups (postgresql-client)")
    load_demo()
    dump = backup.backup(tmp_path / "circle.dump", url=db)
    name = f"circle_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(db).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_url(db).set(database=name).render_as_string(hide_password=False)
    try:
        backup.restore(dump, url=target)
        assert _tables(target) == _tables(db)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
