"""Several servers, one county: two Circle servers on one PostgreSQL behind nginx.

Promises checked: a sign-in made through one server is honoured by the other; signing
out on one ends it on both; the back-off after failed sign-ins counts attempts made
through every server; a practitioner's arrival entered through server A appears on the
facilitator's screen served by server B within seconds; servers starting at the same
moment apply migrations exactly once; per-process caches expire within the README's bound.

Skips with a reason where nginx or PostgreSQL is missing outside CI; under CI=true they fail.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.browser import ARTIFACTS, IN_CI, LAUNCH_ARGS, sign_in, wait_for_app
from tests.conftest import PG_ADMIN_URL, _pg_reason

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.browser


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(f"CI=true needs this for the replica tests: {reason}")
        pytest.skip(f"Replica tests skipped: {reason}")


@pytest.fixture(scope="module")
def county_db() -> Iterator[str]:
    """A fresh PostgreSQL database for the two servers, dropped afterwards."""
    reason = _pg_reason()
    _need(reason is None, reason or "")
    name = f"circle_replicas_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_servers_starting_together_migrate_exactly_once(county_db: str) -> None:
    env = {**os.environ, "DATABASE_URL": county_db}
    code = "from db.migrate import upgrade; upgrade()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    engine = create_engine(county_db)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname='public'")).scalar_one()
    engine.dispose()
    from db.migrate import head_revision

    assert versions == [head_revision()] and tables > 20


def _get(url: str, jar: CookieJar | None = None, data: dict | None = None) -> tuple[int, str, dict]:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar if jar is not None else CookieJar()), _NoRedirect()
    )
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=10) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sign_in_over_http(base: str, username: str, password: str, jar: CookieJar) -> int:
    status, page, _ = _get(base + "/signin", jar)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    status, _, _ = _get(base + "/signin", jar, {"csrf": csrf, "username": username, "password": password})
    return status


@pytest.fixture(scope="module")
def cluster(county_db: str, tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[dict]:
    from deploy.cluster import Cluster
    from deploy.serving import load_demo

    _need(Path(NGINX).exists(), "nginx is not installed (Debian: apt-get install nginx)")
    folder = tmp_path_factory.mktemp("replicas")
    env = {
        **os.environ,
        "DATABASE_URL": county_db,
        "CIRCLE_DEMO": "1",
        "STREAMLIT_SERVER_COOKIE_SECRET": "shared-by-every-replica-" + uuid.uuid4().hex,
    }
    load_demo(env)
    running = Cluster(folder, env)
    try:
        running.start_servers(2)
        # The sample configuration, steered by a cookie the test sets, so that two browsers
        # can be pinned to different servers.
        running.start_nginx(NGINX, hash_key="$cookie_circle_pin")
        pins: dict[str, str] = {}
        for candidate in (f"p{i}" for i in range(64)):
            req = urllib.request.Request(
                running.front + "/api/health", headers={"Cookie": f"circle_pin={candidate}"}
            )
            with urllib.request.urlopen(req, timeout=5) as r:
                pins.setdefault(r.headers["x-circle-server"], candidate)
            if len(pins) == 2:
                break
        assert len(pins) == 2, pins
        a, b = running.bases
        yield {"front": running.front, "bases": {"a": a, "b": b}, "pins": pins, "folder": folder}
    finally:
        running.stop()


def _browser_page(browser, cluster: dict, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    host = urllib.parse.urlparse(cluster["front"]).hostname
    context.add_cookies(
        [{"name": "circle_pin", "value": cluster["pins"][server], "domain": host, "path": "/"}]
    )
    return context.new_page()


def test_a_session_across_two_servers_through_nginx(cluster: dict, chromium_path: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    front = cluster["front"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        room = _browser_page(browser, cluster, "b")
        own = _browser_page(browser, cluster, "a")
        for page, who in ((room, "hannah"), (own, "priya")):
            sign_in(page, front, who)
        served = {}
        for page, name in ((room, "room"), (own, "own")):
            response = page.request.get(front + "/api/health")
            served[name] = response.headers["x-circle-server"]
        assert served == {"room": "b", "own": "a"}

        room.goto(front + "/sessions")
        wait_for_app(room)
        room.get_by_text("Open the session room").click()
        wait_for_app(room)
        room.get_by_role("button", name="Begin with the arrival round").click()
        expect(room.get_by_text("How is everyone arriving today?")).to_be_visible(timeout=20000)

        own.goto(front + "/sessions")
        wait_for_app(own)
        own.get_by_text("Join from your device").click()
        wait_for_app(own)
        own.get_by_role("radiogroup", name="How are you arriving today?").get_by_text("7", exact=True).click()
        own.get_by_role("button", name="Share").first.click()
        wait_for_app(own)
        # Entered through server A, shown by server B's live screen within seconds.
        expect(room.get_by_text("Priya Shah · 7 out of 10")).to_be_visible(timeout=10000)
        room.screenshot(path=ARTIFACTS / "replicas-01-arrival-across-servers.png", full_page=True)

        own.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out", exact=True).click()
        own.wait_for_url("**/signin?note=signed_out")
        browser.close()


def test_sign_in_and_sign_out_hold_on_every_server(cluster: dict, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    from db.seed.demo import DEMO_PASSWORD

    a, b = cluster["bases"]["a"], cluster["bases"]["b"]
    jar = CookieJar()
    assert _sign_in_over_http(a, "tom", DEMO_PASSWORD, jar) == 303
    token = next(c.value for c in jar if c.name == "circle_session")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context()
        context.add_cookies(
            [
                {
                    "name": "circle_session",
                    "value": token,  # type: ignore[typeddict-item]  # a signed-in token, never None here
                    "domain": "127.0.0.1",
                    "path": "/",
                    "httpOnly": True,
                    "sameSite": "Strict",
                }
            ]
        )
        page = context.new_page()
        page.goto(b + "/")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello, Tom")  # honoured by B
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        try:
            # The sidebar's button: a same-origin POST (a GET only offers the button).
            opener.open(
                urllib.request.Request(
                    a + "/auth/signout", data=b"", method="POST", headers={"Sec-Fetch-Site": "same-origin"}
                ),
                timeout=10,
            )
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 303
        page.reload()  # signing out on A ends it on B at once
        page.wait_for_url("**/signin**", timeout=20000)
        browser.close()


def test_back_off_counts_attempts_on_every_server(cluster: dict) -> None:
    from db.accounts import BACKOFF_FREE_TRIES
    from db.seed.demo import DEMO_PASSWORD

    a, b = cluster["bases"]["a"], cluster["bases"]["b"]
    for i in range(BACKOFF_FREE_TRIES):
        assert _sign_in_over_http(a if i % 2 else b, "jack", "not the password", CookieJar()) == 401
    assert _sign_in_over_http(b, "jack", DEMO_PASSWORD, CookieJar()) == 429


def test_per_process_caches_expire_within_the_promised_bound() -> None:
    """Every st.cache_data / st.cache_resource in the app expires within STALE_SECONDS."""
    from components.insight_views import STALE_SECONDS

    assert STALE_SECONDS <= 5
    found = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py"), ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                "cache_data",
                "cache_resource",
            ):
                ttl = next((k.value for k in node.keywords if k.arg == "ttl"), None)
                found.append((path.name, ast.unparse(ttl) if ttl is not None else None))
    assert found, "the insights cache should be found"
    assert all(ttl in ("STALE_SECONDS",) for _, ttl in found), found
