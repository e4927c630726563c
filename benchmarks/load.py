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
import http.cookiejar
import json
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Who the simulated people sign in as (several sessions share an account, as colleagues'
# devices would), and the screens each role clicks through.
ACCOUNTS = ["priya", "tom", "amara", "jack", "sian", "leo", "hannah", "marcus"]
ROUTES = {
    "practitioner": ["", "case_board", "case", "risk_log", "sessions", "case_board", "case"],
    "supervisor": ["", "sessions", "case_board", "case", "risk_log", "insights"],
    "manager": ["", "insights", "case_board", "case", "risk_log"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


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


def sign_in(base: str, username: str, password: str) -> Person:
    """The real sign-in form (its CSRF field and cookie), then Streamlit's XSRF cookie."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(base + "/signin", timeout=30) as r:
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.read().decode()).group(1)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    form = urllib.parse.urlencode({"username": username, "password": password, "csrf": csrf}).encode()
    try:
        opener.open(urllib.request.Request(base + "/signin", data=form, method="POST"), timeout=60)
    except urllib.error.HTTPError as exc:  # the 303 to "/" lands here with NoRedirect
        if exc.code != 303:
            raise RuntimeError(f"sign-in for {username} answered {exc.code}") from exc
    with opener.open(base + "/_stcore/health", timeout=30):
        pass
    cookies = {c.name: c.value for c in jar}
    if "circle_session" not in cookies or "_streamlit_xsrf" not in cookies:
        raise RuntimeError(f"sign-in for {username} did not set both cookies: {sorted(cookies)}")
    header = "; ".join(f"{k}={v}" for k, v in cookies.items() if k != "circle_signin_csrf")
    return Person(username, "", header, cookies["_streamlit_xsrf"])  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)


async def one_person(
    base: str, person: Person, case_ids: list[int], results: Results, *, k: int, think: float, deadline: float
) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    route = ROUTES[person.role]
    start = random.randrange(len(route))
    # People arrive over one pause's length rather than all in the same millisecond.
    await asyncio.sleep(random.uniform(0, think))
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit", person.xsrf],  # type: ignore[list-item]  # websockets types subprotocols as a NewType of str
            additional_headers={"Cookie": person.cookie, "Origin": base},
            max_size=None,
            open_timeout=30,
        ) as ws:
            for i in range(k):
                if time.monotonic() > deadline:
                    results.errors.append(f"{person.username}: stopped at the hard time limit")
                    return
                page = route[(start + i) % len(route)]
                msg = BackMsg()
                msg.rerun_script.page_name = page
                if page == "case":
                    msg.rerun_script.query_string = f"case={random.choice(case_ids)}"
                began = time.perf_counter()
                results.requests += 1
                await ws.send(msg.SerializeToString())
                problem = None
                while True:
                    remaining = deadline - time.monotonic()
                    raw = await asyncio.wait_for(ws.recv(), timeout=max(remaining, 0.1))
                    fwd = ForwardMsg()
                    fwd.ParseFromString(raw)
                    kind = fwd.WhichOneof("type")
                    if kind == "page_not_found":
                        problem = f"page not found: {page}"
                    elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                        if fwd.delta.new_element.WhichOneof("type") == "exception":
                            problem = f"exception on {page}: {fwd.delta.new_element.exception.message[:120]}"
                    elif kind == "script_finished":
                        if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                            break
                        if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                            problem = f"compile error on {page}"
                            break
                elapsed = (time.perf_counter() - began) * 1000
                if problem:
                    results.errors.append(f"{person.username}: {problem}")
                else:
                    results.latencies.setdefault(page or "home", []).append(elapsed)
                if think:
                    await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        results.errors.append(f"{person.username}: {type(exc).__name__}: {exc}"[:200])


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def main() -> None:
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
    args = parser.parse_args()

    from db.demo import DEMO_PASSWORD

    folder = Path(tempfile.mkdtemp(prefix="circle-load-"))
    db_path = folder / "circle.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "CIRCLE_DEMO": "1"}
    subprocess.run([sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(db_path) as conn:
        roles = dict(conn.execute("SELECT username, role FROM person").fetchall())
        case_ids = [r[0] for r in conn.execute("SELECT id FROM case_record WHERE team_id = 1")]

    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            raise SystemExit(
                "the server did not become healthy: " + (folder / "server.log").read_text()[-2000:]
            )

        people = []
        for n in range(args.users):
            username = ACCOUNTS[n % len(ACCOUNTS)]
            person = sign_in(base, username, DEMO_PASSWORD)
            person.role = roles[username]
            people.append(person)

        # Warm the server (imports, first script compile) with one person, then measure.
        warm = Results()
        asyncio.run(
            one_person(
                base,
                people[0],
                case_ids,
                warm,
                k=len(ROUTES["practitioner"]),
                think=0,
                deadline=time.monotonic() + 60,
            )
        )
        rss_before = _rss_kib(server.pid)

        results = Results()

        async def everyone() -> float:
            deadline = time.monotonic() + args.duration
            began = time.perf_counter()
            await asyncio.gather(
                *(
                    one_person(
                        base, p, case_ids, results, k=args.interactions, think=args.think, deadline=deadline
                    )
                    for p in people
                )
            )
            return time.perf_counter() - began

        # Memory is read while everyone's session is still open on the server.
        async def with_memory() -> tuple[float, int]:
            task = asyncio.create_task(everyone())
            peak = 0
            while not task.done():
                peak = max(peak, _rss_kib(server.pid))
                await asyncio.sleep(0.2)
            return await task, peak

        wall, rss_peak = asyncio.run(with_memory())
        rss_after = _rss_kib(server.pid)
        every = [v for values in results.latencies.values() for v in values]
        print(
            json.dumps(
                {
                    "users": args.users,
                    "interactions_per_user": args.interactions,
                    "think_seconds": args.think,
                    "requests": results.requests,
                    "ok": len(every),
                    "errors": len(results.errors),
                    "error_samples": results.errors[:5],
                    "latency_ms": {
                        "p50": _pct(every, 0.50),
                        "p95": _pct(every, 0.95),
                        "p99": _pct(every, 0.99),
                        "max": round(max(every), 1) if every else 0.0,
                        "mean": round(statistics.fmean(every), 1) if every else 0.0,
                    },
                    "p95_ms_by_page": {page: _pct(v, 0.95) for page, v in sorted(results.latencies.items())},
                    "wall_seconds": round(wall, 1),
                    "interactions_per_second": round(len(every) / wall, 1) if wall else 0.0,
                    "server_rss_mib": {
                        "before": round(rss_before / 1024, 1),
                        "peak": round(rss_peak / 1024, 1),
                        "after": round(rss_after / 1024, 1),
                        "per_session": round((rss_peak - rss_before) / 1024 / max(args.users, 1), 2),
                    },
                    "cpu_count": os.cpu_count(),
                },
                indent=2,
            )
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    main()
