"""A gentle, dismissible hint under free text: words worth a second look, kinder words, and why.

Call `hint(text, key)` under a text area (or after a save) on any screen. It never changes
what someone wrote; it suggests, and the person can put the hint away. The words come from
`db.language_lens` plus the signed-in person's teams' own words.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from components.text import plain
from db import language_lens
from db.access import Actor
from db.language_lens import Hint

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
