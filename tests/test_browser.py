"""The real server in Debian's Chromium: sign in as a demo user, see Home, refresh and stay
signed in, sign out. Screenshots land in test-artifacts/browser/.

Skipped with a reason where Chromium is missing; under CI=true a missing Chromium fails.
"""

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

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(
                "CI=true needs Debian's chromium package for the browser test (run-tests.sh installs it)."
            )
        pytest.skip("Browser test skipped: Debian's chromium is not installed (apt-get install chromium).")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
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
        for _ in range(120):
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


def _wait_for_app(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("h1", timeout=20000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20000)
    page.wait_for_timeout(1500)  # let tables and fonts settle before a screenshot


def test_sign_in_refresh_and_sign_out(server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    from db.demo import DEMO_PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server + "/")
        assert page.url.endswith("/signin")
        assert "Demo mode" in page.content()
        page.screenshot(path=ARTIFACTS / "01-sign-in.png", full_page=True)

        page.fill("#username", "priya")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(server + "/")
        _wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello, Priya")
        # Page JavaScript cannot see the sign-in cookie.
        assert "circle_session" not in page.evaluate("document.cookie")
        page.screenshot(path=ARTIFACTS / "02-home.png", full_page=True)

        page.reload()
        _wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello, Priya")
        page.screenshot(path=ARTIFACTS / "03-after-refresh.png", full_page=True)

        page.get_by_role("link", name="Sign out").click()
        page.wait_for_url("**/signin?note=signed_out")
        assert "You've signed out" in page.content()
        page.screenshot(path=ARTIFACTS / "04-signed-out.png", full_page=True)

        # The old page can't come back: the app sends the browser to sign in again.
        page.goto(server + "/")
        assert page.url.endswith("/signin")
        browser.close()
