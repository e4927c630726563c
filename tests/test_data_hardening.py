"""Second security review, the data side: database errors keep case text out of logs,
backups are private to their owner and PostgreSQL passwords never reach a command line."""

from __future__ import annotations

import logging
import os
import stat
import traceback
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from db import backup
from db.engine import dispose_engines, session_scope
from db.models import Case

SECRET_TEXT = "Zebrafinch-7731-only-in-this-test"


def test_a_database_error_never_carries_the_case_text(db: str, caplog: pytest.LogCaptureFixture) -> None:
    dispose_engines()
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with pytest.raises(IntegrityError) as raised:
        with session_scope(write=True) as s:
            # No such team or person: the foreign keys turn it down on both backends.
            s.add(Case(team_id=987654, reference=SECRET_TEXT, lead_practitioner_id=987654))
    told = str(raised.value) + "".join(traceback.format_exception(raised.value)) + caplog.text
    assert "parameters hidden" in str(raised.value).lower()
    assert SECRET_TEXT not in told


def test_a_sqlite_backup_is_readable_by_its_owner_only(sqlite_db: str, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        made = backup.backup(tmp_path / "copy.db", url=sqlite_db)
    finally:
        os.umask(old)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    with pytest.raises(backup.BackupProblem, match="already exists"):
        backup.backup(made, url=sqlite_db)


def test_a_postgresql_password_goes_through_the_environment(tmp_path: Path) -> None:
    url = "postgresql+psycopg://circle:s3cret-Pa55@db-host:5432/circle"
    for argv, env in (
        backup.pg_dump_command(url, tmp_path / "b.dump"),
        backup.pg_restore_command(url, tmp_path / "b.dump"),
    ):
        assert not any("s3cret-Pa55" in arg for arg in argv), argv
        assert any("circle@db-host:5432/circle" in arg for arg in argv), argv
        assert env["PGPASSWORD"] == "s3cret-Pa55"


def test_a_postgresql_backup_is_private_and_restores(pg_db: str, tmp_path: Path) -> None:
    if not backup.shutil.which("pg_dump"):
        pytest.skip("pg_dump isn't installed here")
    made = backup.backup(tmp_path / "copy.dump", url=pg_db)
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert made.stat().st_size > 0


def _demo_team_loaded() -> bool:
    from sqlmodel import select

    from db.demo import DEMO_TEAM
    from db.models import Team

    with session_scope() as s:
        return s.exec(select(Team).where(Team.name == DEMO_TEAM)).first() is not None


@pytest.mark.parametrize("command", [["demo"], ["seed-county", "--years", "1"]])
def test_fictional_accounts_are_never_loaded_beside_real_people(
    db: str, command: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from db.__main__ import main
    from tests import factories

    factories.person("realworker", "practitioner", {factories.team("Real team"): "practitioner"})
    for demo_mode in ("", "1"):  # demo mode doesn't open a database that holds real people
        monkeypatch.setenv("CIRCLE_DEMO", demo_mode)
        assert main(command) == 2
        assert "Nothing was loaded" in capsys.readouterr().err
    assert not _demo_team_loaded()


def test_the_demo_reloads_only_in_demo_mode_over_demo_data(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from db.__main__ import main

    monkeypatch.delenv("CIRCLE_DEMO", raising=False)
    assert main(["demo"]) == 0  # an empty database: fine
    assert _demo_team_loaded()
    assert main(["demo"]) == 2  # demo mode off: these may be real sign-ins by now
    assert "Nothing was loaded" in capsys.readouterr().err
    monkeypatch.setenv("CIRCLE_DEMO", "1")
    assert main(["demo"]) == 0
    assert "Already loaded" in capsys.readouterr().out
