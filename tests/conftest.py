"""Shared fixtures: a fresh, migrated database per test, on SQLite and on PostgreSQL.

- `db` runs a test on both backends (data-layer tests).
- `sqlite_db` runs it on SQLite only (page tests, which are about the screen, not SQL).
- `app_for(token)` / `app_as(username)` open the whole app as someone (page tests), and
  `team_of_five` gives one person of each role.

PostgreSQL: the suite creates its own database on the server named by
CIRCLE_TEST_PG_ADMIN_URL (default: postgres on 127.0.0.1:5432) and drops it at the end.
Without a reachable server the PostgreSQL leg is skipped and says why; under CI=true an
unreachable server fails the run instead.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from components.identity import TEST_TOKEN_KEY
from db import accounts, credentials
from db.engine import dispose_engines, make_engine
from db.migrate import upgrade

credentials.use_cheap_hashing_for_tests()

ROOT = Path(__file__).resolve().parent.parent

# The browser tests' fixtures (Chromium, one real server with the demo team).
pytest_plugins = ["tests.browser"]

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "CIRCLE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once, copy per test: the same schema the app gets, at a fraction of the time."""
    path = tmp_path_factory.mktemp("template") / "circle.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _pg_reason() -> str | None:
    try:
        engine = create_engine(
            PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return f"no PostgreSQL server reachable at {make_url(PG_ADMIN_URL).render_as_string()} ({type(exc).__name__})"


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str]:
    reason = _pg_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true needs PostgreSQL for the data-layer tests: {reason}")
        pytest.skip(f"PostgreSQL leg skipped: {reason}. Start a server or set CIRCLE_TEST_PG_ADMIN_URL.")
    name = f"circle_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _empty_pg(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = (
            conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        # The audit trail refuses TRUNCATE (a trigger, migration 0005_audit_truncate_guard);
        # between tests the suite's superuser empties it with triggers switched off.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    engine.dispose()


def _use(url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    dispose_engines()
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def sqlite_db(_sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    path = tmp_path / "circle.db"
    shutil.copy(_sqlite_template, path)
    yield _use(f"sqlite:///{path}", monkeypatch)
    dispose_engines()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database on each backend; yields its URL (also set as DATABASE_URL)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_db")
        return
    url = request.getfixturevalue("_pg_database")
    _empty_pg(url)
    yield _use(url, monkeypatch)
    dispose_engines()


@pytest.fixture
def pg_db(_pg_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh PostgreSQL database only (for what only PostgreSQL has, such as pg_dump)."""
    _empty_pg(_pg_database)
    yield _use(_pg_database, monkeypatch)
    dispose_engines()


@pytest.fixture(autouse=True)
def _today_for_each_test(request: pytest.FixtureRequest) -> None:
    """Test modules that name `TODAY` get it afresh for each test, so a run that crosses
    midnight UTC compares each test's dates with the day that test ran on."""
    from db.clock import utcnow

    today = utcnow().date()
    for module in (request.module, sys.modules.get("tests.permission_grid")):
        if module is not None and hasattr(module, "TODAY"):
            module.TODAY = today  # type: ignore[union-attr]  # sets a module constant the test clock reads


# --- Page tests: the whole app as someone ---------------------------------------------------


def app_for(token: str | None) -> AppTest:
    """The app (app.py, so the sign-in check and navigation too) as whoever holds `token`,
    already run once; None is someone signed out."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if token:
        at.session_state[TEST_TOKEN_KEY] = token
    return at.run()


def app_as(username: str) -> AppTest:
    """The app as one of the demo people, signed in afresh with the demo password."""
    from db.seed.demo import DEMO_PASSWORD

    signed_in = accounts.sign_in(username, DEMO_PASSWORD)
    assert signed_in.ok, username
    return app_for(signed_in.token)


@pytest.fixture
def team_of_five(sqlite_db: str) -> dict:
    """One person of each role: Riverside's practitioner and supervisor, a manager over
    Riverside and Northgate, a trainer and an admin."""
    from tests import factories

    riverside = factories.team("Riverside")
    other = factories.team("Northgate")
    return {
        "practitioner": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "supervisor": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "manager": factories.person("max", "manager", {riverside: "manager", other: "manager"}),
        "trainer": factories.person("tia", "trainer"),
        "admin": factories.person("ada", "admin"),
    }
