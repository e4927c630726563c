"""A morning rush of sign-ins under a flood of password guesses: a benchmark, not a timed test.

Starts one real Circle server (`streamlit run serve.py`) on a free loopback port, on its own
SQLite file with the demo team (production argon2id parameters), and then, in two phases:

1. **Quiet** (`--quiet` seconds): `--readers` signed-in people click through their screens
   over Streamlit's websocket, pausing about `--think` seconds between clicks.
2. **Rush and flood**: the same readers carry on while `--people` people sign in through the
   real form, arriving at random over `--window` seconds, each from their own address; the
   time from submitting the form to the first screen drawn (the POST, the app's page, and
   Home's first run over the websocket) is what they wait. Meanwhile `--attackers` loops post
   wrong passwords for the same accounts as fast as the server answers, each guess from a
   new made-up address (the worst case: no back-off can catch them, every guess reaches a
   password check) until `--flood` guesses or the window ends.

Addresses are given in X-Forwarded-For, which the server trusts from loopback (as it would
from nginx). Everything stays on 127.0.0.1 and stops by `--duration` seconds.

Prints one JSON object: the readers' click times (p50/p95/max) in each phase, the sign-ins'
times (p50/p95/max), how many signed in, and what the flood was answered with.

    python benchmarks/signin_flood.py                             # 240 people over 300 s
    python benchmarks/signin_flood.py --people 240 --window 120   # the rush squeezed harder
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import ACCOUNTS, ROUTES, Person, Results, _free_port, _pct, one_person  # noqa: E402

# A person who has just signed in sees Home first.
FIRST_SCREEN = "first screen"
ROUTES[FIRST_SCREEN] = [""]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _post_sign_in(base: str, username: str, password: str, address: str) -> tuple[int, Person | None, float]:
    """The real form: its page (for the CSRF field and cookie), the POST, then Streamlit's
    XSRF cookie. Returns the POST's status, the person when it signed in, and when the form
    was submitted (perf_counter)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    forwarded = {"X-Forwarded-For": address}
    with opener.open(urllib.request.Request(base + "/signin", headers=forwarded), timeout=60) as r:
        csrf = re.search(r'name="csrf" value="([^"]+)"', r.read().decode()).group(1)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    form = urllib.parse.urlencode({"username": username, "password": password, "csrf": csrf}).encode()
    submitted = time.perf_counter()
    try:
        with opener.open(
            urllib.request.Request(base + "/signin", data=form, method="POST", headers=forwarded), timeout=60
        ) as r:
            status = r.status
    except urllib.error.HTTPError as answer:
        status = answer.code
    if status != 303:
        return status, None, submitted
    with opener.open(base + "/", timeout=60) as r:  # the app's page, as the browser loads it
        r.read()
    with opener.open(base + "/_stcore/health", timeout=60):  # Streamlit's XSRF cookie
        pass
    cookies = {c.name: c.value for c in jar}
    header = "; ".join(f"{k}={v}" for k, v in cookies.items() if k != "circle_signin_csrf")
    return status, Person(username, "", header, cookies.get("_streamlit_xsrf", "")), submitted  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)


