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
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from benchmarks.room_devices import (  # noqa: E402
    ArrivalChange,
    Device,
    Run,
    Team,
    arrive_and_stay,
)
from benchmarks.ws_client import cpu_seconds, rss_kib, spread  # noqa: E402
from deploy.serving import NotHealthy, start_server  # noqa: E402


# ---------------------------------------------------------------------------- the data
def _usernames(team: int, devices: int) -> list[str]:
    return [f"t{team:02d}sup" if d == 0 else f"t{team:02d}p{d}" for d in range(devices)]


def _database(args: argparse.Namespace, folder: Path) -> tuple[str, str]:
    """The database URL the server will use, seeded with the county; and its kind."""
    from db.engine import dispose_engines, session_scope
    from db.migrate import upgrade
    from db.seed.county import seed_county

    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        dispose_engines()
        upgrade()
        from sqlmodel import select

        from db.models import Person

        with session_scope() as s:
            has_admin = s.exec(select(Person.id).where(Person.username == "admin01")).first() is not None
        if not has_admin:
            seed_county(years=args.years, report=lambda *_: None)
        return args.database_url, "postgresql" if args.database_url.startswith("postgres") else "other"
    # SQLite: the seeded file (pages.py's naming, so one --keep folder serves both) is copied,
    # so every run starts from the same planned sessions.
    seeded = folder / f"county{args.years}.db"
    marker = seeded.with_suffix(".seeded")
    if not marker.exists():
        for leftover in folder.glob(f"county{args.years}.db*"):
            leftover.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{seeded}"
        dispose_engines()
        upgrade()
        seed_county(years=args.years, report=lambda *_: None)
        dispose_engines()
        marker.touch()
    run = Path(tempfile.mkdtemp(prefix="circle-live-")) / "circle.db"
    with sqlite3.connect(seeded) as source, sqlite3.connect(run) as target:
        source.backup(target)
    os.environ["DATABASE_URL"] = f"sqlite:///{run}"
    dispose_engines()
    upgrade()
    return os.environ["DATABASE_URL"], "sqlite"


def _start_sessions(teams: int) -> list[Team]:
    """Each team's next planned session, started by its supervisor (running ones are reused)."""
    from db import accounts, sessions
    from db.seed.county import COUNTY_PASSWORD

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


# ------------------------------------------------------------------------- the drive
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
                        team.supervisor, team.session_id, person_id=p, score=rng.randint(3, 9), word=w
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
        asyncio.create_task(
            arrive_and_stay(d, run, password, started + rng.uniform(0, args.arrive_over), pool)
        )
        for d in devices
    ]
    rush_limit = started + args.arrive_over + args.rush_timeout
    while time.monotonic() < rush_limit:
        if all(d.in_room_at is not None or t.done() for d, t in zip(devices, tasks, strict=True)):
            break
        await asyncio.sleep(0.1)
    rush_end = time.monotonic()
    in_room = [d.in_room_at - started for d in devices if d.in_room_at is not None]
    run.window = (rush_end + args.settle, rush_end + args.settle + args.duration)
    changers = [asyncio.create_task(_changes(t, run, args.change_every, rng, pool)) for t in teams]
    used = await _through_the_window(run, tasks + changers, args.server_pids, grace=args.timeout + 5)
    pool.shutdown(wait=False, cancel_futures=True)
    return {
        "rush": _rush_figures(run, args, len(devices), in_room),
        "steady": _steady_figures(run, args, len(in_room), used),
    }


async def _through_the_window(
    run: Run, tasks: list[asyncio.Task], server_pids: list[int], grace: float
) -> dict:
    """Until the window ends, the servers' peak memory; then `grace` seconds for runs asked
    inside it to finish. The servers' and this process's CPU seconds from now until then."""
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu_before = sum(cpu_seconds(pid) for pid in server_pids)
    await asyncio.sleep(max(0.0, run.window[0] - time.monotonic()))
    peak = 0
    while time.monotonic() < run.window[1]:
        peak = max(peak, sum(rss_kib(pid) for pid in server_pids))
        await asyncio.sleep(0.5)
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "server_cpu": sum(cpu_seconds(pid) for pid in server_pids) - server_cpu_before,
        "client_cpu": cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime,
        "rss_peak_kib": peak,
    }


