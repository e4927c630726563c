"""What the browser audit relies on, checked without a browser: the committed audit figures
cover every screen and record no violations, the statement at /accessibility is open to
anyone and shows those figures, Circle's own navigation holds the role's screens (and
Streamlit's is hidden), the global styles respect reduced motion and keep focus visible, and
no field caps what can be typed or pasted (a browser drops a longer paste whole)."""

from __future__ import annotations

import ast
import json

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from components.navigation import SCREENS, pages_for
from server import accessibility
from server.security import SecurityHeaders
from tests.browser import ROOT
from tests.conftest import app_for

AUDIT = ROOT / "docs" / "accessibility-audit.json"
FIGURES = json.loads(AUDIT.read_text()) if AUDIT.exists() else {}


def test_the_committed_audit_covers_every_screen_and_found_nothing() -> None:
    audited = set(FIGURES["screens"])
    missing = [key for key in SCREENS if key not in audited]
    assert not missing, f"not in the last audit (regenerate docs/accessibility-audit.json): {missing}"
    assert {"/signin", "/auth/join", "/accessibility"} <= audited
    assert FIGURES["violations_total"] == 0 and not FIGURES["violations_by_rule"]
    assert {"practitioner", "supervisor", "manager", "trainer", "admin", "trainee"} <= set(FIGURES["roles"])
    assert "best-practice" in FIGURES["rules"] and "wcag22aa" in FIGURES["rules"]


def test_the_statement_is_open_without_signing_in_and_shows_the_audit() -> None:
    app = Starlette(routes=accessibility.routes, middleware=[Middleware(SecurityHeaders)])
    page = TestClient(app).get("/accessibility", follow_redirects=False)
    assert page.status_code == 200, page.headers.get("location")
    html = page.text
    for heading in (
        "Accessibility statement for Circle",
        "How accessible Circle is",
        "What isn't accessible yet",
        "Reporting a problem",
        "Enforcement procedure",
        "Equality Advisory and Support Service",
        "How Circle was tested",
    ):
        assert heading in html
    assert f"checked {len(FIGURES['screens'])} screens" in html
    assert f"in {FIGURES['states']} states" in html and "It found no problems." in html
    assert "and for people not signed in" in html


def test_the_statement_names_who_to_tell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLE_ACCESSIBILITY_CONTACT", "circle-access@council.example")
    app = Starlette(routes=accessibility.routes)
    html = TestClient(app).get("/accessibility").text
    assert 'href="mailto:circle-access@council.example"' in html
    figures = dict(FIGURES, violations_total=2, violations_by_rule={"heading-order": 2})
    assert "It found heading-order: 2." in accessibility.render(figures, "")


@pytest.mark.parametrize("role", ["practitioner", "supervisor", "admin"])
def test_circles_navigation_holds_the_roles_screens(role: str, team_of_five) -> None:  # noqa: F811
    at = app_for(team_of_five[role].token)
    assert not at.exception
    links = [link.label for link in at.sidebar.get("page_link")]  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
    shown = [SCREENS[k].title for k in pages_for(role) if not SCREENS[k].hidden]
    assert links == [t for t in links if t in shown] and set(links) == set(shown)


def test_styles_respect_reduced_motion_and_keep_focus_visible() -> None:
    source = (ROOT / "components" / "a11y.py").read_text()
    assert "@media (prefers-reduced-motion: reduce)" in source
    assert "animation-duration: 0.01ms" in source and "transition-duration: 0.01ms" in source
    assert ":focus-visible { outline: 3px solid" in source
    assert "a11y.style()" in (ROOT / "app.py").read_text()


def test_no_field_caps_what_can_be_pasted() -> None:
    found = []
    for folder in ("pages", "components"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Call) and any(kw.arg == "max_chars" for kw in node.keywords):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "use components.fields.text/area with a limit instead of max_chars"


def test_no_toasts_only_notices() -> None:
    """st.toast's dialog has no accessible name in Streamlit 1.67: Circle says so in place."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("pages", "components")
        for path in sorted((ROOT / folder).glob("*.py"))
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if "st.toast(" in line
    ]
    assert found == [], "use components.a11y.notice"
