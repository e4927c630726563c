"""Shared pieces for the browser tests: Debian's Chromium, one real server with the demo
team, and waiting for Streamlit to finish drawing."""

from __future__ import annotations

import contextlib
import json
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


# ---------------------------------------------------------------- what every journey checks

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
APP_CONTENT = {"include": [['[data-testid="stMain"]']]}
PAGE_CONTENT = {"include": [["main"]]}
# Streamlit's own widget internals inside Circle's main area: (axe rule, the widget).
STREAMLIT_WIDGETS = {("target-size", '[data-testid="stDateInput"]')}


def audit(page, screen: str, context: dict | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    """Run axe-core on the page as it is now; fail on serious or critical violations in
    Circle's content. Each result is kept in test-artifacts/browser/axe/<screen>.json."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    run = "([context, options]) => axe.run(context, options)"
    result = page.evaluate(run, [context or APP_CONTENT, options])
    # The whole page too, for the record (Streamlit's sidebar chrome shows up here only).
    whole = page.evaluate(run, ["html", options])
    found = []
    for v in result["violations"]:
        nodes = []
        for node in v["nodes"]:
            inside_widget = any(
                rule == v["id"]
                and page.evaluate(
                    "([sel, widget]) => !!document.querySelector(sel)?.closest(widget)",
                    [node["target"][0], widget],
                )
                for rule, widget in STREAMLIT_WIDGETS
            )
            nodes.append(
                {"target": node["target"], "html": node["html"][:300], "streamlit_widget": inside_widget}
            )
        found.append({"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": nodes})
    folder = ARTIFACTS / "axe"
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "url": page.url,
        "violations": found,
        "whole_page": [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in whole["violations"]],
    }
    (folder / f"{screen}.json").write_text(json.dumps(record, indent=2))
    blocking = [
        f"{v['id']} ({v['impact']}): {n['html']}"
        for v in found
        if v["impact"] in BLOCKING
        for n in v["nodes"]
        if not n["streamlit_widget"]
    ]
    assert not blocking, f"accessibility on {screen}:\n" + "\n".join(blocking)
    return found


def check_headers(headers: dict[str, str], where: str) -> None:
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, f"{where}: {csp!r}"
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "no-referrer", where


@contextlib.contextmanager
def own_server(folder: Path, *, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """A real Circle server with the demo team on its own SQLite file in `folder`, for a test
    that changes what the shared `server` fixture's other tests rely on."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'circle.db'}",
        "CIRCLE_DEMO": "1",
        **(extra_env or {}),
    }
    subprocess.run([sys.executable, "-m", "db", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(folder / "server.log", "w")  # noqa: SIM115 - closed below
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
            pytest.fail("the server did not become healthy: " + (folder / "server.log").read_text()[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
