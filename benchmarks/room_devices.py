"""The devices in a live session room, driven over Streamlit's websocket the way the browser
drives them (benchmarks/live_rooms.py's people): each signs in through the real form, opens
Home, Group supervision and the Session room, then keeps the browser's fixed-rate timers for
every live part the server announced, and the facilitator clicks Next or Back when asked.
"""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from benchmarks.ws_client import Browser, open_stream, read_run, rerun_message

if TYPE_CHECKING:
    from db.access import Actor

BUSY_RETRIES = 30  # "busy, try again": how many times one person tries again before giving up
ROOM_LINE = re.compile(r"^(Step \d+ of \d+.*|The room is on: .*)$")


@dataclass
class Team:
    number: int  # 1-based, as in the county usernames (t01sup, t01p1, ...)
    session_id: int
    supervisor: Actor  # the supervisor's Actor, for entering arrivals in the benchmark process
    people: list[int]  # person ids of the team's practitioners, for arrivals
    devices: list[Device] = field(default_factory=list)
    position: int = 0  # where the shared screen is (0: the arrival round)
    arrivals: int = 0


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
    browser = Browser(base)
    submitted = None
    for busy in range(BUSY_RETRIES + 1):
        csrf = browser.csrf()
        submitted = submitted or time.monotonic()
        status, headers = browser.post_sign_in(
            username, password, csrf, headers={"Origin": base}, timeout=120
        )
        if status == 303:
            cookie, xsrf = browser.stream_cookies()
            return cookie, xsrf, submitted, busy
        if status not in (503, 429):  # busy, or too many at once from this address (nginx)
            raise RuntimeError(f"sign-in answered {status}")
        time.sleep(float(headers.get("retry-after") or 5))
    raise RuntimeError(f"sign-in was still busy after {BUSY_RETRIES} tries")


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


@dataclass
class _Seen:
    """What one run sent besides its end: the page it drew, its live parts' timers, its
    buttons and its texts."""

    full: bool  # a full run (a live part may ask for one too: st.rerun(scope="app"))
    page_hash: str | None = None
    announced: dict[str, float] = field(default_factory=dict)  # fragment id -> interval
    stopped: set[str] = field(default_factory=set)
    buttons: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)

    def __call__(self, fwd) -> None:
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            if element.WhichOneof("type") == "button" and "-" in element.button.id:
                self.buttons[element.button.id.rsplit("-", 1)[1]] = element.button.id
            else:
                self.texts.extend(_texts(element))
        elif kind == "navigation":  # every full run (also one a live part asked for)
            self.page_hash = fwd.navigation.page_script_hash
            self.full = True
        elif kind == "auto_rerun":
            self.announced[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            self.stopped.update(fwd.stop_auto_rerun.fragment_ids)


class Connection:
    """One device's websocket: send a rerun, read ForwardMsgs until the run finishes."""

    def __init__(self, ws, device: Device, run: Run) -> None:
        self.ws = ws
        self.device = device
        self.run = run

    async def rerun(
        self, *, page: str | None = None, fragment: str | None = None, click: str | None = None
    ) -> tuple[list[str], float]:
        """A page by name, or the page the device is on (a live part's timer, a button press);
        the texts drawn and when the run finished (time.monotonic)."""
        device = self.device
        widget = device.buttons[click] if click else ""
        await self.ws.send(
            rerun_message(page=page, page_hash=device.page_hash, fragment=fragment or "", widget_id=widget)
        )
        seen = _Seen(full=fragment is None)
        problem = await read_run(self.ws, lambda: self.run.timeout, seen)
        now = time.monotonic()
        self._keep(seen, now)
        if problem:
            raise RuntimeError(problem if page is None else f"{problem} on {page or 'home'}")
        return seen.texts, now

    def _keep(self, seen: _Seen, now: float) -> None:
        """The browser's timers: a full rerun keeps a timer whose fragment it registered again
        with the same interval, starts new ones, and drops the rest."""
        device = self.device
        if seen.page_hash is not None:
            device.page_hash = seen.page_hash
        if seen.full:
            device.buttons = seen.buttons
            kept = {}
            for fid, interval in seen.announced.items():
                if self.run.participant_seconds and not device.facilitator:
                    interval = self.run.participant_seconds  # a what-if: not what the server asked
                old = device.fragments.get(fid)
                kept[fid] = old if old and old.interval == interval else Fragment(interval, now + interval)
            device.fragments = kept
        for fid in seen.stopped:
            device.fragments.pop(fid, None)
        for line in seen.texts:
            if ROOM_LINE.match(line):
                device.room_line = line
                break


async def arrive_and_stay(
    device: Device, run: Run, password: str, arrive_at: float, pool: ThreadPoolExecutor
) -> None:
    """One device: arrives at `arrive_at`, signs in, draws Home, Group supervision and the
    room, then keeps the room's timers until the window ends (`_steady`)."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, arrive_at - time.monotonic()))
    try:
        device.cookie, device.xsrf, submitted, busy = await loop.run_in_executor(
            pool, _sign_in, run.base, device.username, password
        )
        run.busy_answers += busy
        async with open_stream(
            run.base, device.cookie, device.xsrf, open_timeout=60, ping_interval=None
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
