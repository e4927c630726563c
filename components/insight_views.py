"""Insights on screen: a chart with the stories behind it, and a short-lived, bounded cache
of the figures keyed by everything that scopes them."""

from __future__ import annotations

import streamlit as st

from components.text import plain
from db import insights
from db.access import Actor
from db.settings import get_settings

# The README promises figures at most this many seconds old.
STALE_SECONDS = 5


@st.cache_data(ttl=STALE_SECONDS, max_entries=64, show_spinner=False)
def _figures(database_url: str, actor: Actor, filters: insights.Filters) -> dict:
    return insights.everything(actor, filters)


def cached(actor: Actor, filters: insights.Filters) -> dict:
    """Check access first (never from the cache), then read through the cache. The key is the
    database, the person (role and teams included) and every filter, so nobody sees another's
    figures, nor figures from another database a process has used (tests, benchmarks)."""
    insights.check(actor, filters)
    return _figures(get_settings().database_url, actor, filters)


def beside(chart, stories, heading: str, *, key: str) -> None:
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
