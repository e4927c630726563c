"""Thursday at ten across a county: many teams' session rooms live at once. A benchmark, not a
timed test.

Seeds the county data set (or reuses it: `--keep FOLDER`, the same files as
benchmarks/pages.py), starts the planned session of the first N teams through the data
layer (`sessions.start` with each supervisor's Actor, before the server starts), starts one
real server (`streamlit run serve.py`, SQLite by default, `--database-url` for PostgreSQL;
`--servers 2` starts two behind nginx from deploy/nginx.conf, on PostgreSQL) and drives
N teams x D devices over Streamlit's own websocket the way the browser does:

1. **The arrival rush.** Each person arrives at a random moment within `--arrive-over`
   seconds: loads the real sign-in form, submits it (its CSRF field and cookie), fetches
   Streamlit's XSRF cookie, opens the websocket, draws Home (the first screen), then
   Group supervision, then the Session room. Device 0 of a team is its supervisor (the
   facilitator's shared screen), devices 1..D-1 are its practitioners' own devices.
2. **The steady state.** From the moment a room is drawn, each device does what the
   browser's timers do: for every `auto_rerun` ForwardMsg the server sent (a fragment with
   `run_every`: its `fragment_id` and interval) it asks for a `rerun_script` BackMsg with
   that `fragment_id` and `is_auto_rerun` on a fixed-rate timer (Streamlit 1.67's frontend
   uses `setInterval`, kept across reruns while the interval is unchanged, cancelled by
   `stop_auto_rerun` or when a full rerun no longer registers the fragment). One device
   has one websocket, so its runs go one at a time: a tick that falls while the device's
   previous run is still going is sent when it finishes, and its wait is counted from the
   tick, so a server falling behind shows in the latency instead of hiding in a later
   timer. `--rearm` re-arms each timer after the run finishes instead (the gentler client
   the issue first measured with). `--what-if-participant-seconds 5` has practitioners'
   devices refresh every 5 seconds whatever the server asks (a what-if for sizing, not the
   browser).
   Meanwhile, every `--change-every` seconds per team, something changes: the facilitator
   clicks Next or Back on the shared screen (a real button press over the websocket), or
   someone's arrival is entered (through the data layer, as the facilitator entering for
   the room). The JSON says how long each change took to appear on the other devices
   (a practitioner's "The room is on: ..." line, the shared screen's progress line or its
   arrival circle).

Steady-state figures count only refreshes whose tick fell inside the measured window
(`--duration` seconds, starting once everyone is in their room). An error is a refused or
dropped connection, a sign-in that did not set its cookies, an exception drawn by a page,
a run that did not finish within `--timeout` seconds, or a tick never served.

Bounded everywhere: loopback only, a fixed number of people and ticks, every wait has a
timeout, and the whole run stops by itself (`--arrive-over` + `--duration` + a minute or
two). The client shares the machine with the server, so on a small machine it takes some
of the server's CPU (its own CPU seconds are in the JSON).

    python benchmarks/live_rooms.py --keep /tmp/circle-bench               # 10 teams x 8
    python benchmarks/live_rooms.py --keep /tmp/circle-bench --teams 30 --arrive-over 300
    python benchmarks/live_rooms.py --teams 30 --database-url postgresql+psycopg://...
    python benchmarks/live_rooms.py --teams 30 --servers 2 --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import json
import os
import random
import re
import resource
import shutil
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the data layer is imported once the database is chosen, below
    from db.access import Actor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

BUSY_RETRIES = 30  # "busy, try again": how many times one person tries again before giving up
ROOM_LINE = re.compile(r"^(Step \d+ of \d+.*|The room is on: .*)$")


# ------------------------------------------------------------------------------- figures
def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50": _pct(values, 0.50),
        "p95": _pct(values, 0.95),
        "p99": _pct(values, 0.99),
        "max": round(max(values), 1) if values else 0.0,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


# ---------------------------------------------------------------------------- the data
@dataclass
class Team:
    number: int  # 1-based, as in the county usernames (t01sup, t01p1, ...)
    session_id: int
    supervisor: Actor | None  # the supervisor's Actor, for entering arrivals in the benchmark process
    people: list[int]  # person ids of the team's practitioners, for arrivals
    devices: list[Device] = field(default_factory=list)
    position: int = 0  # where the shared screen is (0: the arrival round)
    arrivals: int = 0


def _usernames(team: int, devices: int) -> list[str]:
    return [f"t{team:02d}sup" if d == 0 else f"t{team:02d}p{d}" for d in range(devices)]


def _database(args: argparse.Namespace, folder: Path) -> tuple[str, str]:
    """The database URL the server will use, seeded with the county; and its kind."""
    from db.county import seed_county
    from db.engine import dispose_engines, session_scope
    from db.migrate import upgrade

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        dispose_engines()
        upgrade()
        from sqlmodel import select

        from db.models import Person

        with session_scope() as s:
            seeded = s.exec(select(Person.id).where(Person.username == "admin01")).first() is not None
        if not seeded:
            seed_county(years=args.years, report=lambda *_: None)
        return args.database_url, "postgresql" if args.database_url.startswith("postgres") else "other"
    # SQLite: the seeded file (pages.py's naming, so one --keep folder serves both) is copied,
    # so every run starts from the same planned sessions.
    seeded_file = folder / f"county{args.years}.db"
    marker = seeded_file.with_suffix(".seeded")
    if not marker.exists():
        for leftover in folder.glob(f"county{args.years}.db*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{seeded_file}"
        dispose_engines()
        upgrade()
        seed_county(years=args.years, report=lambda *_: None)
        dispose_engines()
        marker.touch()
    run = Path(tempfile.mkdtemp(prefix="circle-live-")) / "circle.db"
    with sqlite3.connect(seeded_file) as source, sqlite3.connect(run) as target:
        source.backup(target)
    os.environ["DATABASE_URL"] = f"sqlite:///{run}"
    dispose_engines()
    upgrade()
    return os.environ["DATABASE_URL"], "sqlite"


def _start_sessions(teams: int) -> list[Team]:
    """Each team's next planned session, started by its supervisor (running ones are reused)."""
    from db import accounts, sessions
    from db.county import COUNTY_PASSWORD

    out = []
    for t in range(1, teams + 1):
        token = accounts.sign_in(f"t{t:02d}sup", COUNTY_PASSWORD).token
        actor = accounts.actor_for_token(token)
        if actor is None:
            raise SystemExit(f"team {t}'s supervisor could not sign in")
        lines = [line for line in sessions.sessions_for(actor, limit=5) if line.status != "closed"]
        if not lines:
            raise SystemExit(f"team {t} has no planned session: is this the county data set?")
        view = sessions.view(actor, lines[0].id)
        if view.status == "planned":
            sessions.start(actor, view.id, view.version)
            view = sessions.view(actor, view.id)
        elif view.position != 0:
            sessions.go_to(actor, view.id, view.version, 0)
        people = [p.id for p in sessions.team_people(actor, view.team_id) if p.id != actor.person_id]
        out.append(Team(t, view.id, actor, people))
    return out


