"""The accessibility statement at /accessibility, open to anyone without signing in.

Laid out as the UK public sector model statement (the Public Sector Bodies (Websites and
Mobile Applications) (No. 2) Accessibility Regulations 2018): how accessible Circle is, what
isn't yet and why, how to report a problem, the enforcement procedure, and how it was
tested. The testing figures are read from docs/accessibility-audit.json, which the browser
audit writes (`CIRCLE_WRITE_AUDIT=1 .venv/bin/python -m pytest tests/test_accessibility_browser.py`),
so the statement never claims more than the last audit found.

`CIRCLE_ACCESSIBILITY_CONTACT` (an email address or a phone number) is who people write to
about a problem; without it the statement points them to their Circle administrator.
"""

from __future__ import annotations

import json
import os
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from server.signin_page import PAGE_STYLE

AUDIT_FILE = Path(__file__).resolve().parent.parent / "docs" / "accessibility-audit.json"

# What isn't accessible yet, and why. Each line is true of this version of Circle.
KNOWN_GAPS = (
    "Some larger tables are drawn as a grid on a canvas: the administrator's lists of people, "
    "teams and memberships, the audit trail, personal data (retention, holds, restricted "
    "records), the full list of words Circle looks for, the risk log's list of worries, "
    "one-to-one frequency, the exercise library, and a cohort's exercise runs and induction "
    "record. A screen reader reads them once the grid has keyboard focus (Tab into it, then "
    "the arrow keys), but not while reading the page top to bottom. Smaller tables (Home, a "
    "child's network, the team's own words, a cohort's people, the families nobody has talked "
    "about lately) are ordinary tables.",
    "Charts on Insights are pictures of figures. Each sits beside the same figures in words "
    "and a CSV download of every figure, but the chart itself can't be explored with a "
    "screen reader.",
    "PDF exports (session records, insights reports, induction records) are not tagged PDFs: "
    "a screen reader reads their text in order, without headings or table structure. The CSV "
    "exports hold the same records.",
    "On the narrowest phones (320 pixels), tables with five or six columns break long words "
    "across lines to fit the screen without scrolling sideways.",
    "The contrast of the edges of fields and buttons against the page (3:1 for interface "
    "parts) is set in Circle's theme but is not checked automatically; the automated audit "
    "checks the contrast of all text.",
)


def _figures() -> dict:
    try:
        return json.loads(AUDIT_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# The statement, laid out as the model statement; the parts in braces are filled in by render.
_STATEMENT = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accessibility statement · Circle</title><style>{style}
main {{ max-width: 44rem; }} .card h2 {{ font-size: 1.3rem; margin: 1.5rem 0 .5rem; }}
.card li, .card p {{ line-height: 1.5; }}</style></head>
<body><main>
<div class="card">
<h1>Accessibility statement for Circle</h1>
<p class="lede">This statement applies to Circle, the group supervision workspace your council
runs for its children's social care and early help teams. We want as many people as possible
to be able to use it.</p>
<h2>How accessible Circle is</h2>
<p>You should be able to:</p>
<ul>
<li>use every screen with a keyboard alone, with the place you are on always outlined;</li>
<li>use it with a screen reader: every screen has one main heading and headings in order, its
fields have labels, and links and buttons have names that say where they go;</li>
<li>use Home, the session room, a worry and a case page on a phone as narrow as 320 pixels
(the width of a 1280-pixel screen zoomed to 400%) without scrolling sideways, with text at
least 16 pixels and buttons and links at least 24 by 24 pixels;</li>
<li>turn animations off (your device's "reduce motion" setting is respected);</li>
<li>read all text at a contrast of at least 4.5 to 1 against its background.</li>
</ul>
<h2>What isn't accessible yet</h2>
<ul>{gaps}</ul>
<h2>Reporting a problem, or asking for something in another format</h2>
<p>If something in Circle is hard to use, or you need information from it in another format,
tell {reach}. Say which screen and what happened. We'll reply within 5 working days.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public
Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the
accessibility regulations). If you're not happy with how we respond to your complaint, contact
the Equality Advisory and Support Service (EASS).</p>
<h2>Technical information about Circle's accessibility</h2>
<p>Your council is committed to making Circle accessible, in accordance with the accessibility
regulations. Circle is partially compliant with the Web Content Accessibility Guidelines
version 2.2 AA standard, because of the gaps listed above.</p>
<h2>How Circle was tested</h2>
{tested}
<p>A whole group supervision (signing in, bringing a case, the arrival round, check-ins,
notes, actions, the closing round and closing the session) is also run in the browser with
the keyboard alone, and Home, the session room, a worry and a case page are checked on phone
screens 320 and 390 pixels wide.</p>
<h2>Why Circle draws its own navigation</h2>
<p>The toolkit Circle is built with (Streamlit) draws its page list in a way screen readers
hear as a broken list, with links too small to tap on a phone. Circle draws its own list of
links instead, each at least 44 pixels tall.</p>
<h2>Preparation of this statement</h2>
<p>This statement is prepared from the automated audit above, rerun with each change to
Circle.</p>
</div>
<footer><a href="/">Back to Circle</a></footer>
</main></body></html>"""


def _reach(contact: str) -> str:
    """Who to tell about a problem: the configured contact, or the administrator."""
    return (
        f'<a href="mailto:{escape(contact)}">{escape(contact)}</a>'
        if "@" in contact
        else escape(contact)
        if contact
        else "your Circle administrator (the person who set up your sign-in)"
    )


def _tested(figures: dict) -> str:
    """How Circle was last tested, from the browser audit's figures."""
    if not figures:
        return "<p>The automated audit's figures are not available on this server.</p>"
    by_rule = figures.get("violations_by_rule") or {}
    found = (
        "no problems"
        if not figures.get("violations_total")
        else ", ".join(f"{escape(rule)}: {n}" for rule, n in sorted(by_rule.items()))
    )
    kinds = [r for r in figures.get("roles", []) if r != "public"]
    return (
        f"<p>Circle was last tested on {escape(str(figures.get('when', '')))} with "
        f"{escape(str(figures.get('tool', 'axe-core')))}. The automated audit checked "
        f"{len(figures.get('screens', []))} screens for {len(kinds)} kinds of user "
        f"({escape(', '.join(kinds))}) and for people not signed in, in {figures.get('states', 0)} "
        "states (each tab, every expandable section open, forms with their messages, each step of "
        "a live group supervision, phone screens, and the public pages), against every WCAG 2.2 A "
        f"and AA rule axe-core has and its best practices, at every level of impact. It found {found}.</p>"
    )


def render(figures: dict, contact: str) -> str:
    gaps = "".join(f"<li>{escape(g)}</li>" for g in KNOWN_GAPS)
    return _STATEMENT.format(style=PAGE_STYLE, gaps=gaps, reach=_reach(contact), tested=_tested(figures))


async def statement(request: Request) -> HTMLResponse:
    return HTMLResponse(render(_figures(), os.environ.get("CIRCLE_ACCESSIBILITY_CONTACT", "").strip()))


routes = [Route("/accessibility", statement, methods=["GET"])]
