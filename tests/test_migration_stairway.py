"""The migration stairway: every migration goes up, down and up again, on an empty database
and on one holding the demo team, on SQLite and PostgreSQL; data survives each step."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from db.engine import get_engine
from db.migrate import alembic_config, current_revision, downgrade, upgrade
from db.seed.demo import load_demo


def _revisions() -> list[tuple[str, str]]:
    """(revision, the one before it) from the first migration to the head."""
    script = ScriptDirectory.from_config(alembic_config())
    steps = [(r.revision, r.down_revision or "base") for r in script.walk_revisions()]
    return list(reversed(steps))  # type: ignore[arg-type]  # list is invariant: these values fit the declared wider type


def _counts(tables: set[str] | None = None) -> dict[str, int]:
    engine = get_engine()
    names = set(inspect(engine).get_table_names()) - {"alembic_version"}
    if tables is not None:
        names &= tables
    with engine.connect() as conn:
        return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in sorted(names)}


def test_stairway_on_an_empty_database(db: str) -> None:
    engine = get_engine()
    downgrade(engine, "base")
    assert current_revision(engine) is None
    for revision, before in _revisions():
        upgrade(engine, revision)
        downgrade(engine, before)
        upgrade(engine, revision)
        assert current_revision(engine) == revision


def test_stairway_keeps_the_demo_data(db: str) -> None:
    engine = get_engine()
    load_demo()
    # Going below the first migration removes every table, so the data steps stop above it.
    for revision, before in [step for step in reversed(_revisions()) if step[1] != "base"]:
        upgrade(engine, "head")
        downgrade(engine, before)
        surviving = set(inspect(engine).get_table_names())
        kept = _counts(surviving)
        upgrade(engine, "head")
        assert _counts(surviving) == kept, f"data changed going down to {before} and back up past {revision}"
    assert sum(_counts().values()) > 500