# ----------------------------------------------------------------------------- a device
@dataclass
class Fragment:
    interval: float
    next_tick: float


@dataclass
class Device:
    username: str
    team: Team
    facilitator: bool
    cookie: str = ""
    xsrf: str = ""
    fragments: dict[str, Fragment] = field(default_factory=dict)
    buttons: dict[str, str] = field(default_factory=dict)  # user key -> widget id
    room_line: str = ""
    page_hash: str = ""
    in_room_at: float | None = None
    clicks: asyncio.Queue | None = None


@dataclass
class StepChange:
    at: float
    before: dict[str, str]  # username -> the room line that device showed at the change
    seen: set[str] = field(default_factory=set)


@dataclass
class ArrivalChange:
    at: float
    word: str
    seen: bool = False


@dataclass
class Run:
    base: str
    timeout: float
    rearm: bool
    participant_seconds: float = 0.0
    window: tuple[float, float] = (float("inf"), float("inf"))
    hard_stop: float = float("inf")
    first_screen_ms: list[float] = field(default_factory=list)
    room_ms: list[float] = field(default_factory=list)
    rush_errors: list[str] = field(default_factory=list)
    busy_answers: int = 0
    asked: int = 0
    served: int = 0
    refresh_ms: list[float] = field(default_factory=list)
    steady_errors: list[str] = field(default_factory=list)
    click_ms: list[float] = field(default_factory=list)
    change_ms: list[float] = field(default_factory=list)
    step_changes: list[StepChange] = field(default_factory=list)
    arrival_changes: dict[int, list[ArrivalChange]] = field(default_factory=dict)
    expected_sightings: int = 0

    def in_window(self, t: float) -> bool:
        return self.window[0] <= t < self.window[1]


