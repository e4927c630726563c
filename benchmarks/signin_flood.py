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
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import (  # noqa: E402
    ACCOUNTS,
    ROUTES,
    Person,
    Results,
    click_through,
    demo_people,
    one_person,
)
from benchmarks.ws_client import Browser, pct  # noqa: E402
from deploy.serving import NotHealthy, demo_server  # noqa: E402

# A person who has just signed in sees Home first.
FIRST_SCREEN = "first screen"
ROUTES[FIRST_SCREEN] = [""]


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _post_sign_in(base: str, username: str, password: str, address: str) -> tuple[int, Person | None, float]:
    """The real form: its page (for the CSRF field and cookie), the POST, then Streamlit's
    XSRF cookie. Returns the POST's status, the person when it signed in, and when the form
    was submitted (perf_counter)."""
    browser = Browser(base)
    forwarded = {"X-Forwarded-For": address}
    csrf = browser.csrf(headers=forwarded)
    submitted = time.perf_counter()
    status, _ = browser.post_sign_in(username, password, csrf, headers=forwarded)
    if status != 303:
        return status, None, submitted
    browser.get("/")  # the app's page, as the browser loads it
    cookie, xsrf = browser.stream_cookies(required=False)
    return status, Person(username, "", cookie, xsrf), submitted


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


def _arguments() -> argparse.Namespace:
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
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    from db.seed.demo import DEMO_PASSWORD

    hard_stop = time.monotonic() + args.duration
    folder = Path(tempfile.mkdtemp(prefix="circle-flood-"))
    try:
        with demo_server(folder) as server:
            roles, case_ids = demo_people(folder / "circle.db")
            report = asyncio.run(_run(args, server.base, roles, case_ids, DEMO_PASSWORD, hard_stop))
            print(json.dumps(report, indent=2))
    except NotHealthy as exc:
        raise SystemExit(str(exc)) from None


@dataclass
class _Rush:
    """What the second phase saw: the readers' clicks, the sign-ins and the flood's answers."""

    readers: Results = field(default_factory=Results)
    first_screens: Results = field(default_factory=Results)
    signins: list[float] = field(default_factory=list)  # form submitted to first screen drawn, ms
    answered: list[float] = field(default_factory=list)  # form submitted to its answer, ms
    statuses: Counter = field(default_factory=Counter)
    flood: Counter = field(default_factory=Counter)


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
        await click_through(base, readers, case_ids, results, k=clicks, think=args.think, deadline=deadline)

    quiet, rush = Results(), _Rush()
    await reading(quiet, args.quiet)
    began = time.monotonic()
    await asyncio.gather(
        reading(rush.readers, args.window),
        *(_arrive(base, n, password, case_ids, rush, args.window, hard_stop) for n in range(args.people)),
        _attackers(args, base, rush, hard_stop),
    )
    return _report(args, quiet, rush, time.monotonic() - began)


async def _arrive(
    base: str, n: int, password: str, case_ids: list[int], rush: _Rush, window: float, hard_stop: float
) -> None:
    """One person of the rush: arrives at random within the window, signs in, sees Home."""
    await asyncio.sleep(random.uniform(0, window))
    username = ACCOUNTS[n % len(ACCOUNTS)]
    status, person, submitted = await asyncio.to_thread(_post_sign_in, base, username, password, _address())
    rush.statuses[status] += 1
    if person is None:
        return
    rush.answered.append((time.perf_counter() - submitted) * 1000)
    person.role = FIRST_SCREEN
    before = len(rush.first_screens.latencies.get("home", []))
    await one_person(base, person, case_ids, rush.first_screens, k=1, think=0, deadline=hard_stop)
    if len(rush.first_screens.latencies.get("home", [])) > before:
        rush.signins.append((time.perf_counter() - submitted) * 1000)


async def _attackers(args: argparse.Namespace, base: str, rush: _Rush, hard_stop: float) -> None:
    if not args.attackers:
        return
    seconds = min(args.window, hard_stop - time.monotonic())
    with ProcessPoolExecutor(max_workers=1) as pool:
        answers = await asyncio.get_running_loop().run_in_executor(
            pool, _flood, base, args.attackers, args.flood, seconds
        )
    rush.flood.update(answers)


def _clicks(results: Results) -> dict:
    every = results.every
    # A reader still mid-pause when the phase ends is stopped there; that is not an error.
    errors = [e for e in results.errors if "hard time limit" not in e]
    return {
        "clicks": len(every),
        "errors": len(errors),
        "error_examples": errors[:3],
        "p50_ms": pct(every, 0.5),
        "p95_ms": pct(every, 0.95),
        "max_ms": round(max(every), 1) if every else 0,
    }


def _report(args: argparse.Namespace, quiet: Results, rush: _Rush, took: float) -> dict:
    signins, first = rush.signins, rush.first_screens.latencies.get("home", [])
    return {
        "people": args.people,
        "window_s": args.window,
        "readers": args.readers,
        "password_checks_at_once": "server default (CIRCLE_PASSWORD_CHECKS or cores / 2)",
        "quiet_readers": _clicks(quiet),
        "rush_readers": _clicks(rush.readers),
        "signins": {
            "ok": len(signins),
            "answers": {str(k): v for k, v in rush.statuses.items()},
            "p50_ms": pct(signins, 0.5),
            "p95_ms": pct(signins, 0.95),
            "max_ms": round(max(signins), 1) if signins else 0,
            "form_answered_p50_ms": pct(rush.answered, 0.5),
            "form_answered_p95_ms": pct(rush.answered, 0.95),
            "first_screen_p50_ms": pct(first, 0.5),
            "first_screen_p95_ms": pct(first, 0.95),
            "errors": rush.first_screens.errors[:5],
        },
        "flood": {
            "guesses": sum(rush.flood.values()),
            "per_second": round(sum(rush.flood.values()) / took, 1),
            "answers": dict(rush.flood),
        },
        "rush_took_s": round(took, 1),
    }


if __name__ == "__main__":
    main()
