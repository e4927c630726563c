"""The young person's public page through its HTTP routes (SQLite and PostgreSQL): the form
with only the first name, answering once with a double-submit token, the thank-you page,
the same kind page for used, expired, withdrawn and unknown links, nothing else reachable
with the token, escaping, headers and the per-address limit."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from db import case_board, young_voice
from db.clock import utcnow
from server.routes import routes as signin_routes
from server.security import SecurityHeaders
from server.training_routes import routes as training_routes
from server.young_voice_routes import CSRF_COOKIE, GONE_BODY
from server.young_voice_routes import routes as voice_routes
from tests import factories

ANSWERS = {"trust": "4", "feel_heard": "3", "what_matters": "2", "hope": "3"}


@pytest.fixture
def world(db: str) -> dict:
    team_id = factories.team("Riverside")
    sup = factories.person("hannah", "supervisor", {team_id: "supervisor"})
    priya = factories.person("priya", "practitioner", {team_id: "practitioner"})
    case_id = case_board.create_case(sup.actor(), team_id, reference="JT-07", lead_id=priya.person_id)
    app = Starlette(
        routes=[
            *signin_routes,
            *training_routes,
            *voice_routes,
            Route("/", lambda r: PlainTextResponse("the app, with every team's cases")),
        ],
        middleware=[Middleware(SecurityHeaders)],
    )
    client = TestClient(app, base_url="http://localhost", follow_redirects=False)
    return {"client": client, "priya": priya, "sup": sup, "case": case_id}


def _link(world: dict, wording: str = "teen") -> str:
    return young_voice.create_link(world["priya"].actor(), world["case"], wording=wording).token


def _csrf(page_text: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page_text)
    assert found
    return found.group(1)


def _send(client: TestClient, token: str, answers: dict[str, str], csrf: str | None = None, **extra: str):
    page = client.get(f"/voice/{token}")
    data = {"csrf": csrf if csrf is not None else _csrf(page.text), **answers, **extra}
    return client.post(f"/voice/{token}", data=data)


def test_the_form_shows_the_first_name_the_questions_and_nothing_else(world: dict) -> None:
    client = world["client"]
    token = _link(world, "younger")
    page = client.get(f"/voice/{token}")
    assert page.status_code == 200
    html = page.text
    assert "How are things with Priya?" in html
    assert (
        "Does Priya listen to you?" in html and "Yes, lots" in html and html.count('<svg class="face"') == 20
    )
    assert "Anything else you want Priya to know?" in html
    for secret in ("JT-07", "Example", "Hannah", "href=", "<script", "Circle"):
        assert secret not in html, secret
    assert html.count("<fieldset") == 4 and html.count("<legend>") == 4
    assert 'lang="en-GB"' in html and 'name="viewport"' in html
    for header in ("content-security-policy", "x-frame-options", "referrer-policy"):
        assert header in page.headers
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"]
    assert CSRF_COOKIE in cookie and "HttpOnly" in cookie and "Path=/voice" in cookie
    teen = client.get(f"/voice/{_link(world, 'teen')}").text
    assert "How much do you trust Priya?" in teen and "Completely" in teen


def test_answering_once_then_the_same_kind_page(world: dict) -> None:
    client = world["client"]
    token = _link(world)
    thanks = _send(client, token, ANSWERS, anything_else="<b>Priya</b> is ok")
    assert thanks.status_code == 200
    assert "Thank you" in thanks.text and "Your answers have gone to Priya" in thanks.text
    assert "Nobody else sees them" in thanks.text
    again = client.post(f"/voice/{token}", data={"csrf": "x", **ANSWERS})
    assert again.status_code == 404 and GONE_BODY in again.text
    assert client.get(f"/voice/{token}").text == client.get("/voice/never-made").text
    [answer] = young_voice.answers(world["priya"].actor(), world["case"])
    assert answer.anything_else == "<b>Priya</b> is ok"  # kept as typed; shown as text


def test_a_missing_answer_keeps_what_was_chosen_and_typed(world: dict) -> None:
    client = world["client"]
    token = _link(world)
    page = _send(client, token, {"trust": "4", "hope": "1"}, anything_else="<script>alert(1)</script>")
    assert page.status_code == 400
    assert "Nearly there" in page.text and page.text.count("Please pick one answer") == 2
    assert 'name="trust" value="4" checked' in page.text and 'name="hope" value="1" checked' in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert young_voice.answers(world["priya"].actor(), world["case"]) == ()
    assert _send(client, token, ANSWERS).status_code == 200


def test_a_post_without_its_page_token_is_not_kept(world: dict) -> None:
    client = world["client"]
    token = _link(world)
    refused = client.post(f"/voice/{token}", data={"csrf": "forged", **ANSWERS})
    assert refused.status_code == 400 and "Please press Send again" in refused.text
    assert 'name="trust" value="4" checked' in refused.text
    assert young_voice.answers(world["priya"].actor(), world["case"]) == ()


def test_expired_and_withdrawn_links_get_the_same_kind_page(
    world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world["client"]
    withdrawn = young_voice.create_link(world["priya"].actor(), world["case"], wording="teen")
    young_voice.withdraw(world["sup"].actor(), withdrawn.id)
    old = young_voice.create_link(
        world["priya"].actor(), world["case"], wording="teen", now=utcnow() - timedelta(days=8)
    )
    for token in (withdrawn.token, old.token, "x" * 43, "x" * 500):
        page = client.get(f"/voice/{token}")
        assert page.status_code == 404 and GONE_BODY in page.text
        assert "Priya" not in page.text


def test_nothing_else_is_reachable_with_the_token(world: dict) -> None:
    """Every other route, with the token in the path, the query and as a cookie: none shows
    the name, the case or any of the app; a GET to the app still goes to sign-in. Nor is the
    token a sign-in: the app resolves its session cookie to nobody."""
    from db import accounts

    client = world["client"]
    token = _link(world)
    assert accounts.actor_for_token(token) is None
    paths = [
        "/",
        f"/?token={token}",
        f"/?case={token}",
        f"/voice/{token}/answers",
        f"/voice/{token}/../../",
        f"/voice/{token}/case",
        "/voice",
        f"/signin?next=/voice/{token}",
        f"/auth/join?code={token}",
        "/auth/ended",
        "/auth/signout",
        f"/api/health?token={token}",
        f"/case?token={token}",
        f"/{token}",
    ]
    for path in paths:
        response = client.get(path, headers={"cookie": f"{CSRF_COOKIE}={token}"})
        body = response.text
        assert "JT-07" not in body and "Priya" not in body and "every team's cases" not in body, path
        if response.status_code in (301, 302, 303, 307):
            assert response.headers["location"].startswith(("/signin", "/auth")), path
    assert client.get(f"/voice/{token}").status_code == 200  # the link itself still works, once


def test_many_requests_from_one_address_are_slowed(world: dict) -> None:
    client = world["client"]
    for n in range(young_voice.CLIENT_LIMIT // young_voice.MISS_COST):
        assert client.get(f"/voice/guess-{n}").status_code == 404
    slowed = client.get(f"/voice/{_link(world)}")
    assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) > 0
    assert "Priya" not in slowed.text