def _sign_in(base: str, username: str, password: str) -> tuple[str, str, float, int]:
    """The sign-in form as a browser submits it. Returns the Cookie header, the XSRF token,
    the moment the form was first submitted (time.monotonic) and how many times the server
    said it was busy (503) or nginx said too many (429; all simulated people share one
    address, as a council office's staff often do): a person told "try again in a few
    seconds" waits the Retry-After (or 5 s) and submits again, and their wait counts from
    the first submission."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    submitted = None
    busy = 0
    for _ in range(BUSY_RETRIES + 1):
        with opener.open(base + "/signin", timeout=60) as r:
            found = re.search(r'name="csrf" value="([^"]+)"', r.read().decode())
        if not found:
            raise RuntimeError("the sign-in form had no CSRF field")
        form = urllib.parse.urlencode({"username": username, "password": password, "csrf": found.group(1)})
        submitted = submitted or time.monotonic()
        post = urllib.request.Request(
            base + "/signin", data=form.encode(), method="POST", headers={"Origin": base}
        )
        try:
            opener.open(post, timeout=120)
            raise RuntimeError("sign-in answered without sending the browser on")
        except urllib.error.HTTPError as exc:  # the 303 to "/" lands here with NoRedirect
            if exc.code in (503, 429):  # busy, or too many at once from this address (nginx)
                busy += 1
                time.sleep(float(exc.headers.get("retry-after") or 5))
                continue
            if exc.code != 303:
                raise RuntimeError(f"sign-in answered {exc.code}") from exc
        break
    else:
        raise RuntimeError(f"sign-in was still busy after {BUSY_RETRIES} tries")
    with opener.open(base + "/_stcore/health", timeout=60):
        pass
    cookies = {c.name: c.value for c in jar}
    if "circle_session" not in cookies or "_streamlit_xsrf" not in cookies:
        raise RuntimeError(f"sign-in did not set both cookies: {sorted(cookies)}")
    header = "; ".join(f"{k}={v}" for k, v in cookies.items() if k != "circle_signin_csrf")
    return header, cookies["_streamlit_xsrf"], submitted, busy  # type: ignore[return-value]  # checked just above: a successful sign-in always sets it


def _texts(element) -> list[str]:
    kind = element.WhichOneof("type")
    if kind == "markdown":
        return [element.markdown.body]
    if kind == "text":
        return [element.text.body]
    if kind == "alert":
        return [element.alert.body]
    if kind == "progress":
        return [element.progress.text]
    return []


class Connection:
    """One device's websocket: send a rerun, read ForwardMsgs until the run finishes."""

    def __init__(self, ws, device: Device, run: Run) -> None:
        self.ws = ws
        self.device = device
        self.run = run

    async def rerun(self, *, page: str | None = None, fragment: str | None = None, click: str | None = None):
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        rs = msg.rerun_script
        if page is not None:
            rs.page_name = page
        else:  # what the browser sends for a rerun of the page it is on
            rs.page_script_hash = self.device.page_hash
        if fragment:
            rs.fragment_id = fragment
            rs.is_auto_rerun = True
        if click:
            state = rs.widget_states.widgets.add()
            state.id = self.device.buttons[click]
            state.trigger_value = True
        full = fragment is None  # a live part may ask for a full run too (st.rerun(scope="app"))
        announced: dict[str, float] = {}
        buttons: dict[str, str] = {}
        stopped: set[str] = set()
        texts: list[str] = []
        problem = None
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=self.run.timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    problem = f"exception: {element.exception.message[:120]}"
                elif what == "button" and "-" in element.button.id:
                    buttons[element.button.id.rsplit("-", 1)[1]] = element.button.id
                else:
                    texts.extend(_texts(element))
            elif kind == "navigation":  # every full run (also one a live part asked for)
                self.device.page_hash = fwd.navigation.page_script_hash
                full = True
            elif kind == "auto_rerun":
                interval = fwd.auto_rerun.interval
                if self.run.participant_seconds and not self.device.facilitator:
                    interval = self.run.participant_seconds  # a what-if: not what the server asked
                announced[fwd.auto_rerun.fragment_id] = interval
            elif kind == "stop_auto_rerun":
                stopped.update(fwd.stop_auto_rerun.fragment_ids)
            elif kind == "page_not_found":
                problem = f"page not found: {page}"
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problem = "compile error"
                    break
                if status in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    break
        now = time.monotonic()
        # The browser's timers: a full rerun keeps a timer whose fragment it registered again
        # with the same interval, starts new ones, and drops the rest.
        if full:
            self.device.buttons = buttons
            kept = {}
            for fid, interval in announced.items():
                old = self.device.fragments.get(fid)
                kept[fid] = old if old and old.interval == interval else Fragment(interval, now + interval)
            self.device.fragments = kept
        for fid in stopped:
            self.device.fragments.pop(fid, None)
        for line in texts:
            if ROOM_LINE.match(line):
                self.device.room_line = line
                break
        if problem:
            raise RuntimeError(problem)
        return texts, now


