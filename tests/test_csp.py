"""The Content-Security-Policy holds on every screen: in Debian's Chromium, each demo role
opens every screen in its navigation (and a detail screen reached from it), and every
`securitypolicyviolation` the page raises is collected. There must be none: a policy that
Streamlit trips over would either break a screen or teach people to loosen it.

The same walk signs out through the sidebar's button (a POST), so the button is proven to
work in a real browser.
"""

from __future__ import annotations

import json

import pytest

from server.security import CONTENT_SECURITY_POLICY
from tests.browser import ARTIFACTS, LAUNCH_ARGS, sign_in, wait_for_app

pytestmark = pytest.mark.browser

ROLES = ("priya", "hannah", "marcus", "ruth", "jo", "alex")
# Every violation, with where it happened; kept on window across Streamlit's own page switches.
COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push({
  directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
  source: e.sourceFile, line: e.lineNumber,
}));
"""
# Links to detail screens (a case, a worry, a session record), followed once per role.
DETAIL_LINKS = ('a[href*="case?"]', 'a[href*="risk_entry?"]', 'a[href*="session_record?"]')


def test_the_policy_is_tight() -> None:
    assert "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    script = next(d for d in CONTENT_SECURITY_POLICY.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "ws:" not in CONTENT_SECURITY_POLICY


def _violations(page, where: str, found: dict[str, list]) -> None:
    seen = page.evaluate("window.__csp || []")
    if seen:
        found[where] = seen


def test_no_screen_breaks_the_content_security_policy(server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    found: dict[str, list] = {}
    visited: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        for username in ROLES:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            context.add_init_script(COLLECT)
            page = context.new_page()
            for door in ("/signin", "/auth/join", "/auth/signout"):
                page.goto(server + door)
                page.wait_for_selector("h1")
                _violations(page, f"{username} {door}", found)
            sign_in(page, server, username)
            _violations(page, f"{username} home", found)
            links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
            hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
            # Circle's own navigation (components/a11y.py); a trainee's one screen is home.
            hrefs = hrefs or [page.url]
            for href in hrefs:
                page.goto(href if href.startswith("http") else server + "/" + href.lstrip("/"))
                wait_for_app(page)
                visited.append(f"{username} {page.url}")
                _violations(page, f"{username} {page.url}", found)
                for selector in DETAIL_LINKS:
                    detail = page.locator(selector)
                    if detail.count():
                        target = detail.first.get_attribute("href") or ""
                        page.goto(target if target.startswith("http") else server + "/" + target.lstrip("/"))
                        wait_for_app(page)
                        visited.append(f"{username} {page.url}")
                        _violations(page, f"{username} {page.url}", found)
                        break
            # Another browser holding the same sign-in (copied cookies), to see it end below.
            other = browser.new_context()
            other.add_init_script(COLLECT)
            other.add_cookies(context.cookies())  # type: ignore[arg-type]  # Playwright's cookies() output is what add_cookies takes; its two TypedDicts differ
            # Signing out is the sidebar's button, a POST; it ends the sign-in.
            page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
            page.wait_for_url("**/signin?note=signed_out")
            if username == ROLES[0]:
                # The ended sign-in's screen moves itself on with app.py's one hashed inline script.
                stale = other.new_page()
                stale.goto(server + "/")
                stale.wait_for_url("**/signin?note=ended", timeout=30000)
                _violations(stale, f"{username} ended", found)
                visited.append(f"{username} {stale.url}")
            other.close()
            page.goto(server + "/")
            page.wait_for_url("**/signin")
            context.close()
        browser.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "csp.json").write_text(json.dumps({"visited": visited, "violations": found}, indent=2))
    print(f"\nCSP: {len(visited)} screens visited, {sum(len(v) for v in found.values())} violations")
    assert len(visited) >= 20
    assert not found, json.dumps(found, indent=2)[:4000]
