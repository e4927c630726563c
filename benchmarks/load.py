"""A load test over Streamlit's own websocket protocol: a benchmark, not a timed test.

Starts one real Circle server (`streamlit run serve.py`) on a free loopback port, on its
own SQLite file with the demo team loaded, signs N simulated people in through the real
/signin form, and has each of them open a websocket the way the browser does and click
through the screens their role uses (Home, the case board, one case, the risk log, group
supervision, insights) for K interactions, pausing to read between clicks (a random pause
around --think seconds; people also arrive spread over one such pause).
Bounded in count (N x K) and in time (a hard stop after --duration seconds).

An interaction is one `rerun_script` BackMsg (a page, with its query string) and every
ForwardMsg until `script_finished`; its latency is the time between the two. An error is a
refused or dropped connection, a page not found, an exception element drawn by the page,
a script that did not finish, or an interaction past the hard stop.

Prints one JSON object: requests, errors, p50/p95/p99 latency in milliseconds (overall and
per page), throughput, and the server's resident memory (VmRSS) before the people arrive
and after, divided by the number of people.

    python benchmarks/load.py                    # 30 people, 6 clicks each, ~10 s apart
    python benchmarks/load.py --users 60 --interactions 20 --think 0   # back to back: capacity
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ws_client import Browser, open_stream, pct, read_run, rerun_message, rss_kib  # noqa: E402
from deploy.serving import NotHealthy, Server, demo_server  # noqa: E402

# Who the simulated people sign in as (several sessions share an account, as colleagues'
# devices would), and the screens each role clicks through.
ACCOUNTS = ["priya", "tom", "amara", "jack", "sian", "leo", "hannah", "marcus"]
ROUTES = {
    "practitioner": ["", "case_board", "case", "risk_log", "sessions", "case_board", "case"],
    "supervisor": ["", "sessions", "case_board", "case", "risk_log", "insights"],
    "manager": ["", "insights", "case_board", "case", "risk_log"],
}


@dataclass
class Person:
    username: str
    role: str
    cookie: str  # the Cookie header: circle_session and _streamlit_xsrf
    xsrf: str


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    @property
    def every(self) -> list[float]:
        """Every latency, whatever the page."""
        return [v for values in self.latencies.values() for v in values]


def sign_in(base: str, username: str, password: str) -> Person:
    """The real sign-in form (its CSRF field and cookie), then Streamlit's XSRF cookie."""
    browser = Browser(base)
    status, _ = browser.post_sign_in(username, password, browser.csrf())
    if status != 303:
        raise RuntimeError(f"sign-in for {username} answered {status}")
    cookie, xsrf = browser.stream_cookies()
    return Person(username, "", cookie, xsrf)


def sign_in_people(base: str, users: int, roles: dict[str, str], password: str) -> list[Person]:
    """`users` people signed in, taking ACCOUNTS in turn, each with their account's role."""
    people = []
    for n in range(users):
        person = sign_in(base, ACCOUNTS[n % len(ACCOUNTS)], password)
        person.role = roles[person.username]
        people.append(person)
    return people


def demo_people(db_path: Path) -> tuple[dict[str, str], list[int]]:
    """The demo database's roles by username, and its first team's case ids."""
    with sqlite3.connect(db_path) as conn:
        roles = dict(conn.execute("SELECT username, role FROM person").fetchall())
        case_ids = [r[0] for r in conn.execute("SELECT id FROM case_record WHERE team_id = 1")]
    return roles, case_ids


async def one_person(
    base: str, person: Person, case_ids: list[int], results: Results, *, k: int, think: float, deadline: float
) -> None:
    route = ROUTES[person.role]
    start = random.randrange(len(route))
    # People arrive over one pause's length rather than all in the same millisecond.
    await asyncio.sleep(random.uniform(0, think))
    try:
        async with open_stream(base, person.cookie, person.xsrf) as ws:
            for i in range(k):
                if time.monotonic() > deadline:
                    results.errors.append(f"{person.username}: stopped at the hard time limit")
                    return
                page = route[(start + i) % len(route)]
                query = f"case={random.choice(case_ids)}" if page == "case" else ""
                began = time.perf_counter()
                results.requests += 1
                await ws.send(rerun_message(page=page, query=query))
                problem = await read_run(ws, lambda: max(deadline - time.monotonic(), 0.1))
                elapsed = (time.perf_counter() - began) * 1000
                if problem:
                    results.errors.append(f"{person.username}: {problem} on {page or 'home'}")
                else:
                    results.latencies.setdefault(page or "home", []).append(elapsed)
                if think:
                    await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        results.errors.append(f"{person.username}: {type(exc).__name__}: {exc}"[:200])