async def _device(
    device: Device, run: Run, password: str, arrive_at: float, pool: ThreadPoolExecutor
) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, arrive_at - time.monotonic()))
    try:
        device.cookie, device.xsrf, submitted, busy = await loop.run_in_executor(
            pool, _sign_in, run.base, device.username, password
        )
        run.busy_answers += busy
        async with websockets.connect(
            run.base.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", device.xsrf],  # type: ignore[list-item]  # websockets types subprotocols as a NewType of str
            additional_headers={"Cookie": device.cookie, "Origin": run.base},
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        ) as ws:
            conn = Connection(ws, device, run)
            _, shown = await conn.rerun(page="")
            run.first_screen_ms.append((shown - submitted) * 1000)
            await conn.rerun(page="sessions")
            _, in_room = await conn.rerun(page="session_room")
            if not device.fragments:
                raise RuntimeError("the room has no live parts (no auto_rerun was sent)")
            device.in_room_at = in_room
            run.room_ms.append((in_room - submitted) * 1000)
            await _steady(conn, device, run)
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        text = f"{device.username}: {type(exc).__name__}: {exc}"[:240]
        (run.rush_errors if device.in_room_at is None else run.steady_errors).append(text)


async def _steady(conn: Connection, device: Device, run: Run) -> None:
    """The browser's fixed-rate timers (and the facilitator's clicks) until the window ends."""
    assert device.clicks is not None
    while True:
        now = time.monotonic()
        if now >= run.window[1]:
            # Ticks inside the window this device never got to send are asked and unserved.
            for frag in device.fragments.values():
                while frag.next_tick < run.window[1]:
                    run.asked += run.in_window(frag.next_tick)
                    frag.next_tick += frag.interval
            return
        if not device.clicks.empty():
            key = device.clicks.get_nowait()
            began = time.monotonic()
            await conn.rerun(click=key)
            done = time.monotonic()
            if run.in_window(began):
                run.click_ms.append((done - began) * 1000)
            device.team.position = 1 if key == "room_next" else 0
            others = {d.username: d.room_line for d in device.team.devices if d is not device}
            if run.in_window(done):
                run.step_changes.append(StepChange(done, others))
                run.expected_sightings += len(others)
            continue
        if not device.fragments:
            await asyncio.sleep(0.2)
            continue
        fid, frag = min(device.fragments.items(), key=lambda pair: pair[1].next_tick)
        wait = frag.next_tick - now
        if wait > 0:
            # Wake early for a click; never past the window's end.
            try:
                key = await asyncio.wait_for(device.clicks.get(), timeout=min(wait, run.window[1] - now))
                device.clicks.put_nowait(key)
            except TimeoutError:
                pass
            continue
        # Every tick of this fragment that is due now is served by this one run (the server
        # folds repeated requests for one fragment into one run too).
        ticks = []
        while frag.next_tick <= now:
            ticks.append(frag.next_tick)
            frag.next_tick += frag.interval
        counted = [t for t in ticks if run.in_window(t)]
        run.asked += len(counted)
        texts, done = await conn.rerun(fragment=fid)
        if run.rearm and fid in device.fragments:
            device.fragments[fid].next_tick = done + frag.interval
        run.served += len(counted)
        run.refresh_ms.extend((done - t) * 1000 for t in counted)
        _notice_changes(device, run, texts, done)


