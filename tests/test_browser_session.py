"""The facilitator's view in Chromium: a supervisor runs this week's session on the shared
screen while a practitioner shares how she's arriving from her own browser; her entry
appears on the shared screen within a few seconds. A screenshot at each step, after an
accessibility audit of the screen (tests.browser.audit), and the security headers on the
sessions screen's own response."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, LAUNCH_ARGS, audit, check_headers, sign_in, wait_for_app

pytestmark = pytest.mark.browser


def test_facilitator_runs_the_session(server: str, chromium_path: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        room = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        own = browser.new_context(viewport={"width": 420, "height": 900}).new_page()

        sign_in(room, server, "hannah")
        response = room.goto(server + "/sessions")
        assert response is not None
        check_headers(response.headers, "the sessions screen")
        wait_for_app(room)
        audit(room, "session-01-plan-and-agenda")
        room.screenshot(path=ARTIFACTS / "session-01-plan-and-agenda.png", full_page=True)
        room.get_by_text("Open the session room").click()
        wait_for_app(room)
        room.get_by_role("button", name="Begin with the arrival round").click()
        expect(room.get_by_text("How is everyone arriving today?")).to_be_visible(timeout=20000)
        wait_for_app(room)
        audit(room, "session-02-arrival-round")
        room.screenshot(path=ARTIFACTS / "session-02-arrival-round.png", full_page=True)

        sign_in(own, server, "priya")
        own.goto(server + "/sessions")
        wait_for_app(own)
        own.get_by_text("Join from your device").click()
        wait_for_app(own)
        own.get_by_role("radiogroup", name="How are you arriving today?").get_by_text("6", exact=True).click()
        own.get_by_label("A word for how you are (optional)").fill("steady")
        own.get_by_role("button", name="Share").first.click()
        wait_for_app(own)
        audit(own, "session-03-own-device")
        own.screenshot(path=ARTIFACTS / "session-03-own-device.png", full_page=True)

        # The shared screen refreshes itself: Priya appears without anyone reloading it.
        expect(room.get_by_text("Priya Shah · 6 out of 10")).to_be_visible(timeout=10000)
        room.screenshot(path=ARTIFACTS / "session-04-arrival-shown.png", full_page=True)

        step = 5
        while True:
            header = room.locator("h2").first.inner_text()
            if "Closing round" in header:
                break
            room.get_by_role("button", name="Next", exact=True).click()
            room.wait_for_timeout(600)
            wait_for_app(room)
            audit(room, f"session-{step:02d}")
            room.screenshot(
                path=ARTIFACTS
                / f"session-{step:02d}-{room.locator('h2').first.inner_text()[:30]}.png".replace(
                    ":", ""
                ).replace(" ", "-"),
                full_page=True,
            )
            step += 1
            assert step < 20, "the runner should reach the closing round"

        room.get_by_text("Everyone has had their say, and the notes and actions are as we agreed.").click()
        room.get_by_role("button", name="Close the session and keep the record").click()
        expect(room.get_by_text("This session has closed and its record is kept.")).to_be_visible(
            timeout=20000
        )
        room.get_by_text("Read the record").click()
        wait_for_app(room)
        expect(room.locator("h1").first).to_have_text("Session record")
        audit(room, f"session-{step:02d}-record")
        room.screenshot(path=ARTIFACTS / f"session-{step:02d}-record.png", full_page=True)
        browser.close()
