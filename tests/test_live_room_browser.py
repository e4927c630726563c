"""A whole session the way a team runs it, in Chromium: Hannah's shared screen and two
practitioners' own devices (Jack and Tom), each in its own browser context, on a real server.

What must happen on its own, within about three seconds, without anyone navigating:
- the devices see the session begin, and follow every step the shared screen moves to;
- an arrival and a relationship check-in made on a device appear on the shared screen;
- pressing F5 on the shared screen keeps the room on the same session and step;
- closing on the shared screen reaches every device, which then offers the record.
Each delay is measured from the click to the change on the other screen, printed, and kept in
test-artifacts/browser/live-room-delays.json; screenshots at each step.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser import ARTIFACTS, LAUNCH_ARGS, own_server, sign_in, wait_for_app

pytestmark = pytest.mark.browser

# The promise is three seconds; the assertion allows for a busy two-core test machine and
# the printed figures say what was measured.
PROMISE_S = 3.0
LIMIT_MS = 6000


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str):
    with own_server(tmp_path_factory.mktemp("live-room")) as base:
        yield base


def test_a_whole_session_on_three_screens(live_server: str, chromium_path: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    base = live_server
    shots = ARTIFACTS / "live-room"
    shots.mkdir(parents=True, exist_ok=True)
    delays: dict[str, float] = {}

    def timed(name: str, action, check) -> None:
        started = time.perf_counter()
        action()
        check()
        delays[name] = round(time.perf_counter() - started, 2)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        jack = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        tom = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        for page, who in ((screen, "hannah"), (jack, "jack"), (tom, "tom")):
            sign_in(page, base, who)

        # The shared screen opens the room from the sidebar with nothing chosen: it lands on the
        # team's next session, and the URL names it.
        screen.goto(base + "/session_room")
        wait_for_app(screen)
        expect(screen.get_by_role("button", name="Begin with the arrival round")).to_be_visible()
        match = re.search(r"[?&]session=(\d+)", screen.url)
        assert match, f"the room's URL should name the session: {screen.url}"
        room_url = f"{base}/session_room?session={match.group(1)}"
        for device in (jack, tom):
            device.goto(room_url)
            wait_for_app(device)
            expect(device.get_by_text("The session hasn't started yet.")).to_be_visible()

        timed(
            "begin reaches the devices",
            lambda: screen.get_by_role("button", name="Begin with the arrival round").click(),
            lambda: [
                expect(d.get_by_text("The room is on: Arrival round")).to_be_visible(timeout=LIMIT_MS)  # type: ignore[func-returns-value]  # called for its effect inside a lambda or an `or`
                for d in (jack, tom)
            ],
        )
        expect(screen.get_by_text("How is everyone arriving today?")).to_be_visible(timeout=LIMIT_MS)

        def jack_arrives() -> None:
            jack.get_by_role("radiogroup", name="How are you arriving today?").get_by_text(
                "6", exact=True
            ).click()
            jack.get_by_label("A word for how you are (optional)").fill("steady")
            jack.get_by_role("button", name="Share").first.click()

        timed(
            "an arrival on a device reaches the shared screen",
            jack_arrives,
            lambda: expect(screen.get_by_text("Jack Doherty · 6 out of 10")).to_be_visible(timeout=LIMIT_MS),
        )
        screen.screenshot(path=str(shots / "01-arrival-on-the-shared-screen.png"))

        timed(
            "Next on the shared screen moves the devices",
            lambda: screen.get_by_role("button", name="Next", exact=True).click(),
            lambda: [
                expect(d.get_by_text("The room is on: Relationship check-ins: AD-33")).to_be_visible(  # type: ignore[func-returns-value]  # called for its effect inside a lambda or an `or`
                    timeout=LIMIT_MS
                )
                for d in (jack, tom)
            ],
        )
        expect(screen.get_by_text("Waiting for Jack Doherty's check-in")).to_be_visible(timeout=LIMIT_MS)
        jack.screenshot(path=str(shots / "02-jacks-device-at-check-ins.png"), full_page=True)

        def jack_checks_in() -> None:
            for label in (
                "Trust between us",
                "They feel heard by me",
                "We're working on what matters to them",
                "Hope for where this is going",
            ):
                jack.get_by_role("radiogroup", name=label).get_by_text("7", exact=True).click()
            jack.get_by_label("What's working in the relationship?").fill(
                "He turns up when it's the bike workshop."
            )
            jack.get_by_role("button", name="Save the check-in").click()

        timed(
            "a check-in on a device reaches the shared screen",
            jack_checks_in,
            lambda: expect(screen.get_by_text("He turns up when it's the bike workshop.")).to_be_visible(
                timeout=LIMIT_MS
            ),
        )
        expect(screen.get_by_text("Waiting for Jack Doherty's check-in")).to_have_count(0)
        screen.screenshot(path=str(shots / "03-check-in-on-the-shared-screen.png"))

        # F5 on the shared screen: the same session, the same step.
        screen.reload()
        wait_for_app(screen)
        heading = screen.get_by_role("heading", name="Relationship check-in: AD-33")
        expect(heading).to_be_visible()
        assert f"session={match.group(1)}" in screen.url
        # Large type on a 1280×720 projector: the sidebar folds away and the step starts in the
        # top third of the screen.
        box = heading.bounding_box()
        assert box is not None and box["y"] < 720 / 3, box
        assert not screen.locator('[data-testid="stSidebar"]').is_visible()

        # On through the steps to the closing round; the devices follow.
        while not screen.get_by_role("heading", name="Closing round").count():
            screen.get_by_role("button", name="Next", exact=True).click()
            screen.wait_for_timeout(800)
            wait_for_app(screen)
        for d in (jack, tom):
            expect(d.get_by_text("The room is on: Closing round")).to_be_visible(timeout=LIMIT_MS)
        tom.screenshot(path=str(shots / "04-toms-device-at-closing.png"), full_page=True)

        screen.get_by_text("Everyone has had their say, and the notes and actions are as we agreed.").click()

        timed(
            "close reaches the devices",
            lambda: screen.get_by_role("button", name="Close the session and keep the record").click(),
            lambda: [
                expect(d.get_by_text("This session has closed and its record is kept.")).to_be_visible(  # type: ignore[func-returns-value]  # called for its effect inside a lambda or an `or`
                    timeout=LIMIT_MS
                )
                for d in (jack, tom)
            ],
        )
        expect(tom.get_by_text("The room is on: Closing round")).to_have_count(0)
        tom.get_by_role("link", name="Read the record").click()
        expect(tom.locator("h1").first).to_have_text("Session record", timeout=LIMIT_MS)
        assert f"session={match.group(1)}" in tom.url
        tom.screenshot(path=str(shots / "05-toms-device-after-close.png"), full_page=True)
        browser.close()

    (ARTIFACTS / "live-room-delays.json").write_text(json.dumps(delays, indent=2))
    print("\nlive room delays (s):", json.dumps(delays))
    # Each change reached the other screens; how fast is printed above. A change must not
    # take more than twice the promise even on a busy machine.
    assert all(v <= 2 * PROMISE_S for v in delays.values()), delays
