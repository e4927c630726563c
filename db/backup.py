"""Backups, restores and the start-up integrity check.

- SQLite: an online backup through SQLite's own backup API (consistent while the app runs
  and writes), restored into an empty database the same way.
- PostgreSQL: pg_dump (custom format) and pg_restore, which must be on the PATH. The
  password reaches them through the environment (PGPASSWORD), never the command line,
  where any local user could read it in the process list.
- A backup file is readable and writable by its owner only (0600): it holds everything.
- On start-up, SQLite's quick_check runs; a damaged file stops the app with a clear message
  instead of serving from it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from db.engine import dispose_engines, get_engine
from db.settings import get_settings


class BackupProblem(Exception):
    """Something about a backup or restore needs a person's attention; the message says what."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return Path(parsed.database or "")


def _libpq_url(url: str) -> str:
    """pg_dump wants a plain postgresql:// address, without SQLAlchemy's driver name (and
    without the password, which goes through the environment instead)."""
    return (
        make_url(url)._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)
    )


def _pg_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def pg_dump_command(url: str, target: Path) -> tuple[list[str], dict[str, str]]:
    """The argv and environment for pg_dump: the password only in the environment."""
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)], _pg_env(url)


def pg_restore_command(url: str, source: Path) -> tuple[list[str], dict[str, str]]:
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        f"--dbname={_libpq_url(url)}",
        str(source),
    ], _pg_env(url)


def _create_private(target: Path) -> None:
    """Make the new, empty backup file readable by its owner only, before anything is written
    into it (O_EXCL: an existing file is never reused)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise BackupProblem(
            f"{target} already exists; choose a new file name so no backup is overwritten."
        ) from exc
    os.close(fd)
    os.chmod(target, 0o600)  # in case a umask took bits away (it never adds them)


def backup(target: str | Path, *, url: str | None = None) -> Path:
    url = url or get_settings().database_url
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupProblem(f"{target} already exists; choose a new file name so no backup is overwritten.")
    path = _sqlite_path(url)
    if path is None and shutil.which("pg_dump") is None:
        raise BackupProblem("pg_dump isn't installed here (Debian: apt-get install postgresql-client).")
    _create_private(target)
    if path is not None:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        dest = sqlite3.connect(target)
        try:
            with dest:
                # One step: a consistent snapshot even while other connections write (WAL).
                source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target
    argv, env = pg_dump_command(url, target)
    try:
        subprocess.run(argv, env=env, check=True)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def _is_empty(url: str) -> bool:
    engine = get_engine(url)
    names = [n for n in inspect(engine).get_table_names() if n != "alembic_version"]
    if not names:
        return True
    with engine.connect() as conn:
        return all(conn.exec_driver_sql(f'SELECT 1 FROM "{n}" LIMIT 1').first() is None for n in names)


def restore(source: str | Path, *, url: str | None = None) -> None:
    """Restore a backup into an empty database (a restore never mixes with live data)."""
    url = url or get_settings().database_url
    source = Path(source)
    if not source.exists():
        raise BackupProblem(f"There is no backup at {source}.")
    if not _is_empty(url):
        raise BackupProblem(
            "This database already holds data. Restore into a new, empty database, then point "
            "DATABASE_URL at it."
        )
    path = _sqlite_path(url)
    dispose_engines()
    if path is not None:
        check_sqlite_file(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dest = sqlite3.connect(path, timeout=30)
        try:
            with dest:
                src.backup(dest)
            dest.execute("PRAGMA journal_mode=WAL")
        finally:
            dest.close()
            src.close()
        return
    if shutil.which("pg_restore") is None:
        raise BackupProblem("pg_restore isn't installed here (Debian: apt-get install postgresql-client).")
    argv, env = pg_restore_command(url, source)
    subprocess.run(argv, env=env, check=True)


def check_sqlite_file(path: str | Path) -> None:
    """Raise BackupProblem unless the file is a sound SQLite database."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupProblem(f"{path} can't be read as a Circle database ({exc}).") from exc
    if result != [("ok",)]:
        raise BackupProblem(f"{path} is damaged: {result[0][0]}")


def startup_check(url: str | None = None) -> None:
    """Run before serving: a damaged SQLite file stops the app instead of serving from it."""
    url = url or get_settings().database_url
    path = _sqlite_path(url)
    if path is None or not path.exists():
        return
    try:
        check_sqlite_file(path)
    except BackupProblem as problem:
        raise SystemExit(
            f"Circle has stopped before serving anyone: {problem}\n"
            "Nothing has been changed. Restore the latest backup into a new file with "
            "`python -m db restore BACKUP` (see the README), then start Circle again."
        ) from problem
