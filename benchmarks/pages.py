"""Every page's rerun time through AppTest, for each role, as history grows: a benchmark,
not a timed test.

Loads three data sets into temporary SQLite files (the demo team; the county data set with
one year of history; the same with five years), signs in one person per role, and reruns
each page in their navigation several times, in rounds over all the pages. Prints one JSON
object: the median rerun in milliseconds per data set, role and page; the growth ratio
five years / one year for each page; and the process's peak memory.

    python benchmarks/pages.py              # or: --repeat 9 --rounds 3
    python benchmarks/pages.py --keep /tmp/circle-bench --only case_board risk_log
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# AppTest outside a server warns about a missing script context on every call; keep errors.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

DEMO_PEOPLE = {
    "practitioner": "priya",
    "supervisor": "hannah",
    "manager": "marcus",
    "trainer": "ruth",
    "admin": "alex",
}
COUNTY_PEOPLE = {
    "practitioner": "t01p1",
    "supervisor": "t01sup",
    "manager": "manager01",
    "trainer": "trainer01",
    "admin": "admin01",
}


def _load(kind: str, folder: str) -> tuple[dict[str, str], str]:
    """Fill a fresh database (or reuse one this script filled before); return who to sign
    in as, and the password."""
    path = Path(folder) / f"{kind}.db"
    marker = path.with_suffix(".seeded")  # written once seeding finished, so a half-seeded file is redone
    existed = marker.exists()
    if not existed:
        for leftover in Path(folder).glob(f"{kind}.db*"):
            leftover.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    from db.engine import dispose_engines
    from db.migrate import upgrade
    from db.seed.county import COUNTY_PASSWORD, seed_county
    from db.seed.demo import DEMO_PASSWORD, load_demo

    dispose_engines()
    upgrade()
    if kind == "demo":
        if not existed:
            load_demo()
            marker.touch()
        return DEMO_PEOPLE, DEMO_PASSWORD
    if not existed:
        seed_county(years=int(kind.removeprefix("county")), report=lambda *_: None)
        marker.touch()
    return COUNTY_PEOPLE, COUNTY_PASSWORD


def _selection(actor) -> dict[str, object]:
    """Detail screens open on something real: the latest session held, the first case."""
    from components.session_pick import KEY
    from db import sessions

    chosen: dict[str, object] = {}
    if actor.role in sessions.SESSION_ROLES:
        # The latest session held (its record is the fullest); the next one is only planned.
        lines = [line for line in sessions.sessions_for(actor, limit=5) if line.status == "closed"]
        if lines:
            chosen[KEY] = lines[0].id
        teams = actor.team_ids
        if teams:
            cases = sessions.team_cases(actor, teams[0])
            if cases:
                chosen["case_page_id"] = cases[0][0]
    return chosen


KINDS = ("demo", "county1", "county5")


def _open_page(url: str, token: str, chosen: dict[str, object], page: str):
    from streamlit.testing.v1 import AppTest

    from components.identity import TEST_TOKEN_KEY
    from components.navigation import SCREENS

    os.environ["DATABASE_URL"] = url  # each data set keeps its own engine (db.engine caches by URL)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[TEST_TOKEN_KEY] = token
    for key, value in chosen.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(SCREENS[page].script).run()  # first run: imports and warm caches
    return None if at.exception else at


def _time_pages(
    signed_in: dict[str, dict[str, tuple[str, str, dict[str, object]]]],
    repeat: int,
    rounds: int,
    only: set[str],
) -> dict[str, dict[str, dict[str, float]]]:
    """For each role and page, time `repeat` reruns on each data set in turn (so one year and
    five years of the same page are measured moments apart, and a slow spell on the machine
    can't pass for growth), `rounds` times over. The median is over all of a page's reruns."""
    from components.navigation import pages_for

    order = [
        (role, page) for role in signed_in["demo"] for page in pages_for(role) if not only or page in only
    ]
    times: dict[tuple[str, str, str], list[float]] = {}
    for _ in range(rounds):
        for role, page in order:
            for kind in KINDS:
                url, token, chosen = signed_in[kind][role]
                at = _open_page(url, token, chosen, page)
                taken = times.setdefault((kind, role, page), [])
                if at is None:
                    continue
                for _ in range(repeat):
                    started = time.perf_counter()
                    at.run()
                    taken.append((time.perf_counter() - started) * 1000)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for (kind, role, page), taken in times.items():
        results.setdefault(kind, {}).setdefault(role, {})[page] = (
            round(statistics.median(taken), 1) if taken else float("nan")
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="reruns of each page per round")
    parser.add_argument("--rounds", type=int, default=3, help="times over every page (default 3)")
    parser.add_argument(
        "--keep",
        metavar="FOLDER",
        help="seed into this folder and reuse what is there on later runs (default: a fresh "
        "temporary folder each time)",
    )
    parser.add_argument("--only", nargs="*", default=(), metavar="PAGE", help="time just these pages")
    args = parser.parse_args()
    out: dict[str, object] = {"unit": "median rerun, ms", "repeat": args.repeat, "rounds": args.rounds}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or scratch
        Path(folder).mkdir(parents=True, exist_ok=True)
        from db import accounts

        signed_in: dict[str, dict[str, tuple[str, str, dict[str, object]]]] = {}
        for kind in KINDS:
            started = time.perf_counter()
            people, password = _load(kind, folder)
            out[f"{kind}_seed_seconds"] = round(time.perf_counter() - started, 1)
            url = os.environ["DATABASE_URL"]
            signed_in[kind] = {}
            for role, username in people.items():
                token = accounts.sign_in(username, password).token
                actor = accounts.actor_for_token(token)
                assert actor is not None, username
                signed_in[kind][role] = (url, token, _selection(actor))  # type: ignore[assignment]  # checked just above: a successful sign-in always sets it
        # Seeding builds many objects in this process; collect and freeze them so the
        # garbage collector's pauses don't land on the timed reruns.
        gc.collect()
        gc.freeze()
        timings = _time_pages(signed_in, args.repeat, args.rounds, set(args.only))
    out["medians"] = timings
    out["growth_5y_over_1y"] = {
        f"{role}/{page}": round(ms / timings["county1"][role][page], 2)
        for role, pages in timings["county5"].items()
        for page, ms in pages.items()
        if timings["county1"][role].get(page)
    }
    out["slowest_at_county_scale"] = max(
        ((f"{r}/{p}", ms) for r, pages in timings["county5"].items() for p, ms in pages.items()),
        key=lambda pair: pair[1],
    )
    out["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
