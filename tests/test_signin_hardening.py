"""The second security review's sign-in points (issue 15), on SQLite and PostgreSQL.

- The back-off is kept per account *and* address, and per address: an attacker hammering an
  account from one address neither keeps the real person out nor sprays guesses unslowed.
- Password checks are bounded in how many run at once; past the wait, "busy" at once.
- Join codes have their own back-off, expire, and a cohort takes a limited number of joins.
- Common passwords are refused; an account without a password can't set one by guessing
  what the check compared against.
- Signing in again ends the browser's earlier sign-in (password, join code, council).
- A council sign-in counts once, and only while fresh.
- The routes: sign-out only by POST from our own pages or the sign-out page's form, HSTS
  and the `__Host-` cookie over HTTPS, the client's address only from a trusted proxy.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import date, timedelta

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db import accounts, credentials, people, training
from db.access import Actor
from db.clock import utcnow
from db.errors import NotValid
from server import routes as server_routes
from server.security import SecurityHeaders
from tests import factories

ATTACKER, PERSON = "203.0.113.9", "198.51.100.7"


# ---------------------------------------------------------------- the back-off


def test_the_real_person_signs_in_while_an_attacker_hammers_their_account(db: str) -> None:
    factories.person("asha")
    start = utcnow()
    waits = 0
    for i in range(40):
        tried = accounts.sign_in(
            "asha", f"guess number {i}", client=ATTACKER, now=start + timedelta(seconds=i)
        )
        assert not tried.ok
        waits += bool(tried.wait_seconds)
    assert waits > 30  # the attacker is slowed...
    at_once = start + timedelta(seconds=40)
    # ...even when they finally type the right password,
    assert not accounts.sign_in("asha", factories.PASSWORD, client=ATTACKER, now=at_once).ok
    # ...while Asha, at her own address, signs in at once, and again after.
    assert accounts.sign_in("asha", factories.PASSWORD, client=PERSON, now=at_once).ok
    assert accounts.sign_in("asha", "one typo of hers", client=PERSON, now=at_once).wait_seconds == 0
    assert accounts.sign_in("asha", factories.PASSWORD, client=PERSON, now=at_once).ok


def test_one_address_spraying_guesses_across_accounts_is_slowed(db: str) -> None:
    factories.person("asha")
    start = utcnow()
    for i in range(accounts.CLIENT_FREE_TRIES):
        tried = accounts.sign_in(f"made.up.{i}", "password guess", client=ATTACKER, now=start)
        assert not tried.ok and tried.wait_seconds == 0, i
    paused = accounts.sign_in("asha", "one more guess", client=ATTACKER, now=start)
    assert paused.wait_seconds > 0 and "try again in" in paused.message
    # Other addresses are untouched, and the address is free again after a quiet while.
    assert accounts.sign_in("asha", factories.PASSWORD, client=PERSON, now=start).ok
    later = start + accounts.BACKOFF_FORGET_AFTER + timedelta(seconds=1)
    assert accounts.sign_in("asha", factories.PASSWORD, client=ATTACKER, now=later).ok


def test_password_checks_run_a_few_at_a_time_and_answer_busy_past_the_wait(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.person("asha")
    running, most = 0, 0
    lock = threading.Lock()
    real = credentials._hasher

    class Slow:
        def verify(self, encoded: str, password: str) -> bool:
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.05)
            with lock:
                running -= 1
            return real.verify(encoded, password)

        def __getattr__(self, name: str):
            return getattr(real, name)

    monkeypatch.setattr(credentials, "_hasher", Slow())
    monkeypatch.setattr(credentials, "_checks", threading.BoundedSemaphore(2))
    results: list[accounts.SignInResult] = []
    threads = [
        threading.Thread(
            target=lambda n=n: results.append(
                accounts.sign_in("asha", factories.PASSWORD, client=f"10.0.0.{n}")
            )
        )
        for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most <= 2 and all(r.ok for r in results) and len(results) == 8

    # Every check slot taken for longer than a sign-in waits: "busy", nothing counted.
    monkeypatch.setattr(credentials, "PASSWORD_CHECK_WAIT_SECONDS", 0.05)
    full = threading.BoundedSemaphore(1)
    full.acquire()
    monkeypatch.setattr(credentials, "_checks", full)
    busy = accounts.sign_in("asha", factories.PASSWORD, client=PERSON)
    assert busy is accounts.BUSY and not busy.ok and "few seconds" in busy.message


# ---------------------------------------------------------------- join codes


def _cohort() -> tuple[Actor, int, str]:
    ruth = factories.person("ruth", role="trainer").actor()
    cohort_id = training.create_cohort(ruth, name="Spring", starts_on=date.today())
    code = training.cohort(ruth, cohort_id).join_code
    assert code
    return ruth, cohort_id, code


def test_failed_sign_ins_never_hold_up_a_real_join_code(db: str) -> None:
    _, _, code = _cohort()
    # A made-up username shaped like a join key, from the same address, many times over
    # (each try after the last one's wait, so every one counts).
    start = utcnow()
    tries = training.JOIN_FREE_TRIES + 3
    for i in range(tries):
        failed = accounts.sign_in(
            "join:10.0.0.1", "whatever it is", client="10.0.0.1", now=start + timedelta(minutes=5 * i)
        )
        assert not failed.ok and not failed.wait_seconds
    just_after = start + timedelta(minutes=5 * (tries - 1), seconds=1)
    assert training.join(code, "Jo New", client_key="10.0.0.1", now=just_after).ok


def test_join_codes_expire_and_a_cohort_takes_a_limited_number(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ruth, cohort_id, code = _cohort()
    late = utcnow() + training.JOIN_CODE_LIFETIME + timedelta(minutes=1)
    expired = training.join(code, "Jo New", client_key="10.0.0.1", now=late)
    assert not expired.ok and "fresh one" in expired.message
    # A fresh code from the trainer works again.
    fresh = training.set_join_code(ruth, cohort_id, on=True)
    assert fresh and training.join(fresh, "Jo New", client_key="10.0.0.1").ok

    monkeypatch.setattr(training.joining, "JOIN_LIMIT", 2)  # where join() reads it
    assert training.join(fresh, "Sam New", client_key="10.0.0.2").ok
    full = training.join(fresh, "Kit New", client_key="10.0.0.3")
    assert not full.ok and "full" in full.message
    assert len(training.cohort(ruth, cohort_id).members) == 2


# ---------------------------------------------------------------- passwords


def test_the_most_common_passwords_are_refused_everywhere(db: str) -> None:
    for common in ("password123", "Password1", "qwertyuiop", "iloveyou1", "football1"):
        assert credentials.password_problem(common) is not None, common
    for fine in ("a fine long passphrase", "correct horse battery staple", "circle demo 2026"):
        assert credentials.password_problem(fine) is None, fine
    admin = factories.person("root", role="admin")
    asha = factories.person("asha")
    with pytest.raises(NotValid):
        people.reset_password(admin.actor(), asha.person_id, "password123")
    with pytest.raises(NotValid) as refused:
        accounts.change_own_password(asha.actor(), factories.PASSWORD, "iloveyou1", "iloveyou1")
    assert "most often" in refused.value.problems["new"]
    with pytest.raises(NotValid):
        accounts.create_admin("second.admin", "Second Admin", "qwertyuiop")


def test_an_account_without_a_password_cannot_set_one_by_guessing(db: str) -> None:
    _, _, code = _cohort()
    joined = training.join(code, "Jo New", client_key="10.0.0.1")
    jo = accounts.actor_for_token(joined.token)
    assert jo is not None
    # Whatever is typed as the "current" password (including what the check compared with).
    for current in ("not a real password", "", "anything at all"):
        with pytest.raises(NotValid) as refused:
            accounts.change_own_password(jo, current, "a brand new passphrase", "a brand new passphrase")
        assert "doesn't have a Circle password" in refused.value.problems["current"]
    assert not accounts.sign_in(jo.username, "a brand new passphrase").ok


# ---------------------------------------------------------------- one sign-in per browser


def test_signing_in_again_ends_the_browsers_earlier_sign_in(db: str) -> None:
    asha = factories.person("asha")
    again = accounts.sign_in("asha", factories.PASSWORD, replaces=asha.token)
    assert again.ok and accounts.actor_for_token(asha.token) is None
    assert accounts.actor_for_token(again.token) is not None
    # Someone else signing in on the same browser ends Asha's sign-in too.
    factories.person("ben")
    ben = accounts.sign_in("ben", factories.PASSWORD, replaces=again.token)
    assert ben.ok and accounts.actor_for_token(again.token) is None
    # So do a join code and a council sign-in.
    _, _, code = _cohort()
    joined = training.join(code, "Jo New", client_key="10.0.0.1", replaces=ben.token)
    assert joined.ok and accounts.actor_for_token(ben.token) is None
    admin = factories.person("root", role="admin")
    people.link_identity(
        admin.actor(), asha.person_id, "asha@council.example", issuer="https://login.example"
    )
    now = utcnow()
    council = accounts.sign_in_external(
        "https://login.example",
        "asha@council.example",
        nonce="n-1",
        issued_at=now,
        expires_at=now + timedelta(minutes=5),
        replaces=joined.token,
    )
    assert council.ok and accounts.actor_for_token(joined.token) is None


# ---------------------------------------------------------------- council sign-in replay


def test_a_council_sign_in_counts_once_and_only_while_fresh(db: str) -> None:
    issuer, subject = "https://login.example", "asha@council.example"
    asha = factories.person("asha")
    admin = factories.person("root", role="admin")
    people.link_identity(admin.actor(), asha.person_id, subject, issuer=issuer)
    now = utcnow()

    def attempt(nonce: str, issued: timedelta, expires: timedelta) -> accounts.SignInResult:
        return accounts.sign_in_external(
            issuer, subject, nonce=nonce, issued_at=now + issued, expires_at=now + expires, now=now
        )

    first = attempt("nonce-a", timedelta(seconds=-5), timedelta(minutes=5))
    assert first.ok
    accounts.sign_out_token(first.token)
    # The same identity replayed after sign-out, on any server: refused.
    replay = attempt("nonce-a", timedelta(seconds=-5), timedelta(minutes=5))
    assert not replay.ok and replay.message == accounts.SSO_STALE_MESSAGE
    # Issued too long ago, already expired, or without a nonce: refused.
    assert not attempt("nonce-b", -accounts.SSO_FRESH_FOR - timedelta(seconds=1), timedelta(minutes=5)).ok
    assert not attempt("nonce-c", timedelta(seconds=-5), timedelta(seconds=-1)).ok
    assert not attempt("", timedelta(seconds=-5), timedelta(minutes=5)).ok
    assert not accounts.sign_in_external(issuer, subject, nonce="nonce-d", issued_at=None, expires_at=None).ok
    # A new, fresh one is fine.
    assert attempt("nonce-e", timedelta(seconds=-5), timedelta(minutes=5)).ok


# ---------------------------------------------------------------- the routes


def _client() -> TestClient:
    app = Starlette(
        routes=[*server_routes.routes, Route("/", lambda r: PlainTextResponse("the app"))],
        middleware=[Middleware(SecurityHeaders)],
    )
    return TestClient(app, base_url="https://localhost", follow_redirects=False)


def _form_token(page_text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page_text)
    assert found
    return found.group(1)


def test_sign_out_is_a_post_from_our_own_pages(db: str) -> None:
    asha = factories.person("asha")
    client = _client()
    client.cookies.set("circle_session", asha.token)
    # A link (GET) only offers the button.
    assert client.get("/auth/signout").status_code == 200
    assert accounts.actor_for_token(asha.token) is not None
    # A POST from another site, with no form token: refused, still signed in.
    cross = client.post("/auth/signout", headers={"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403 and accounts.actor_for_token(asha.token) is not None
    forged = client.post("/auth/signout", headers={"origin": "https://elsewhere.example"})
    assert forged.status_code == 403 and accounts.actor_for_token(asha.token) is not None
    # The sidebar's button: a same-origin POST.
    ours = client.post("/auth/signout", headers={"sec-fetch-site": "same-origin"})
    assert ours.status_code == 303 and accounts.actor_for_token(asha.token) is None


def test_a_link_to_the_ended_page_leaves_a_live_sign_in_alone(db: str) -> None:
    asha = factories.person("asha")
    client = _client()
    client.cookies.set("circle_session", asha.token)
    live = client.get("/auth/ended")
    assert "circle_session" not in live.headers.get("set-cookie", "")
    accounts.sign_out_token(asha.token)
    ended = client.get("/auth/ended")
    assert "circle_session=" in ended.headers.get("set-cookie", "")


def test_over_https_the_cookie_is_host_only_and_hsts_is_sent(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.person("asha")
    plain = _client().get("/signin")
    assert "strict-transport-security" not in plain.headers
    monkeypatch.setenv("CIRCLE_COOKIE_SECURE", "1")
    client = _client()
    page = client.get("/signin")
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    signed = client.post(
        "/signin", data={"csrf": _form_token(page.text), "username": "asha", "password": factories.PASSWORD}
    )
    assert signed.status_code == 303
    cookie = next(v for k, v in signed.headers.multi_items() if k == "set-cookie" and "circle_session" in v)
    assert cookie.startswith("__Host-circle_session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_signing_in_on_the_form_ends_the_earlier_sign_in(db: str) -> None:
    asha = factories.person("asha")
    client = _client()
    client.cookies.set("circle_session", asha.token)
    token = _form_token(client.get("/signin").text)
    signed = client.post("/signin", data={"csrf": token, "username": "asha", "password": factories.PASSWORD})
    assert signed.status_code == 303 and accounts.actor_for_token(asha.token) is None


def test_the_back_off_sees_the_address_only_through_a_trusted_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    async def who(request):
        seen.append(server_routes.client_address(request))
        return PlainTextResponse("")

    client = TestClient(Starlette(routes=[Route("/who", who)]))
    client.get("/who", headers={"x-forwarded-for": "192.0.2.1"})
    monkeypatch.setenv("CIRCLE_TRUSTED_PROXIES", "testclient")
    client.get("/who", headers={"x-forwarded-for": "192.0.2.1, 198.51.100.2"})
    client.get("/who", headers={"x-forwarded-for": "not an address"})
    assert seen == ["testclient", "198.51.100.2", "testclient"]


def test_a_sign_in_flood_past_the_cap_is_told_busy_at_once(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    factories.person("asha")
    client = _client()
    token = _form_token(client.get("/signin").text)
    monkeypatch.setattr(server_routes, "_in_flight", server_routes.MAX_SIGNINS_IN_FLIGHT)
    busy = client.post("/signin", data={"csrf": token, "username": "asha", "password": factories.PASSWORD})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "asha" in busy.text  # what was typed is kept
    monkeypatch.setattr(server_routes, "_in_flight", 0)
    assert (
        client.post(
            "/signin", data={"csrf": token, "username": "asha", "password": factories.PASSWORD}
        ).status_code
        == 303
    )


# ---------------------------------------------------------------- deploying


def test_the_nginx_recipe_limits_the_doors_and_sends_hsts(tmp_path) -> None:
    import shutil
    import subprocess
    from pathlib import Path

    from deploy.cluster import SAMPLE, Cluster

    conf = SAMPLE.read_text()
    for door in ("/signin", "/auth/join"):
        block = conf[conf.index(f"location = {door} {{") :]
        block = block[: block.index("}")]
        assert "limit_req zone=circle_signin_client" in block and "limit_req zone=circle_signin_all" in block
    assert 'add_header Strict-Transport-Security "max-age=31536000' in conf
    assert "__Host-" in conf  # sticky routing finds the cookie under its HTTPS name too
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx)")
    cluster = Cluster(folder=tmp_path, env={}, ports=[18501, 18502], front_port=18500)
    checked = subprocess.run(
        [nginx, "-t", "-c", str(cluster.nginx_config()), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_the_scripts_never_stop_what_runs_on_the_machine() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for script in ("run-tests.sh", "run-demo.sh", "deploy/cluster.py", "tests/test_replicas.py"):
        text = (root / script).read_text()
        for stopper in ("pkill", "killall", "systemctl stop", "service nginx stop", "nginx -s"):
            assert stopper not in text, f"{script} uses {stopper}"
    demo = (root / "run-demo.sh").read_text()
    assert '--server.address "${ADDRESS:-127.0.0.1}"' in demo
