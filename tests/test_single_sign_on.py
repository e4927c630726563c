"""Single sign-on: an identity from the council's OpenID Connect provider becomes a Circle
sign-in only when an administrator has linked it, and always as a server-side session.

The browser test starts an OpenID Connect provider inside the test (oidc-provider-mock)
and a real Circle server configured for it, and signs in, looks around and signs out in
Debian's Chromium: no network beyond this machine.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db import accounts, people
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import AuditEvent
from tests import factories
from tests.browser import ARTIFACTS, LAUNCH_ARGS, wait_for_app

ROOT = Path(__file__).resolve().parent.parent


def _fresh(issuer: str, subject: str) -> accounts.SignInResult:
    """A council sign-in straight from the provider: just issued, unexpired, a new nonce."""
    now = utcnow()
    return accounts.sign_in_external(
        issuer, subject, nonce=secrets.token_urlsafe(16), issued_at=now, expires_at=now + timedelta(minutes=5)
    )


ISSUER = "https://login.council.example"
CIRCLE_PORT, PROVIDER_PORT = 8662, 8663


def test_only_a_linked_identity_signs_in(db: str) -> None:
    team = factories.team("Riverside")
    pat = factories.person("pat", "practitioner", {team: "practitioner"})
    ada = factories.person("ada", "admin")
    unknown = _fresh(ISSUER, "pat@council.example")
    assert not unknown.ok and "ask your circle administrator" in unknown.message.lower()

    people.link_identity(ada.actor(), pat.person_id, "pat@council.example", issuer=ISSUER)
    assert people.linked_subject(ada.actor(), pat.person_id) == "pat@council.example"
    # The same subject from another issuer is someone else.
    assert not _fresh("https://elsewhere.example", "pat@council.example").ok
    result = _fresh(ISSUER + "/", "pat@council.example")
    assert result.ok
    actor = accounts.actor_for_token(result.token)
    assert actor is not None and actor.person_id == pat.person_id and actor.role == "practitioner"

    # A server-side session like any other: deactivation ends it at the next click.
    people.set_active(ada.actor(), pat.person_id, False)
    assert accounts.actor_for_token(result.token) is None
    assert not _fresh(ISSUER, "pat@council.example").ok
    with session_scope() as s:
        rows = s.exec(select(AuditEvent).where(AuditEvent.record_type == "single_sign_on")).all()
    assert [(r.action, r.outcome) for r in rows] == [
        ("signin_failed", "unknown"),
        ("signin_failed", "unknown"),
        ("signin", "ok"),
        ("signin_failed", "deactivated"),
    ]


def test_linking_is_for_administrators_and_one_person_per_identity(db: str) -> None:
    team = factories.team("Riverside")
    pat = factories.person("pat", "practitioner", {team: "practitioner"})
    sam = factories.person("sam", "supervisor", {team: "supervisor"})
    ada = factories.person("ada", "admin")
    with pytest.raises(NotAllowed):
        people.link_identity(sam.actor(), pat.person_id, "pat@council.example", issuer=ISSUER)
    people.link_identity(ada.actor(), pat.person_id, "pat@council.example", issuer=ISSUER)
    with pytest.raises(NotValid, match="already linked"):
        people.link_identity(ada.actor(), sam.person_id, "pat@council.example", issuer=ISSUER)
    with pytest.raises(NotValid):
        people.link_identity(ada.actor(), sam.person_id, "two\nlines", issuer=ISSUER)
    people.link_identity(ada.actor(), pat.person_id, None)
    assert people.linked_subject(ada.actor(), pat.person_id) is None
    assert not _fresh(ISSUER, "pat@council.example").ok


def test_sso_settings_become_streamlit_auth_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    from server import sso

    monkeypatch.delenv("CIRCLE_OIDC_ISSUER", raising=False)
    assert sso.auth_secrets() is None
    monkeypatch.setenv("CIRCLE_OIDC_ISSUER", ISSUER + "/")
    monkeypatch.setenv("CIRCLE_OIDC_CLIENT_ID", "circle")
    monkeypatch.setenv("CIRCLE_OIDC_CLIENT_SECRET", "a secret")
    monkeypatch.setenv("CIRCLE_COOKIE_SECRET", "cookie secret")
    monkeypatch.setenv("CIRCLE_PUBLIC_URL", "https://circle.council.example/")
    auth = sso.auth_secrets()["auth"]  # type: ignore[index]  # the test configured this value above
    assert auth["redirect_uri"] == "https://circle.council.example/oauth2callback"
    assert auth["server_metadata_url"] == ISSUER + "/.well-known/openid-configuration"
    assert (auth["client_id"], auth["client_secret"], auth["cookie_secret"]) == (
        "circle",
        "a secret",
        "cookie secret",
    )


# --- In Chromium, against a provider started here ------------------------------------------------
@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    pytest.importorskip("oidc_provider_mock")
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=PROVIDER_PORT) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str, provider: str) -> Iterator[str]:
    data = tmp_path_factory.mktemp("sso")
    base = f"http://localhost:{CIRCLE_PORT}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data / 'circle.db'}",
        "CIRCLE_DEMO": "1",
        "CIRCLE_OIDC_ISSUER": provider,
        "CIRCLE_OIDC_CLIENT_ID": "circle-test",
        "CIRCLE_OIDC_CLIENT_SECRET": "a test secret",
        "CIRCLE_COOKIE_SECRET": "a test cookie secret that is long enough",
        "CIRCLE_PUBLIC_URL": base,
    }
    from deploy.serving import load_demo, running_server

    load_demo(env)
    link = (
        "from db import people, accounts\n"
        "from db.engine import session_scope\nfrom db.models import Person\nfrom sqlmodel import select\n"
        "with session_scope(write=True) as s:\n"
        "    p = s.exec(select(Person).where(Person.username == 'priya')).one()\n"
        f"    p.external_subject = accounts.external_key('{provider}', 'priya@council.example')\n"
    )
    subprocess.run([sys.executable, "-c", link], cwd=ROOT, env=env, check=True, capture_output=True)
    with running_server(env, data / "server.log", port=CIRCLE_PORT) as server:
        try:
            yield base
        finally:
            print(server.log_tail(3000))


def _through_the_provider(page, base: str, subject: str) -> None:
    page.goto(base + "/signin")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.wait_for_selector("input[name=sub]", timeout=30000)
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()


def test_sign_in_see_the_right_pages_and_sign_out_in_chromium(sso_server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        # What an attacker could capture: Streamlit's signed identity cookie, as it is set.
        captured: list[str] = []

        def capture(response) -> None:
            if "/oauth2callback" in response.url:
                for header in response.headers_array():
                    if header["name"].lower() == "set-cookie" and header["value"].startswith(
                        "_streamlit_user"
                    ):
                        pair = header["value"].split(";")[0]
                        if pair.split("=", 1)[1].strip('"'):
                            captured.append(pair)

        page.on("response", capture)
        _through_the_provider(page, sso_server, "priya@council.example")
        page.wait_for_url(sso_server + "/", timeout=30000)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello")
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Case board" in sidebar and "Holding risk together" in sidebar
        assert "Teams and people" not in sidebar and "Audit trail" not in sidebar
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies["circle_session"]["httpOnly"] and cookies["circle_session"]["sameSite"] == "Strict"
        assert "_streamlit_user" not in cookies  # the provider's word was turned into a Circle session
        page.screenshot(path=str(ARTIFACTS / "sso-signed-in.png"))

        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_url("**/signin?note=signed_out")
        page.goto(sso_server + "/")
        page.wait_for_url("**/signin")

        # Replaying the captured identity after sign-out gets no new Circle session.
        assert captured, "the identity cookie was not seen"
        replay = urllib.request.Request(
            sso_server + "/auth/sso/complete", headers={"Cookie": "; ".join(captured)}
        )
        try:
            answer = urllib.request.urlopen(replay, timeout=10)
            status, headers, body = answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as refused:
            status, headers, body = refused.code, refused.headers, refused.read().decode()
        assert status == 400 and "already been used" in body
        assert not any(
            "circle_session=" in v and "Max-Age=0" not in v for v in headers.get_all("set-cookie") or []
        )

        _through_the_provider(page, sso_server, "stranger@council.example")
        page.wait_for_selector("text=Ask your Circle administrator", timeout=30000)
        assert "stranger@council.example" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "sso-ask-your-admin.png"))
        page.goto(sso_server + "/")
        page.wait_for_url("**/signin")
        browser.close()


def test_built_in_accounts_still_sign_in_beside_single_sign_on(sso_server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import sign_in

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page()
        sign_in(page, sso_server, "hannah")
        assert page.locator("h1").first.inner_text().startswith("Hello")
        browser.close()
