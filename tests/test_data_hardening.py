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

    from db.models import Team
    from db.seed.demo import DEMO_TEAM

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


def test_a_case_reference_must_look_like_a_code(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from db import case_board
    from db.errors import NotValid
    from tests import factories

    team = factories.team("Riverside")
    sam = factories.person("sam", "supervisor", {team: "supervisor"}).actor()
    for names in ("Amy and Ben", "Amy-Ben", "amy", "JT 07"):
        with pytest.raises(NotValid) as refused:
            case_board.create_case(sam, team, reference=names, lead_id=sam.person_id)
        assert "a code, never a name" in refused.value.problems["reference"]
    for code in ("JT-07", "RB-1042", "EH/00421", "12345", "AB-1000", "NG-201"):
        case_board.create_case(sam, team, reference=code, lead_id=sam.person_id)
    monkeypatch.setenv("CIRCLE_CASE_REFERENCE_PATTERN", r"CIN\d{6}")
    with pytest.raises(NotValid):
        case_board.create_case(sam, team, reference="JT-08", lead_id=sam.person_id)
    case_board.create_case(sam, team, reference="CIN000123", lead_id=sam.person_id)


def test_every_demo_and_county_reference_fits_the_default_pattern() -> None:
    import re

    from db.seed import demo
    from db.settings import DEFAULT_CASE_REFERENCE_PATTERN

    references = [r for r, *_ in demo._CASES] + [r for r, *_ in demo._NORTHGATE_CASES]
    references += [
        f"{chr(65 + t % 26)}{chr(65 + (t + c) % 26)}-{1000 + c}" for t in range(30) for c in range(100)
    ]
    assert all(re.fullmatch(DEFAULT_CASE_REFERENCE_PATTERN, r) for r in references)


def test_a_supervisor_renames_a_case_and_the_trail_keeps_old_and_new(db: str) -> None:
    from sqlmodel import select

    from db import case_board, cases
    from db.errors import EditConflict, NotAllowed, NotValid
    from db.models import AuditEvent
    from tests import factories

    team = factories.team("Riverside")
    sam = factories.person("sam", "supervisor", {team: "supervisor"}).actor()
    pat = factories.person("pat", "practitioner", {team: "practitioner"}).actor()
    case_id = case_board.create_case(sam, team, reference="JT-07", lead_id=pat.person_id)
    with pytest.raises(NotAllowed):
        case_board.rename_case(pat, case_id, reference="JT-08", version=1)
    with pytest.raises(NotValid):
        case_board.rename_case(sam, case_id, reference="Amy and Ben", version=1)
    assert case_board.rename_case(sam, case_id, reference="JT-08", version=1) == 2
    assert cases.case_detail(pat, case_id).reference == "JT-08"
    with pytest.raises(EditConflict):
        case_board.rename_case(sam, case_id, reference="JT-09", version=1)
    with session_scope() as s:
        lines = {
            (e.record_type, e.record_id)
            for e in s.exec(select(AuditEvent).where(AuditEvent.action == "rename")).all()
        }
    assert lines == {("case", str(case_id)), ("case_reference_old", "JT-07"), ("case_reference_new", "JT-08")}
