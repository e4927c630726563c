"""Insights on screen: a chart with the stories behind it, and a short-lived, bounded cache
of the figures keyed by everything that scopes them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components import insight_charts
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


@st.cache_data(ttl=STALE_SECONDS, max_entries=256, show_spinner=False)
def _spec(chart: str, figures: tuple[pd.DataFrame, ...]) -> dict:
    """A chart's Vega-Lite specification, built (and checked by Altair) once for the same
    figures: building and checking a layered chart costs more than the rest of the page. Kept
    no longer than the figures themselves, like every per-process cache (README)."""
    return getattr(insight_charts, chart)(*figures).to_dict()


def beside(
    chart: str, figures: tuple[pd.DataFrame, ...], stories: Sequence[Any], heading: str, *, key: str
) -> None:
    """`insight_charts.<chart>(*figures)` with the stories behind it in a narrow column."""
    left, right = st.columns([3, 1]) if stories or heading else (st.container(), None)
    left.vega_lite_chart(_spec(chart, figures), key=key, width="stretch", height=360)
    if right is None:
        return
    right.markdown(f"**{plain(heading)}**")
    if not stories:
        right.caption("No reflections in this range yet.")
    for story in stories:
        right.caption(f"{story.when:%d %b} · {plain(story.case_reference or 'team')}")
        right.text(story.text if len(story.text) <= 220 else story.text[:217] + "...")