def _rush_figures(run: Run, args: argparse.Namespace, people: int, in_room: list[float]) -> dict:
    """`in_room`: seconds from the rush's start to each device in its room."""
    return {
        "people": people,
        "arrive_over_seconds": args.arrive_over,
        "in_room": len(in_room),
        "everyone_in_seconds": round(max(in_room), 1) if in_room else None,
        "last_in_after_last_arrival_seconds": round(max(in_room) - args.arrive_over, 1) if in_room else None,
        "busy_or_too_many_answers": run.busy_answers,
        "sign_in_to_first_screen_ms": spread(run.first_screen_ms),
        "sign_in_to_room_ms": spread(run.room_ms),
        "errors": len(run.rush_errors),
        "error_samples": run.rush_errors[:5],
    }


def _steady_figures(run: Run, args: argparse.Namespace, devices: int, used: dict) -> dict:
    unserved = run.asked - run.served
    return {
        "seconds": args.duration,
        "devices": devices,
        "refreshes_asked": run.asked,
        "refreshes_served": run.served,
        "refreshes_unserved": unserved,
        "refreshes_per_second": round(run.served / args.duration, 1),
        "refresh_ms": spread(run.refresh_ms),
        "mean_ms": round(statistics.fmean(run.refresh_ms), 1) if run.refresh_ms else 0.0,
        "errors": len(run.steady_errors) + unserved,
        "error_samples": run.steady_errors[:5],
        "clicks_ms": spread(run.click_ms),
        "changes": {
            "step_moves": len(run.step_changes),
            "arrivals": sum(len(v) for v in run.arrival_changes.values()),
            "sightings_expected": run.expected_sightings,
            "sightings_seen": len(run.change_ms),
            "change_to_other_devices_ms": spread(run.change_ms),
        },
        "server_cpu_seconds_per_refresh_ms": round(used["server_cpu"] * 1000 / max(run.served, 1), 1),
        "server_cpu_share": round(used["server_cpu"] / args.duration, 2),
        "client_cpu_share": round(used["client_cpu"] / args.duration, 2),
        "server_rss_peak_mib": round(used["rss_peak_kib"] / 1024, 1),
    }


# ------------------------------------------------------------------------ the servers
def _serve(args: argparse.Namespace, url: str, scratch: Path) -> tuple[str, Callable[[], None]]:
    """One server on `url`, or `--servers` behind nginx: where to reach them and how to stop
    them. Their process ids go in `args.server_pids`."""
    if args.servers == 1:
        try:
            server = start_server(
                {**os.environ, "DATABASE_URL": url}, scratch / "server.log", healthy_within=240
            )
        except NotHealthy as exc:
            raise SystemExit(str(exc)) from None
        args.server_pids = [server.pid]
        return server.base, server.stop
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
    args.server_pids = cluster.server_pids()
    return cluster.front, cluster.stop


def _server_log_errors(scratch: Path) -> list[str]:
    """What the servers said about errors (their logs go with the scratch folder)."""
    lines = [
        line
        for path in sorted(scratch.glob("server*.log"))
        for line in path.read_text(errors="replace").splitlines()
    ]
    return [line[:240] for line in lines if "Error" in line][-10:]


async def _warm(base: str, username: str, password: str) -> None:
    """One person through the same screens first, so imports and first compiles aren't timed."""
    team = Team(0, 0, None, [])  # type: ignore[arg-type]  # a placeholder team for warming up: it enters no arrivals, so needs no supervisor
    device = Device(username, team, facilitator=False)
    team.devices.append(device)
    run = Run(base, timeout=120, rearm=False)
    run.window = (0.0, 0.0)  # steady state ends at once
    device.clicks = asyncio.Queue()
    with ThreadPoolExecutor(max_workers=1) as pool:
        await arrive_and_stay(device, run, password, 0.0, pool)
    if run.rush_errors or run.steady_errors:
        raise SystemExit(f"warming up failed: {run.rush_errors + run.steady_errors}")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
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
    return args


def main(argv: list[str] | None = None) -> dict:
    args = _arguments(argv)
    from db.engine import dispose_engines
    from db.seed.county import COUNTY_PASSWORD

    scratch = Path(tempfile.mkdtemp(prefix="circle-live-rooms-"))
    folder = Path(args.keep) if args.keep else scratch
    folder.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    url, kind = _database(args, folder)
    teams = _start_sessions(args.teams)
    prepared = time.perf_counter() - began
    dispose_engines()  # the server opens its own; this process only enters arrivals from here on
    base, stop = _serve(args, url, scratch)
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
            out["server_log_errors"] = _server_log_errors(scratch)
        print(json.dumps(out, indent=2))
        return out
    finally:
        stop()
        dispose_engines()
        shutil.rmtree(scratch, ignore_errors=True)
        if kind == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
