"""`python -m db` commands a person runs by hand: they say what happened, and refuse kindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.__main__ import main
from db.seed.demo import load_demo


def test_backup_and_restore_commands(
    sqlite_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo()
    assert main(["backup", str(tmp_path / "b.db")]) == 0
    assert main(["backup", str(tmp_path / "b.db")]) == 2  # never overwrites a backup
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert main(["restore", str(tmp_path / "b.db")]) == 0
    assert main(["restore", str(tmp_path / "b.db")]) == 2  # only into an empty database
    assert "already holds data" in capsys.readouterr().err


def test_create_admin_reads_the_password_from_the_environment(
    sqlite_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from db import accounts

    monkeypatch.setenv("CIRCLE_ADMIN_PASSWORD", "a long first passphrase")
    assert main(["create-admin", "--username", "Sam", "--name", "Sam Carter"]) == 0
    assert accounts.sign_in("sam", "a long first passphrase").ok
    monkeypatch.setenv("CIRCLE_ADMIN_PASSWORD", "short")
    assert main(["create-admin", "--username", "sam2", "--name", "Sam Two"]) == 2
    assert "password" in capsys.readouterr().err
