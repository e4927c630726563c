"""A gentle, dismissible hint under free text: words worth a second look, kinder words, and why.

Call `hint(text, key)` under a text area (or after a save) on any screen. It never changes
what someone wrote; it suggests, and the person can put the hint away. The words come from
`db.language_lens` plus the signed-in person's teams' own words, which the team's
supervisor adds and takes off with `team_words_editor`.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from components import a11y, forms
from components.text import plain
from db import language_lens
from db.access import Actor
from db.errors import NotValid
from db.language_lens import Hint, TeamTermLine

_DISMISSED = "lens_dismissed"


def _actor() -> Actor | None:
    found = st.session_state.get("circle_actor")
    return found if isinstance(found, Actor) else None


def _fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def describe(h: Hint) -> str:
    """One line for a hint, in markdown-safe text."""
    others = " or ".join(f"“{plain(a)}”" for a in h.alternatives[:3])
    where = " (a word your team added)" if h.team_term else ""
    return f"**{plain(h.text)}**{where}: you might say {others}. {plain(h.why)}"


def hints(text: str, *, team_id: int | None = None) -> list[Hint]:
    actor = _actor()
    if actor is None:
        return language_lens.find(text)
    return language_lens.hints_for(actor, text, team_id)


def hint(text: str, key: str, *, team_id: int | None = None, dismissible: bool = True) -> list[Hint]:
    """Show the lens's suggestions for `text` (nothing when there are none or it was put away)."""
    found = hints(text or "", team_id=team_id)
    if not found:
        return found
    dismissed: dict[str, str] = st.session_state.setdefault(_DISMISSED, {})
    if dismissed.get(key) == _fingerprint(text):
        return found
    with st.container(border=True, key=f"lens_{key}"):
        st.caption(
            "A second look at some words, if it helps. Nothing has been changed; "
            "preferences differ, so ask the child or family what they call things."
        )
        for h in found[:6]:
            st.markdown(describe(h))
        if len(found) > 6:
            st.caption(f"And {len(found) - 6} more.")
        if dismissible and st.button("Put this hint away", key=f"lens_hide_{key}", type="tertiary"):
            dismissed[key] = _fingerprint(text)
            st.rerun()
    return found


def team_words_editor(actor: Actor, team_id: int, terms: tuple[TeamTermLine, ...]) -> None:
    """Adding a word to the team's own list, and taking one off (for the team's supervisor)."""
    with st.form("language_add"):
        term = st.text_input("A word or phrase to notice", key="language_add_term")
        alternatives = st.text_area("Kinder words (one per line)", key="language_add_alternatives")
        why = st.text_input("Why it matters, in a line", key="language_add_why")
        if st.form_submit_button("Add to our words"):
            try:
                language_lens.add_team_term(actor, team_id, term=term, alternatives=alternatives, why=why)
                a11y.notice("Added. The team will see it as a hint from now on.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(
                    problem, {"term": "The word", "alternatives": "Kinder words", "why": "Why it matters"}
                )
    if terms:
        names = {t.id: t.term for t in terms}
        cols = st.columns([3, 1], vertical_alignment="bottom")
        gone = cols[0].selectbox("Take a word off the list", list(names), format_func=names.__getitem__)
        if cols[1].button("Take it off", key="language_remove"):
            language_lens.remove_team_term(actor, gone)
            st.rerun()
