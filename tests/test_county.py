"""The county data set behind `benchmarks/pages.py`: the size the issue asks for, and a team's
present that stays the same size however long its history is (so the benchmark's growth
figures measure the app, not a data set whose open work piles up year on year)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from db.engine import dispose_engines, session_scope
from db.migrate import upgrade
from db.models import Action, Case, Person, RiskEntry, RiskReview, SupervisionSession, Team
from db.seed.county import seed_county

TODAY = date(2026, 11, 25)


def _seed(folder: Path, years: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder}/county{years}.db")
    dispose_engines()
    upgrade()
    summary = seed_county(years=years, today=TODAY, report=lambda *_: None)
    with session_scope() as s:
        teams = s.exec(select(func.count()).select_from(Team)).one()
        open_worries = s.exec(
            select(func.count()).select_from(RiskEntry).where(RiskEntry.status == "open")
        ).one()
        # An open worry whose latest review date is weeks behind: what "Reviews overdue" counts.
        stale = 0
        for entry in s.exec(select(RiskEntry).where(RiskEntry.status == "open")).all():
            last = s.exec(
                select(RiskReview)
                .where(RiskReview.thread_id == entry.thread_id)
                .order_by(col(RiskReview.reviewed_at).desc())
            ).first()
            due = last.next_review_on if last else entry.review_on
            stale += due is not None and due < TODAY - timedelta(weeks=2)
        figures = {
            "teams": teams,
            "people": s.exec(select(func.count()).select_from(Person)).one(),
            "open_cases": s.exec(select(func.count()).select_from(Case).where(Case.status != "closed")).one(),
            "sessions": s.exec(select(func.count()).select_from(SupervisionSession)).one(),
            "worries": s.exec(select(func.count()).select_from(RiskEntry)).one(),
            "teams_with_next_week_planned": len(
                set(
                    s.exec(
                        select(SupervisionSession.team_id).where(
                            SupervisionSession.status == "planned",
                            SupervisionSession.scheduled_for > datetime.combine(TODAY, time(), tzinfo=UTC),
                            SupervisionSession.scheduled_for
                            <= datetime.combine(TODAY + timedelta(days=8), time(), tzinfo=UTC),
                        )
                    ).all()
                )
            ),
            "open_worries_per_team": open_worries / teams,
            "stale_reviews": stale,
            "open_actions_per_team": s.exec(
                select(func.count()).select_from(Action).where(Action.status == "open")
            ).one()
            / teams,
        }
    dispose_engines()
    assert summary.teams == teams
    return figures


def test_county_is_county_sized_and_its_present_does_not_grow_with_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _seed(tmp_path, 1, monkeypatch)
    three = _seed(tmp_path, 3, monkeypatch)

    assert one["teams"] == 30 and one["people"] >= 300 and one["open_cases"] >= 3000
    assert one["teams_with_next_week_planned"] == three["teams_with_next_week_planned"] == 30
    # History grows with the years...
    assert three["sessions"] > 2.5 * one["sessions"]
    assert three["worries"] > 2.5 * one["worries"]
    # ...but what a team is holding now, and what it still has to do, does not.
    assert 1 <= one["open_worries_per_team"] <= 12
    assert three["open_worries_per_team"] <= 1.3 * one["open_worries_per_team"]
    assert three["open_actions_per_team"] <= 1.3 * one["open_actions_per_team"]
    # Nobody's worry sits unreviewed for weeks on end in a data set meant to look lived-in.
    assert one["stale_reviews"] == three["stale_reviews"] == 0


def test_the_page_benchmark_runs_and_reports_every_data_set() -> None:
    """A smoke run of `benchmarks/pages.py` (not a timing: that is the script's job)."""
    import json
    import math
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "benchmarks/pages.py", "--repeat", "1", "--rounds", "1", "--only", "home"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert set(report["medians"]) == {"demo", "county1", "county5"}
    for kind in report["medians"].values():
        assert set(kind) == {"practitioner", "supervisor", "manager", "trainer", "admin"}
        assert all(ms > 0 and not math.isnan(ms) for pages in kind.values() for ms in pages.values())
    assert set(report["growth_5y_over_1y"]) == {f"{role}/home" for role in report["medians"]["demo"]}
    assert report["peak_memory_mb"] > 0