def _notice_changes(device: Device, run: Run, texts: list[str], done: float) -> None:
    for change in run.step_changes:
        before = change.before.get(device.username)
        if before is not None and device.username not in change.seen and device.room_line != before:
            change.seen.add(device.username)
            run.change_ms.append((done - change.at) * 1000)
    if device.facilitator:
        for arrival in run.arrival_changes.get(device.team.number, []):
            if not arrival.seen and any(arrival.word in t for t in texts):
                arrival.seen = True
                run.change_ms.append((done - arrival.at) * 1000)


async def _changes(team: Team, run: Run, every: float, rng: random.Random, pool: ThreadPoolExecutor) -> None:
    """Now and then: an arrival entered for someone, or the facilitator moving the step."""
    from db import sessions

    loop = asyncio.get_running_loop()
    facilitator = team.devices[0]
    await asyncio.sleep(max(0.0, run.window[0] - time.monotonic()) + rng.uniform(0, every / 2))
    turn = 0
    # The last change leaves time for a 5-second refresh to show it before the window ends.
    while time.monotonic() < run.window[1] - 6:
        if turn % 3 == 0 and team.position == 0 and team.people:
            team.arrivals += 1
            word = f"steady {team.number}x{team.arrivals}"
            person = team.people[team.arrivals % len(team.people)]
            try:
                await loop.run_in_executor(
                    pool,
                    lambda p=person, w=word: sessions.record_arrival(  # type: ignore[misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it
                        team.supervisor, team.session_id, person_id=p, score=rng.randint(3, 9), word=w  # type: ignore[arg-type]  # a seeded team always has its supervisor; only the placeholder Team has None
                    ),
                )
                run.arrival_changes.setdefault(team.number, []).append(ArrivalChange(time.monotonic(), word))
                run.expected_sightings += 1
            except Exception as exc:  # noqa: BLE001
                run.steady_errors.append(f"arrival for team {team.number}: {type(exc).__name__}: {exc}"[:240])
        elif facilitator.in_room_at is not None and facilitator.clicks is not None:
            facilitator.clicks.put_nowait("room_next" if team.position == 0 else "room_back")
        turn += 1
        await asyncio.sleep(every)


