"""The server routes beside Streamlit: sign-in, sign-out, health, headers."""

from __future__ import annotations

import re

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db import accounts
from server.routes import CSRF_COOKIE, routes
from server.security import SecurityHeaders
from tests import factories


@pytest.fixture
def client(db: str) -> TestClient:
    app = Starlette(
        routes=[*routes, Route("/", lambda r: PlainTextResponse("the app"))],
        middleware=[Middleware(SecurityHeaders)],
    )
    return TestClient(app, base_url="http://localhost", follow_redirects=False)


def _csrf(client: TestClient) -> str:
    page = client.get("/signin")
    assert page.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/signin", "/api/health"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_health_reports_the_database(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_first_visit_without_a_cookie_goes_to_sign_in(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/signin"


def test_sign_in_sets_an_httponly_strict_cookie_and_sign_out_revokes(client: TestClient) -> None:
    factories.person("asha")
    response = client.post(
        "/signin", data={"csrf": _csrf(client), "username": "asha", "password": factories.PASSWORD}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("circle_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert accounts.actor_for_token(token) is not None
    assert token not in response.headers.get("location", "")
    client.cookies.set("circle_session", token)
    # A GET only offers the button; its form (with a double-submit token) signs out.
    offer = client.get("/auth/signout")
    assert offer.status_code == 200 and accounts.actor_for_token(token) is not None
    form_token = re.search(r'name="csrf" value="([^"]+)"', offer.text)
    assert form_token
    out = client.post("/auth/signout", data={"csrf": form_token.group(1)})
    assert out.status_code == 303 and out.headers["location"].startswith("/signin")
    assert accounts.actor_for_token(token) is None


def test_wrong_password_keeps_the_username_and_escapes_it(client: TestClient) -> None:
    typed = '<script>alert("x")</script>'
    response = client.post(
        "/signin", data={"csrf": _csrf(client), "username": typed, "password": "nope nope"}
    )
    assert response.status_code == 401
    assert "don&#x27;t match" in response.text
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text


def test_sign_in_without_the_form_token_is_refused(client: TestClient) -> None:
    factories.person("asha")
    client.get("/signin")
    response = client.post(
        "/signin", data={"csrf": "forged", "username": "asha", "password": factories.PASSWORD}
    )
    assert response.status_code == 400 and "circle_session" not in response.headers.get("set-cookie", "")
    client.cookies.delete(CSRF_COOKIE)


def test_back_off_shows_a_wait(client: TestClient) -> None:
    factories.person("asha")
    token = _csrf(client)
    for _ in range(accounts.BACKOFF_FREE_TRIES):
        client.post("/signin", data={"csrf": token, "username": "asha", "password": "wrong guess"})
    response = client.post(
        "/signin", data={"csrf": token, "username": "asha", "password": factories.PASSWORD}
    )
    assert response.status_code == 429 and "try again in" in response.text


def test_demo_sign_ins_only_in_demo_mode(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS

    monkeypatch.delenv("CIRCLE_DEMO", raising=False)
    plain = client.get("/signin").text
    assert DEMO_PASSWORD not in plain and "Demo mode" not in plain
    monkeypatch.setenv("CIRCLE_DEMO", "1")
    demo = client.get("/signin").text
    assert "Demo mode" in demo and DEMO_PASSWORD in demo
    assert all(d.username in demo for d in DEMO_SIGNINS)