async def click_through(
    base: str,
    people: list[Person],
    case_ids: list[int],
    results: Results,
    *,
    k: int,
    think: float,
    deadline: float,
) -> float:
    """Everyone clicking through their screens at once (`one_person` each): the wall seconds."""
    began = time.perf_counter()
    await asyncio.gather(
        *(one_person(base, p, case_ids, results, k=k, think=think, deadline=deadline) for p in people)
    )
    return time.perf_counter() - began


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--interactions", type=int, default=6, help="per person")
    parser.add_argument(
        "--think", type=float, default=10.0, help="mean seconds a person reads before the next click"
    )
    parser.add_argument("--duration", type=float, default=180, help="hard stop, seconds")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    return parser.parse_args()


def _measure(args: argparse.Namespace, server: Server, people: list[Person], case_ids: list[int]) -> dict:
    """Warm the server with one person, then everyone at once, the server's memory read while
    their sessions are open."""
    warm = Results()
    k = len(ROUTES["practitioner"])
    asyncio.run(
        one_person(server.base, people[0], case_ids, warm, k=k, think=0, deadline=time.monotonic() + 60)
    )
    rss_before = rss_kib(server.pid)
    results = Results()

    async def with_memory() -> tuple[float, int]:
        deadline = time.monotonic() + args.duration
        task = asyncio.create_task(
            click_through(
                server.base,
                people,
                case_ids,
                results,
                k=args.interactions,
                think=args.think,
                deadline=deadline,
            )
        )
        peak = 0
        while not task.done():
            peak = max(peak, rss_kib(server.pid))
            await asyncio.sleep(0.2)
        return await task, peak

    wall, rss_peak = asyncio.run(with_memory())
    rss = {"before": rss_before, "peak": rss_peak, "after": rss_kib(server.pid)}
    return _report(args, results, wall, rss)


def _report(args: argparse.Namespace, results: Results, wall: float, rss: dict[str, int]) -> dict:
    every = results.every
    return {
        "users": args.users,
        "interactions_per_user": args.interactions,
        "think_seconds": args.think,
        "requests": results.requests,
        "ok": len(every),
        "errors": len(results.errors),
        "error_samples": results.errors[:5],
        "latency_ms": {
            "p50": pct(every, 0.50),
            "p95": pct(every, 0.95),
            "p99": pct(every, 0.99),
            "max": round(max(every), 1) if every else 0.0,
            "mean": round(statistics.fmean(every), 1) if every else 0.0,
        },
        "p95_ms_by_page": {page: pct(v, 0.95) for page, v in sorted(results.latencies.items())},
        "wall_seconds": round(wall, 1),
        "interactions_per_second": round(len(every) / wall, 1) if wall else 0.0,
        "server_rss_mib": {
            "before": round(rss["before"] / 1024, 1),
            "peak": round(rss["peak"] / 1024, 1),
            "after": round(rss["after"] / 1024, 1),
            "per_session": round((rss["peak"] - rss["before"]) / 1024 / max(args.users, 1), 2),
        },
        "cpu_count": os.cpu_count(),
    }


def main() -> None:
    args = _arguments()
    from db.seed.demo import DEMO_PASSWORD

    folder = Path(tempfile.mkdtemp(prefix="circle-load-"))
    try:
        with demo_server(folder, port=args.port) as server:
            roles, case_ids = demo_people(folder / "circle.db")
            people = sign_in_people(server.base, args.users, roles, DEMO_PASSWORD)
            print(json.dumps(_measure(args, server, people, case_ids), indent=2))
    except NotHealthy as exc:
        raise SystemExit(str(exc)) from None


if __name__ == "__main__":
    main()
