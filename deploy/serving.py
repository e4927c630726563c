"""One Circle server on this machine: `streamlit run serve.py` on a loopback port, waited for
until `/api/health` answers, and stopped again by its own process.

The one way the tests (tests/browser.py), the benchmarks and deploy/cluster.py start a server.
Only the process started here is ever stopped, never anything else on the machine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "127.0.0.1"


class NotHealthy(RuntimeError):
    """The server did not answer `/api/health` in time (the message ends with its log's tail)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((ADDRESS, 0))
        return s.getsockname()[1]


def load_demo(env: dict[str, str]) -> None:
    """`python -m db demo`: the demo team into the database `env`'s DATABASE_URL names."""
    subprocess.run([sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)


def demo_env(folder: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment, in demo mode, on the SQLite file `folder`/circle.db."""
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'circle.db'}",
        "CIRCLE_DEMO": "1",
        **(extra_env or {}),
    }


def wait_healthy(
    base: str, seconds: float = 60, *, process: subprocess.Popen | None = None, path: str = "/api/health"
) -> None:
    """Until `base` + `path` (Circle's /api/health) answers 200; NotHealthy after `seconds`, or
    at once if `process` (the server's) has ended."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if process is not None and process.poll() is not None:
            raise NotHealthy(f"{base} ended (exit code {process.returncode}) before it became healthy")
        try:
            with urllib.request.urlopen(base + path, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise NotHealthy(f"{base} did not become healthy within {seconds:.0f} s")


@dataclass
class Server:
    """A started server: where it answers, its process and its log file."""

    base: str
    process: subprocess.Popen
    log_path: Path
    log: IO[str]

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, chars: int = 2000) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-chars:]

    def wait_healthy(self, seconds: float = 120) -> None:
        try:
            wait_healthy(self.base, seconds, process=self.process)
        except NotHealthy as exc:
            self.stop()
            raise NotHealthy(f"the server did not become healthy ({exc}): {self.log_tail()}") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.log.close()


def start_server(
    env: dict[str, str], log_path: Path, *, port: int = 0, healthy_within: float | None = 120
) -> Server:
    """`streamlit run serve.py` from the repository's folder with `env` (DATABASE_URL and the
    rest), on `port` (0: a free one) of the loopback address, its output in `log_path`.
    Waits for `/api/health` unless `healthy_within` is None (then call `wait_healthy`);
    a server that does not become healthy is stopped and NotHealthy raised."""
    port = port or free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed by Server.stop
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py"]
        + ["--server.port", str(port), "--server.address", ADDRESS],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(f"http://{ADDRESS}:{port}", process, log_path, log)
    if healthy_within is not None:
        server.wait_healthy(healthy_within)
    return server


@contextlib.contextmanager
def running_server(env: dict[str, str], log_path: Path, *, port: int = 0) -> Iterator[Server]:
    """A healthy server for the `with` block (see `start_server`), stopped after it."""
    server = start_server(env, log_path, port=port)
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def demo_server(folder: Path, *, extra_env: dict[str, str] | None = None, port: int = 0) -> Iterator[Server]:
    """A healthy server with the demo team on its own SQLite file, `folder`/circle.db, its log
    in `folder`/server.log."""
    env = demo_env(folder, extra_env)
    load_demo(env)
    with running_server(env, folder / "server.log", port=port) as server:
        yield server