async def _drive(teams: list[Team], run: Run, args: argparse.Namespace, password: str) -> dict:
    rng = random.Random(16)
    pool = ThreadPoolExecutor(max_workers=min(256, len(teams) * args.devices + 8))
    started = time.monotonic()
    devices = [d for team in teams for d in team.devices]
    for d in devices:
        d.clicks = asyncio.Queue()
    # The window opens once everyone is in (or the rush has had all the time it gets).
    run.window = (float("inf"), float("inf"))
    tasks = [
        asyncio.create_task(_device(d, run, password, started + rng.uniform(0, args.arrive_over), pool))
        for d in devices
    ]
    rush_limit = started + args.arrive_over + args.rush_timeout
    while time.monotonic() < rush_limit:
        if all(d.in_room_at is not None or t.done() for d, t in zip(devices, tasks, strict=True)):
            break
        await asyncio.sleep(0.1)
    rush_end = time.monotonic()
    in_room = [d.in_room_at for d in devices if d.in_room_at is not None]
    run.window = (rush_end + args.settle, rush_end + args.settle + args.duration)
    changers = [asyncio.create_task(_changes(t, run, args.change_every, rng, pool)) for t in teams]
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu_before = sum(_cpu_seconds(pid) for pid in args.server_pids)
    await asyncio.sleep(max(0.0, run.window[0] - time.monotonic()))
    peak = 0
    while time.monotonic() < run.window[1]:
        peak = max(peak, sum(_rss_kib(pid) for pid in args.server_pids))
        await asyncio.sleep(0.5)
    # Runs asked for inside the window get a grace period to finish.
    done, pending = await asyncio.wait(tasks + changers, timeout=args.timeout + 5)
    for task in pending:
        task.cancel()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = sum(_cpu_seconds(pid) for pid in args.server_pids) - server_cpu_before
    pool.shutdown(wait=False, cancel_futures=True)
    unserved = run.asked - run.served
    seen = len(run.change_ms)
    return {
        "rush": {
            "people": len(devices),
            "arrive_over_seconds": args.arrive_over,
            "in_room": len(in_room),
            "everyone_in_seconds": round(max(in_room) - started, 1) if in_room else None,
            "last_in_after_last_arrival_seconds": round(max(in_room) - started - args.arrive_over, 1)
            if in_room
            else None,
            "busy_or_too_many_answers": run.busy_answers,
            "sign_in_to_first_screen_ms": _spread(run.first_screen_ms),
            "sign_in_to_room_ms": _spread(run.room_ms),
            "errors": len(run.rush_errors),
            "error_samples": run.rush_errors[:5],
        },
        "steady": {
            "seconds": args.duration,
            "devices": len(in_room),
            "refreshes_asked": run.asked,
            "refreshes_served": run.served,
            "refreshes_unserved": unserved,
            "refreshes_per_second": round(run.served / args.duration, 1),
            "refresh_ms": _spread(run.refresh_ms),
            "mean_ms": round(statistics.fmean(run.refresh_ms), 1) if run.refresh_ms else 0.0,
            "errors": len(run.steady_errors) + unserved,
            "error_samples": run.steady_errors[:5],
            "clicks_ms": _spread(run.click_ms),
            "changes": {
                "step_moves": len(run.step_changes),
                "arrivals": sum(len(v) for v in run.arrival_changes.values()),
                "sightings_expected": run.expected_sightings,
                "sightings_seen": seen,
                "change_to_other_devices_ms": _spread(run.change_ms),
            },
            "server_cpu_seconds_per_refresh_ms": round(server_cpu * 1000 / max(run.served, 1), 1),
            "server_cpu_share": round(server_cpu / args.duration, 2),
            "client_cpu_share": round(
                (cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime)
                / args.duration,
                2,
            ),
            "server_rss_peak_mib": round(peak / 1024, 1),
        },
    }


