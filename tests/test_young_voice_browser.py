"""Issue 19 end to end in Chromium (Debian's): Priya makes a check-in link on JT-07's page;
a young person opens it on a phone (390 px, and a second link at 320 px), answers with
taps and the keyboard, and is thanked; the link then shows only the kind "finished" page;
the team sees both views together on the case page. Every public page is audited with axe
(0 violations) and fits the phone's width; screenshots land in test-artifacts/young-voice/.
One server (`own_server`, its own SQLite file with the demo team).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import (
    ARTIFACTS,
    LAUNCH_ARGS,
    PAGE_CONTENT,
    audit,
    check_headers,
    own_server,
    sign_in,
    wait_for_app,
)

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS.parent / "young-voice"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("young-voice")
    with own_server(folder) as base:
        yield base, folder / "circle.db"


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _phone(browser, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": 780}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    return context.new_page()


def _make_link(browser, base: str, wording: str) -> str:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, "priya")
    page.goto(base + "/case?case=" + _case_id(base, "JT-07"))
    wait_for_app(page)
    page.get_by_text("Ask them how it's going").scroll_into_view_if_needed()
    page.get_by_text("A younger child" if wording == "younger" else "A teenager", exact=True).click()
    page.get_by_role("button", name="Make a check-in link").click()
    page.get_by_text("Your new link").wait_for(timeout=20000)
    url = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert "/voice/" in url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_text("Your new link").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"case-page-new-link-{wording}.png"))
    audit(page, f"young-voice-new-link-{wording}")
    page.context.close()
    return url


_DBS: dict[str, Path] = {}


def _case_id(base: str, reference: str) -> str:
    with sqlite3.connect(_DBS[base]) as conn:
        return str(conn.execute("SELECT id FROM case_record WHERE reference = ?", (reference,)).fetchone()[0])


def _fits(page, where: str) -> None:
    wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 0, f"{where}: the page is {wide}px wider than the phone"


def test_a_young_person_answers_on_a_phone_and_the_team_sees_both_views(browser, site) -> None:
    base, db_file = site
    _DBS[base] = db_file
    url = _make_link(browser, base, "teen")
    phone = _phone(browser, 390)
    response = phone.goto(url)
    assert response is not None and response.status == 200
    check_headers(response.headers, "the young person's page")
    phone.get_by_role("heading", name="How are things with Priya?").wait_for()
    body = phone.locator("body").inner_text()
    assert "JT-07" not in body and "Shah" not in body and phone.locator("a").count() == 0
    _fits(phone, "form at 390")
    audit(phone, "young-voice-form-390", PAGE_CONTENT)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "form-390.png"), full_page=True)
    phone.screenshot(path=str(SHOTS / "form-390-first-screen.png"))

    # A screen reader hears each question as a group with its answers.
    trust = phone.get_by_role("group", name="1. How much do you trust Priya?")
    trust.get_by_role("radio", name="Mostly").check()
    phone.get_by_role("group", name="2. Does Priya listen to you and get what you mean?").get_by_role(
        "radio", name="Not really"
    ).check()
    # The keyboard works too: focus a choice, arrow to the next.
    matters = phone.get_by_role("group", name="3. Are you and Priya working on what matters to you?")
    matters.get_by_role("radio", name="Completely").focus()
    phone.keyboard.press("ArrowDown")
    assert matters.get_by_role("radio", name="Mostly").is_checked()
    phone.get_by_role("button", name="Send my answers to Priya").click()
    phone.get_by_text("Nearly there").wait_for()  # question 4 was missed; the rest are kept
    assert trust.get_by_role("radio", name="Mostly").is_checked()
    audit(phone, "young-voice-form-problem-390", PAGE_CONTENT)
    phone.screenshot(path=str(SHOTS / "form-problem-390.png"), full_page=True)
    phone.get_by_role("group", name="4. How hopeful do you feel about where things are going?").get_by_role(
        "radio", name="Sometimes"
    ).check()
    phone.get_by_label("Anything else you want Priya to know?").fill("I like it when we walk and talk.")
    phone.get_by_role("button", name="Send my answers to Priya").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    assert "Your answers have gone to Priya" in phone.locator("body").inner_text()
    _fits(phone, "thanks at 390")
    audit(phone, "young-voice-thanks-390", PAGE_CONTENT)
    phone.screenshot(path=str(SHOTS / "thanks-390.png"), full_page=True)

    # Once only: the same link now shows the kind "finished" page, with nothing of anyone.
    again = phone.goto(url)
    assert again is not None and again.status == 404
    phone.get_by_role("heading", name="This link has finished").wait_for()
    assert "Priya" not in phone.locator("body").inner_text()
    audit(phone, "young-voice-finished-390", PAGE_CONTENT)
    phone.screenshot(path=str(SHOTS / "finished-390.png"), full_page=True)
    phone.context.close()

    with sqlite3.connect(db_file) as conn:
        rows = conn.execute(
            "SELECT trust, feel_heard, what_matters, hope, anything_else FROM young_voice_answer "
            "WHERE case_id = ? ORDER BY id DESC",
            (_case_id(base, "JT-07"),),
        ).fetchall()
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_event WHERE action LIKE 'young%'")]
    assert rows[0] == (3, 1, 3, 2, "I like it when we walk and talk.")
    assert {"young_link_create", "young_link_open", "young_link_answer"} <= set(actions)

    # The team sees both views together.
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, "hannah")
    page.goto(base + "/case?case=" + _case_id(base, "JT-07"))
    wait_for_app(page)
    page.get_by_text("In the young person's own words", exact=True).wait_for(timeout=20000)
    page.get_by_text("In the young person's own words", exact=True).scroll_into_view_if_needed()
    assert page.get_by_text("Where do we see this differently from the young person?").count() == 1
    assert page.get_by_text("I like it when we walk and talk.").count() == 1
    page.screenshot(path=str(SHOTS / "case-page-both-views.png"), full_page=False)
    audit(page, "young-voice-case-page")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1500)
    page.get_by_text("Where do we see this differently from the young person?").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "case-page-both-views-390.png"))
    page.get_by_text("How the relationship feels, on average (0 to 10)").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "case-page-trend-390.png"))
    page.context.close()


def test_the_younger_wording_fits_320_px(browser, site) -> None:
    base, db_file = site
    _DBS[base] = db_file
    url = _make_link(browser, base, "younger")
    phone = _phone(browser, 320)
    phone.goto(url)
    phone.get_by_role("heading", name="How are things with Priya?").wait_for()
    assert phone.get_by_role("group", name="1. Do you trust Priya?").count() == 1
    _fits(phone, "form at 320")
    audit(phone, "young-voice-form-320", PAGE_CONTENT)
    phone.screenshot(path=str(SHOTS / "form-320.png"), full_page=True)
    phone.screenshot(path=str(SHOTS / "form-320-first-screen.png"))
    phone.context.close()


def test_the_room_shows_both_views_at_the_check_in_step(browser, site) -> None:
    """This week's session brings AD-33, whose young person answered: at its check-in step the
    shared screen shows their own answers beside Jack's, with the question for the team."""
    base, db_file = site
    _DBS[base] = db_file
    with sqlite3.connect(db_file) as conn:
        session_id = conn.execute(
            "SELECT id FROM supervision_session WHERE status = 'planned' ORDER BY scheduled_for LIMIT 1"
        ).fetchone()[0]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, base, "hannah")
    page.goto(f"{base}/session_room?session={session_id}")
    wait_for_app(page)
    page.get_by_role("button", name="Begin with the arrival round").click()
    wait_for_app(page)
    page.get_by_role("button", name="Next").click()
    page.get_by_text("In the young person's own words", exact=True).wait_for(timeout=30000)
    assert page.get_by_text("Where do we see this differently from the young person?").count() == 1
    page.get_by_text("In the young person's own words", exact=True).evaluate(
        "el => el.scrollIntoView({block: 'start'})"
    )
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "room-check-in-both-views.png"))
    page.context.close()
