"""Nobody shut out: axe-core (every WCAG 2.2 A/AA rule and axe's best practices, every impact
level, the whole page with Streamlit's own parts, no exclusions) on every screen Circle has,
for every demo role, in the states people reach: each tab, every expander open, a form
refused with its messages, each detail screen (a case, a worry, a session record), and the
public pages (sign-in, a failed sign-in, joining with a code and a wrong code, sign-out, the
accessibility statement). The live room's every step is audited by
tests/test_keyboard_browser.py, which runs a whole session with the keyboard alone.

Any violation fails the test. The figures (screens, roles, states, violations by rule) go
to test-artifacts/accessibility-audit.json beside those of the keyboard and phone tests; with
CIRCLE_WRITE_AUDIT=1 also to docs/accessibility-audit.json, which the statement at
/accessibility reads. Regenerate it after adding a screen or a state:

    CIRCLE_WRITE_AUDIT=1 .venv/bin/python -m pytest tests/test_accessibility_browser.py \
        tests/test_keyboard_browser.py tests/test_phone_browser.py
"""

from __future__ import annotations

import re

import pytest

from tests.browser import (
    AUDITED,
    LAUNCH_ARGS,
    audit,
    sign_in,
    wait_for_app,
    write_figures,
)

pytestmark = pytest.mark.browser

ROLES = {
    "priya": "practitioner",
    "hannah": "supervisor",
    "marcus": "manager",
    "ruth": "trainer",
    "alex": "admin",
    "jo": "trainee",
}
PUBLIC = ("/signin", "/auth/join", "/auth/signout", "/accessibility")
# Detail screens reached from links: the first of each kind on a screen is followed.
DETAIL_LINKS = ('a[href*="case?"]', 'a[href*="risk_entry?"]', 'a[href*="session_record?"]')
DETAIL_BUTTONS = {
    "home": (re.compile(r"^Open this worry"),),
    "training": (re.compile(r"^Open .+, \d\d \w{3}$"),),
}
# Forms sent empty, so they are refused and show their messages (nothing is saved).
REFUSED = {
    ("priya", "risk_log"): ("Name a new worry", "Hold this together"),
    ("priya", "account"): ("Change password",),
    ("hannah", "sessions"): ("Add to the agenda",),
    ("hannah", "language"): ("Add to our words",),
    ("alex", "admin"): ("Add person",),
    ("ruth", "training"): ("Start the cohort",),
}


def _slug(url: str) -> str:
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    return path or "home"


OPEN_EXPANDERS = """() => {
  let opened = 0;
  for (const s of document.querySelectorAll('[data-testid="stMain"] details:not([open]) > summary')) {
    if (s.offsetParent) { s.click(); opened += 1; }
  }
  return opened;
}"""


def _states(page, name: str, states: list[dict], role: str) -> None:
    """Audit the screen as it is, then with its expanders open; the same for each tab."""
    screen = _slug(page.url)

    def check(state: str) -> None:
        audit(page, f"a11y-{name}-{screen}-{state}", fail=False)
        states.append({"role": role, "screen": screen, "state": state})

    def with_expanders(state: str) -> None:
        check(state)
        if page.evaluate(OPEN_EXPANDERS):
            wait_for_app(page)
            check(f"{state}-expanders-open")

    with_expanders("as-opened")
    tabs = page.locator('[data-testid="stMain"]').get_by_role("tab")
    for i in range(1, tabs.count()):
        tabs.nth(i).click()
        page.wait_for_timeout(400)
        wait_for_app(page)  # a tab that keeps its place in the address reruns to draw itself
        with_expanders(f"tab-{i + 1}")


def _visit(page, base: str, href: str) -> None:
    page.goto(href if href.startswith("http") else base + "/" + href.lstrip("/"))
    wait_for_app(page)


def test_every_screen_for_every_role_has_no_violations(server: str, chromium_path: str) -> None:
    from playwright.sync_api import sync_playwright

    states: list[dict] = []
    first = len(AUDITED)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        for door in PUBLIC:
            page.goto(server + door)
            page.wait_for_selector("h1")
            audit(page, f"a11y-public{door.replace('/', '-')}", fail=False)
            states.append({"role": "public", "screen": door, "state": "as-opened"})
        page.goto(server + "/signin")
        page.fill("#username", "priya")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
        audit(page, "a11y-public-signin-refused", fail=False)
        states.append({"role": "public", "screen": "/signin", "state": "refused"})
        page.goto(server + "/auth/join")
        page.fill("#code", "NOT-A-CODE")
        page.fill("#name", "Someone New")
        page.click("button[type=submit]")
        page.wait_for_selector("[role=alert]")
        audit(page, "a11y-public-join-refused", fail=False)
        states.append({"role": "public", "screen": "/auth/join", "state": "refused"})
        page.context.close()

        for username, role in ROLES.items():
            page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
            sign_in(page, server, username)
            links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
            hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
            assert hrefs, f"{username} has no navigation"
            for href in hrefs:
                _visit(page, server, href)
                here = page.url
                _states(page, username, states, role)
                screen = _slug(here)
                if (username, screen) in REFUSED:
                    _visit(page, server, here)
                    if page.evaluate(OPEN_EXPANDERS):
                        wait_for_app(page)
                    for name in REFUSED[(username, screen)]:
                        page.locator('[data-testid="stMain"]').get_by_role(
                            "button", name=name, exact=True
                        ).click()
                        wait_for_app(page)
                    alerts = page.locator('[data-testid="stAlert"], [data-testid="stAlertContainer"]')
                    assert alerts.count(), f"{username} {screen}: the empty form wasn't refused"
                    audit(page, f"a11y-{username}-{screen}-refused", fail=False)
                    states.append({"role": role, "screen": screen, "state": "form-refused"})
                for button in DETAIL_BUTTONS.get(screen, ()):
                    # A worry and a run open from a button (the screen keeps which in its state).
                    _visit(page, server, here)
                    opener = page.locator('[data-testid="stMain"]').get_by_role("button", name=button)
                    if opener.count():
                        opener.first.click()
                        page.wait_for_timeout(800)
                        wait_for_app(page)
                        _states(page, username, states, role)
                if screen == "sessions" and "session=" in here:
                    # The session before this week's, closed: its record.
                    earlier = int(here.split("session=", 1)[1].split("&")[0]) - 1
                    _visit(page, server, f"/session_record?session={earlier}")
                    if page.locator("h1").first.inner_text() == "Session record":
                        _states(page, username, states, role)
                for selector in DETAIL_LINKS:
                    _visit(page, server, here)
                    detail = page.locator(selector)
                    if detail.count():
                        _visit(page, server, detail.first.get_attribute("href") or "")
                        _states(page, username, states, role)
            page.context.close()
        browser.close()

    figures = write_figures("walk", states, AUDITED[first:])
    print(
        f"\naxe: {figures['parts']['walk']['audits']} audits, {figures['parts']['walk']['violations_total']} violations"
    )
    problems = [f"{a['screen']}: {a['violations']}" for a in AUDITED[first:] if a["violations"]]
    assert not problems, "\n".join(problems)
