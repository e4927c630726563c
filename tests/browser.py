"""Shared pieces for the browser tests: Debian's Chromium, one real server with the demo
team, and waiting for Streamlit to finish drawing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(
                "CI=true needs Debian's chromium package for the browser tests (run-tests.sh installs it)."
            )
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (apt-get install chromium).")
    return CHROMIUM


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """A real Circle server on a free port, on its own SQLite file with the demo team."""
    data = tmp_path_factory.mktemp("browser")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'circle.db'}", "CIRCLE_DEMO": "1"}
    subprocess.run([sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    started = time.perf_counter()
    log = open(data / "server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
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
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the server did not become healthy: " + (data / "server.log").read_text()[-2000:])
        print(f"\ncold start to healthy: {time.perf_counter() - started:.2f} s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def wait_for_app(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("h1", timeout=30000)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=30000
    )
    page.wait_for_timeout(1500)  # let tables and fonts settle before a screenshot


def sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    from db.demo import DEMO_PASSWORD

    page.goto(base + "/signin")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    wait_for_app(page)