def _serve(url: str, folder: Path) -> tuple[subprocess.Popen, str, object]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed by the caller
    env = {**os.environ, "DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
        + ["--server.address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(480):
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                if r.status == 200:
                    return server, base, log
        except OSError:
            time.sleep(0.25)
    server.kill()
    log.close()
    raise SystemExit("the server did not become healthy: " + (folder / "server.log").read_text()[-2000:])


async def _warm(base: str, username: str, password: str) -> None:
    """One person through the same screens first, so imports and first compiles aren't timed."""
    team = Team(0, 0, None, [])
    device = Device(username, team, facilitator=False)
    team.devices.append(device)
    run = Run(base, timeout=120, rearm=False)
    run.window = (0.0, 0.0)  # steady state ends at once
    device.clicks = asyncio.Queue()
    with ThreadPoolExecutor(max_workers=1) as pool:
        await _device(device, run, password, 0.0, pool)
    if run.rush_errors or run.steady_errors:
        raise SystemExit(f"warming up failed: {run.rush_errors + run.steady_errors}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=10, help="teams with a live room (1-30)")
    parser.add_argument("--devices", type=int, default=8, help="devices per team: supervisor + practitioners")
    parser.add_argument("--years", type=int, default=5, help="years of county history")
    parser.add_argument("--arrive-over", type=float, default=60, help="seconds over which people arrive")
    parser.add_argument("--duration", type=float, default=60, help="seconds of steady state measured")
    parser.add_argument("--settle", type=float, default=5, help="seconds between the rush and the window")
    parser.add_argument("--change-every", type=float, default=10, help="seconds between a team's changes")
    parser.add_argument("--rearm", action="store_true", help="re-arm timers after each run (not the browser)")
    parser.add_argument("--timeout", type=float, default=30, help="longest wait for one run, seconds")
    parser.add_argument("--rush-timeout", type=float, default=300, help="how long past --arrive-over to wait")
    parser.add_argument("--keep", metavar="FOLDER", help="seed once into this folder and reuse it")
    parser.add_argument("--database-url", help="use this database (seeded if empty) instead of SQLite")
    parser.add_argument(
        "--servers", type=int, default=1, help="servers behind nginx (deploy/nginx.conf); 2+ need PostgreSQL"
    )
    parser.add_argument(
        "--what-if-participant-seconds",
        type=float,
        default=0,
        help="a what-if, not the browser: practitioners' devices refresh this often instead of the "
        "interval the server asks for (the shared screen keeps the server's)",
    )
    args = parser.parse_args(argv)
    if args.servers > 1 and not (args.database_url or "").startswith("postgres"):
        parser.error("several servers share one PostgreSQL database: give --database-url")
    if not 1 <= args.teams <= 30 or not 2 <= args.devices <= 10:
        parser.error("--teams is 1-30 and --devices 2-10 (the county's teams have a supervisor and 9)")

    from db.county import COUNTY_PASSWORD
    from db.engine import dispose_engines

    scratch = Path(tempfile.mkdtemp(prefix="circle-live-rooms-"))
    folder = Path(args.keep) if args.keep else scratch
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    url, kind = _database(args, folder)
    teams = _start_sessions(args.teams)
    prepared = time.perf_counter() - began
    dispose_engines()  # the server opens its own; this process only enters arrivals from here on
    cluster = None
    if args.servers > 1:
        import uuid

        from deploy.cluster import Cluster

        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        env = {**os.environ, "DATABASE_URL": url, "STREAMLIT_SERVER_COOKIE_SECRET": uuid.uuid4().hex}
        cluster = Cluster(scratch, env)
        try:
            cluster.start_servers(args.servers)
            cluster.start_nginx(nginx)
        except BaseException:
            cluster.stop()
            raise
        base, args.server_pids = cluster.front, cluster.server_pids()
    else:
        server, base, log = _serve(url, scratch)
        args.server_pids = [server.pid]
    try:
        # The warm-up person is outside every measured team (team 30's ninth practitioner).
        asyncio.run(_warm(base, "t30p9", COUNTY_PASSWORD))
        run = Run(
            base, timeout=args.timeout, rearm=args.rearm, participant_seconds=args.what_if_participant_seconds
        )
        for team in teams:
            for d, username in enumerate(_usernames(team.number, args.devices)):
                team.devices.append(Device(username, team, facilitator=d == 0))
        figures = asyncio.run(_drive(teams, run, args, COUNTY_PASSWORD))
        out = {
            "database": kind,
            "years": args.years,
            "teams": args.teams,
            "devices_per_team": args.devices,
            "servers": args.servers,
            "timers": "re-armed after each run" if args.rearm else "fixed rate, as the browser's",
            "what_if_participant_seconds": args.what_if_participant_seconds or None,
            "prepare_seconds": round(prepared, 1),
            "cpu_count": os.cpu_count(),
            **figures,
        }
        if figures["rush"]["errors"] or figures["steady"]["errors"]:
            # What the server said about it (the log goes with the scratch folder).
            lines = [
                line
                for path in sorted(scratch.glob("server*.log"))
                for line in path.read_text(errors="replace").splitlines()
            ]
            out["server_log_errors"] = [line[:240] for line in lines if "Error" in line][-10:]
        print(json.dumps(out, indent=2))
        return out
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        dispose_engines()
        shutil.rmtree(scratch, ignore_errors=True)
        if kind == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
