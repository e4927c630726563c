"""One-to-one supervision and agreements in Debian's Chromium, on a private server with the
demo: Hannah sees Tom overdue on Home, opens a one-to-one, and the agreement page; Priya
shares how she's arriving and writes in wellbeing and development; Leo agrees to his revised
agreement; Marcus sees the One-to-ones panel of Insights and nothing of what was said.
Each screen gets an axe-core audit (0 violations) and a screenshot in
test-artifacts/one-to-one/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import LAUNCH_ARGS, ROOT, audit, own_server, sign_in, wait_for_app

pytestmark = pytest.mark.browser
SHOTS = ROOT / "test-artifacts" / "one-to-one"


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # A thank-you toast is Streamlit's own (its dialog has no name); audit the screen once it has gone.
    page.wait_for_selector("[data-testid=stToast]", state="detached", timeout=15000)
    page.mouse.move(1, 1)  # no hover state left on what was just clicked
    page.wait_for_timeout(500)
    audit(page, f"one-to-one-{name}")
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _as(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, base, username)
    wait_for_app(page)
    return page


def test_a_one_to_one_and_an_agreement_in_chromium(browser, tmp_path: Path) -> None:
    with own_server(tmp_path) as base:
        hannah = _as(browser, base, "hannah")
        assert "Overdue against their agreement: Tom Reilly" in hannah.inner_text("[data-testid=stMain]")
        _shot(hannah, "01-home-supervisor")
        hannah.goto(base + "/one_to_one")
        wait_for_app(hannah)
        assert "One-to-one supervision" in hannah.inner_text("h1")
        _shot(hannah, "02-one-to-one-supervisor")
        hannah.goto(base + "/agreement")
        wait_for_app(hannah)
        _shot(hannah, "03-agreement-supervisor")

        priya = _as(browser, base, "priya")
        priya.goto(base + "/one_to_one")
        wait_for_app(priya)
        main = priya.locator("[data-testid=stMain]")
        assert "stays between the two of you" in main.inner_text()
        main.get_by_text("7", exact=True).first.click()
        main.get_by_label("A word for it (optional)").fill("hopeful")
        main.get_by_role("button", name="Share how I'm arriving").click()
        priya.wait_for_timeout(2500)
        wait_for_app(priya)
        assert "7 out of 10" in main.inner_text()
        _shot(priya, "04-arriving-practitioner")
        main.get_by_role("radio", name="Wellbeing and development").click() if main.get_by_role(
            "radio", name="Wellbeing and development"
        ).count() else main.get_by_role("button", name="Wellbeing and development").click()
        priya.wait_for_timeout(1500)
        main.get_by_label("What's been hard").fill("Two court reports in one week.")
        main.get_by_role("button", name="Save wellbeing and development").click()
        priya.wait_for_timeout(2500)
        wait_for_app(priya)
        _shot(priya, "05-wellbeing-practitioner")

        leo = _as(browser, base, "leo")
        leo.goto(base + "/agreement")
        wait_for_app(leo)
        leo.get_by_role("button", name="I agree to this agreement as it stands").click()
        leo.wait_for_timeout(2500)
        wait_for_app(leo)
        assert "Earlier versions (1)" in leo.inner_text("[data-testid=stMain]")
        _shot(leo, "06-agreement-agreed-practitioner")

        marcus = _as(browser, base, "marcus")
        marcus.goto(base + "/insights")
        wait_for_app(marcus)
        marcus.get_by_role("button", name="One-to-ones").click() if marcus.get_by_role(
            "button", name="One-to-ones"
        ).count() else marcus.get_by_role("radio", name="One-to-ones").click()
        marcus.wait_for_timeout(2500)
        wait_for_app(marcus)
        text = marcus.inner_text("[data-testid=stMain]")
        assert "within what they agreed" in text
        assert "Two court reports" not in text and "hopeful" not in text
        _shot(marcus, "07-insights-manager")
