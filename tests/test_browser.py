"""The real server in Debian's Chromium: sign in as a demo user, see Home, refresh and stay
signed in, sign out. Screenshots land in test-artifacts/browser/.

Skipped with a reason where Chromium is missing; under CI=true a missing Chromium fails.
"""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, LAUNCH_ARGS, wait_for_app

pytestmark = pytest.mark.browser


def test_sign_in_refresh_and_sign_out(server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    from db.seed.demo import DEMO_PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server + "/")
        assert page.url.endswith("/signin")
        assert "Demo mode" in page.content()
        page.screenshot(path=ARTIFACTS / "01-sign-in.png", full_page=True)

        page.fill("#username", "priya")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(server + "/")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello, Priya")
        # Page JavaScript cannot see the sign-in cookie.
        assert "circle_session" not in page.evaluate("document.cookie")
        page.screenshot(path=ARTIFACTS / "02-home.png", full_page=True)

        page.reload()
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().startswith("Hello, Priya")
        page.screenshot(path=ARTIFACTS / "03-after-refresh.png", full_page=True)

        page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_url("**/signin?note=signed_out")
        assert "You've signed out" in page.content()
        page.screenshot(path=ARTIFACTS / "04-signed-out.png", full_page=True)

        # The old page can't come back: the app sends the browser to sign in again.
        page.goto(server + "/")
        assert page.url.endswith("/signin")
        browser.close()
