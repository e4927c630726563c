"""What a live refresh costs Streamlit itself, before Circle does anything: a benchmark, not a
timed test.

Writes a one-screen Streamlit app whose only live part (`st.fragment(run_every=...)`) draws one
line, as a practitioner's device does in the room, with Circle's own `.streamlit/config.toml`;
starts it (`streamlit run`) on a free loopback port; opens `--connections` websockets; and on
each one asks for that fragment's rerun back to back, as fast as the server answers, for
`--seconds`. Prints JSON: reruns a second and the server's CPU per rerun (ms). Set beside
`benchmarks/live_rooms.py`'s "server CPU per refresh", it shows how much of a refresh is
Streamlit's own machinery (the script thread, session state, the messages) and how much is
Circle's (the sign-in check, the room's one-row read, what the live part draws).

    python benchmarks/fragment_floor.py --connections 4 --seconds 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ws_client import cpu_seconds, open_stream, rerun_message  # noqa: E402
from deploy.serving import free_port, wait_healthy  # noqa: E402

APP = """import streamlit as st

st.title("Session room")


@st.fragment(run_every=1000)
def live() -> None:
    st.info("The room is on: Check-ins")


live()
"""


async def _one(base: str, seconds: float, counts: list[int]) -> None:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def until_finished(ws: Any) -> tuple[str, str]:  # a websockets connection
        fragment = page = ""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "auto_rerun":
                fragment = msg.auto_rerun.fragment_id
            elif kind == "new_session":
                page = msg.new_session.page_script_hash
            elif kind == "script_finished":
                return fragment, page

    async with open_stream(base, "", "none") as ws:
        await ws.send(rerun_message(page=""))
        fragment, page = await until_finished(ws)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            await ws.send(rerun_message(page_hash=page, fragment=fragment))
            await until_finished(ws)
            counts[0] += 1


async def _drive(base: str, pid: int, connections: int, seconds: float) -> dict[str, float]:
    counts = [0]
    started_cpu, started = cpu_seconds(pid), time.monotonic()
    await asyncio.gather(*(_one(base, seconds, counts) for _ in range(connections)))
    cpu, took = cpu_seconds(pid) - started_cpu, time.monotonic() - started
    return {
        "reruns": counts[0],
        "reruns_per_second": round(counts[0] / took, 1),
        "server_cpu_ms_per_rerun": round(1000 * cpu / max(counts[0], 1), 2),
        "server_cpu_share": round(cpu / took, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=4, help="websockets asking at once (default 4)")
    parser.add_argument("--seconds", type=float, default=15, help="how long to ask (default 15)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        (here / "app.py").write_text(APP)
        (here / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", here / ".streamlit" / "config.toml")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=here,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, 60, process=server, path="/_stcore/health")
            result = asyncio.run(_drive(base, server.pid, args.connections, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(json.dumps({"connections": args.connections, **result}, indent=2))


if __name__ == "__main__":
    main()