def _flood(base: str, loops: int, most: int, seconds: float) -> dict[str, int]:
    """The attackers, in a process of their own (so their threads don't slow the readers'
    measurements in this one): `loops` threads posting wrong passwords until `most` guesses
    or `seconds` have passed."""
    answers: Counter = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def guess() -> None:
        while time.monotonic() < stop:
            with lock:
                if sum(answers.values()) >= most:
                    return
            status: int | str
            try:
                status, _, _ = _post_sign_in(base, random.choice(ACCOUNTS), "not the password", _address())
            except OSError as exc:
                status = type(exc).__name__
            with lock:
                answers[str(status)] += 1

    threads = [threading.Thread(target=guess) for _ in range(loops)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return dict(answers)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=240, help="people signing in during the rush")
    parser.add_argument("--window", type=float, default=300, help="seconds the rush is spread over")
    parser.add_argument("--readers", type=int, default=10, help="signed-in people clicking throughout")
    parser.add_argument("--think", type=float, default=2.0, help="readers' mean pause between clicks")
    parser.add_argument("--quiet", type=float, default=30, help="seconds of the quiet phase")
    parser.add_argument("--attackers", type=int, default=16, help="concurrent guessing loops")
    parser.add_argument("--flood", type=int, default=20000, help="most wrong guesses in all")
    parser.add_argument("--duration", type=float, default=600, help="hard stop, seconds")
    args = parser.parse_args()

    from db.demo import DEMO_PASSWORD

    hard_stop = time.monotonic() + args.duration
    folder = Path(tempfile.mkdtemp(prefix="circle-flood-"))
    db_path = folder / "circle.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "CIRCLE_DEMO": "1"}
    subprocess.run([sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(db_path) as conn:
        roles = dict(conn.execute("SELECT username, role FROM person").fetchall())
        case_ids = [r[0] for r in conn.execute("SELECT id FROM case_record WHERE team_id = 1")]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
        + ["--server.address", "127.0.0.1"],
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
        report = asyncio.run(_run(args, base, roles, case_ids, DEMO_PASSWORD, hard_stop))
        print(json.dumps(report, indent=2))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


async def _run(args, base, roles, case_ids, password, hard_stop) -> dict:
    loop = asyncio.get_running_loop()
    loop.set_default_executor(ThreadPoolExecutor(max_workers=args.people + args.attackers + 16))
    readers = []
    for n in range(args.readers):
        username = ACCOUNTS[n % len(ACCOUNTS)]
        _, person, _ = await asyncio.to_thread(_post_sign_in, base, username, password, _address())
        assert person is not None, "a reader could not sign in"
        person.role = roles[username]
        readers.append(person)
    # Warm the server (imports, first compile of each screen).
    await one_person(base, readers[0], case_ids, Results(), k=7, think=0, deadline=time.monotonic() + 60)

    async def reading(results: Results, seconds: float) -> None:
        deadline = min(time.monotonic() + seconds, hard_stop)
        clicks = max(1, int(seconds / max(args.think, 0.1)) + 1)
        await asyncio.gather(
            *(
                one_person(base, p, case_ids, results, k=clicks, think=args.think, deadline=deadline)
                for p in readers
            )
        )

    quiet = Results()
    await reading(quiet, args.quiet)

    statuses: Counter[int | str]
    rush, signins, answered, statuses = Results(), [], [], Counter()
    first_screens = Results()
    flood: Counter = Counter()

    async def arrive(n: int) -> None:
        await asyncio.sleep(random.uniform(0, args.window))
        username = ACCOUNTS[n % len(ACCOUNTS)]
        status, person, submitted = await asyncio.to_thread(
            _post_sign_in, base, username, password, _address()
        )
        statuses[status] += 1
        if person is None:
            return
        answered.append((time.perf_counter() - submitted) * 1000)
        person.role = FIRST_SCREEN
        before = len(first_screens.latencies.get("home", []))
        await one_person(base, person, case_ids, first_screens, k=1, think=0, deadline=hard_stop)
        if len(first_screens.latencies.get("home", [])) > before:
            signins.append((time.perf_counter() - submitted) * 1000)

    async def attackers() -> None:
        if not args.attackers:
            return
        seconds = min(args.window, hard_stop - time.monotonic())
        with ProcessPoolExecutor(max_workers=1) as pool:
            answers = await loop.run_in_executor(pool, _flood, base, args.attackers, args.flood, seconds)
        flood.update(answers)

    began = time.monotonic()
    await asyncio.gather(
        reading(rush, args.window),
        *(arrive(n) for n in range(args.people)),
        attackers(),
    )
    took = time.monotonic() - began

    def clicks(results: Results) -> dict:
        every = [v for values in results.latencies.values() for v in values]
        # A reader still mid-pause when the phase ends is stopped there; that is not an error.
        errors = [e for e in results.errors if "hard time limit" not in e]
        return {
            "clicks": len(every),
            "errors": len(errors),
            "error_examples": errors[:3],
            "p50_ms": _pct(every, 0.5),
            "p95_ms": _pct(every, 0.95),
            "max_ms": round(max(every), 1) if every else 0,
        }

    return {
        "people": args.people,
        "window_s": args.window,
        "readers": args.readers,
        "password_checks_at_once": "server default (CIRCLE_PASSWORD_CHECKS or cores / 2)",
        "quiet_readers": clicks(quiet),
        "rush_readers": clicks(rush),
        "signins": {
            "ok": len(signins),
            "answers": {str(k): v for k, v in statuses.items()},
            "p50_ms": _pct(signins, 0.5),
            "p95_ms": _pct(signins, 0.95),
            "max_ms": round(max(signins), 1) if signins else 0,
            "form_answered_p50_ms": _pct(answered, 0.5),
            "form_answered_p95_ms": _pct(answered, 0.95),
            "first_screen_p50_ms": _pct(first_screens.latencies.get("home", []), 0.5),
            "first_screen_p95_ms": _pct(first_screens.latencies.get("home", []), 0.95),
            "errors": first_screens.errors[:5],
        },
        "flood": {
            "guesses": sum(flood.values()),
            "per_second": round(sum(flood.values()) / took, 1),
            "answers": dict(flood),
        },
        "rush_took_s": round(took, 1),
    }


if __name__ == "__main__":
    main()
