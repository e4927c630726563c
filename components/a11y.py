"""What every screen needs so nobody is shut out: Circle's own navigation, and a few global
style fixes to how Streamlit draws things (WCAG 2.2 AA, checked by axe-core in
tests/test_accessibility_browser.py on every screen for every role).

Why Circle draws its own navigation: Streamlit 1.67's sidebar navigation puts its page links
in `<li>` elements that sit inside `<div>`s within the `<ul>` (one per section), so a
screen reader hears a broken list (axe: `list`, `listitem`, serious), and its links are
smaller than 24×24 px on a phone. Circle keeps `st.navigation(..., position="hidden")` for
routing and draws the same pages as `st.page_link`s in the sidebar, grouped under their
section's name: plain links a screen reader reads as links, each at least 44 px tall.

`notice()` stands in for `st.toast` (whose dialog has no accessible name in Streamlit 1.67,
and which vanishes before some people have read it): the message shows where the person
acted, as a status message a screen reader announces.

The style fixes (one `<style>` element, fixed text):
- focus is always visible: a 3 px outline on whatever has keyboard focus;
- `prefers-reduced-motion: reduce` turns animations, transitions and smooth scrolling off;
- Streamlit's "Link to heading" anchors are hidden (a screen reader's list of links would hold
  many of that one name, each going somewhere else);
- section headings are h2 (`st.header`) under the screen's h1, sized as Streamlit's h3 was, so
  levels never skip and the screens look as before;
- the segments of Streamlit's date and time fields (day, month, year, hour, minute) are at least
  24×24 px;
- on a phone (up to 640 px wide) text is at least 16 px, controls at least 44 px tall, and
  tables and code wrap to fit the screen rather than widening it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

NAV_KEY = "circle-nav"


# One <style> element, fixed text (the module docstring says what each rule is for).
_STYLE = """<style>
:focus-visible { outline: 3px solid #0b1214 !important; outline-offset: 2px !important; }
[data-testid="stPageLink-NavLink"]:focus-visible,
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible,
[role="tab"]:focus-visible, [role="radio"]:focus-visible, [role="checkbox"]:focus-visible,
[role="switch"]:focus-visible, [role="spinbutton"]:focus-visible, summary:focus-visible {
  outline: 3px solid #0b1214 !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #fbfaf7 !important;
}
/* A radio's or a checkbox's own input is hidden, and a chooser's input is tiny: outline what
   holds them while they have focus. */
label:has(input:focus-visible), [data-baseweb="select"]:has(input:focus-visible) {
  outline: 3px solid #0b1214 !important; outline-offset: 2px !important;
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {
    animation-duration: 0.01ms !important; animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important; scroll-behavior: auto !important;
  }
}
span[role="spinbutton"] {
  display: inline-block; min-width: 24px; min-height: 24px; line-height: 24px; text-align: center;
}
/* Streamlit's "Link to heading" anchors: many links with one name, each going somewhere else. */
[data-testid="stHeaderActionElements"] { display: none !important; }
[data-testid="stMain"] h2 { font-size: 1.75rem; }
[data-testid="stMain"] h3 { font-size: 1.4rem; }
[data-testid="stMain"] h4 { font-size: 1.2rem; }
.st-key-circle-nav [data-testid="stPageLink-NavLink"] { min-height: 44px; align-items: center; }
.st-key-circle-nav [data-testid="stCaptionContainer"] { margin-top: 0.5rem; }
/* Targets at least 24×24 px: a field's help (?) button, the tabs' scroll buttons, a slider's thumb. */
button[aria-label^="Help for"], [data-testid="stTabsScrollLeft"], [data-testid="stTabsScrollRight"] {
  min-width: 24px !important; min-height: 24px !important;
}
[data-testid="stSlider"] div[style*="translate(-50%, -50%)"] { min-width: 24px !important; min-height: 24px !important; }
.circle-statement a { display: inline-block; min-height: 44px; line-height: 44px; color: inherit; }
.circle-signout button { min-height: 44px !important; min-width: 44px !important; }
@media (max-width: 640px) {
  /* At least 16 px, and never smaller than what it sits in (1em keeps headings their size). */
  [data-testid="stAppViewContainer"] p, [data-testid="stAppViewContainer"] li,
  [data-testid="stAppViewContainer"] label, [data-testid="stAppViewContainer"] small,
  [data-testid="stAppViewContainer"] span, [data-testid="stAppViewContainer"] td,
  [data-testid="stAppViewContainer"] th, [data-testid="stAppViewContainer"] input,
  [data-testid="stAppViewContainer"] textarea, [data-testid="stAppViewContainer"] button,
  [data-testid="stAppViewContainer"] a, [data-testid="stCaptionContainer"],
  [data-testid="stCaptionContainer"] * { font-size: max(1em, 16px) !important; }
  [data-testid="stAppViewContainer"] button, [data-testid="stAppViewContainer"] [role="tab"],
  [data-testid="stAppViewContainer"] [data-testid="stPageLink-NavLink"] { min-height: 44px; }
  /* Every tab in view: the tab list wraps onto a second line rather than scrolling sideways. */
  [data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; }
  /* Tables fit the screen (a scrolling box would need keyboard focus of its own). */
  [data-testid="stTable"] table { table-layout: fixed; width: 100%; }
  [data-testid="stTable"] th, [data-testid="stTable"] td, [data-testid="stTable"] th *,
  [data-testid="stTable"] td * {
    white-space: normal !important; overflow-wrap: anywhere !important; word-break: break-word !important;
    min-width: 0 !important; max-width: 100%;
  }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 0.35rem 0.2rem !important; }
  [data-testid="stTable"] th > div, [data-testid="stTable"] td > div { display: block !important; }
  pre, code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
}
</style>"""


def style() -> None:
    """Circle's global accessibility styles; call once per run, before anything is drawn."""
    st.html(_STYLE)


def navigation(sections: Mapping[str, Sequence[st.Page]]) -> None:
    """The person's screens as links in the sidebar, under each section's name. Hidden
    pages (one case, one record) are routed but not listed."""
    with st.sidebar, st.container(key=NAV_KEY):
        for section, pages in sections.items():
            shown = [p for p in pages if p.visibility != "hidden"]
            if not shown:
                continue
            st.caption(section)
            for page in shown:
                st.page_link(page, label=page.title, icon=page.icon or None, width="stretch")
        st.html(
            '<p class="circle-statement"><a href="/accessibility" target="_self">Accessibility statement</a></p>'
        )


def notice(message: str, *, icon: str | None = None) -> None:
    """Say that something worked, where it happened, as a status message a screen reader
    announces. In place of st.toast: Streamlit 1.67's toast is a dialog whose name points at
    an element that doesn't exist (axe: aria-dialog-name), and it vanishes after a few seconds,
    before some people have read it."""
    st.success(message, icon=icon or ":material/check_circle:")
