"""Insights on screen: a chart with the stories behind it, and a short-lived, bounded cache
of the figures keyed by everything that scopes them."""

from __future__ import annotations

import streamlit as st

from components.text import plain
from db import insights
from db.access import Actor

# The README promises figures at most this many seconds old.
STALE_SECONDS = 5


@st.cache_data(ttl=STALE_SECONDS, max_entries=64, show_spinner=False)
def _figures(actor: Actor, filters: insights.Filters) -> dict:
    return insights.everything(actor, filters)


def cached(actor: Actor, filters: insights.Filters) -> dict:
    """Check access first (never from the cache), then read through the cache. The key is the
    person (role and teams included) and every filter, so nobody sees another's figures."""
    insights.check(actor, filters)
    return _figures(actor, filters)


def beside(chart, stories, heading: str, *, key: str) -> None:  # type: ignore[no-untyped-def]
    left, right = st.columns([3, 1]) if stories or heading else (st.container(), None)
    left.altair_chart(chart, key=key, width="stretch", height=360)
    if right is None:
        return
    right.markdown(f"**{plain(heading)}**")
    if not stories:
        right.caption("No reflections in this range yet.")
    for story in stories:
        right.caption(f"{story.when:%d %b} · {plain(story.case_reference or 'team')}")
        right.text(story.text if len(story.text) <= 220 else story.text[:217] + "...")
