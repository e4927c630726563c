"""A small trend of a case's relationship check-ins: one line per item, told apart by line
style as well as colour, with a title that says what it shows."""

from __future__ import annotations

import copy
import functools

import altair as alt
import streamlit as st

from db import clock
from db.sessions import CHECK_IN_ITEMS, CheckIn, Drop

# The shared screen's large type: labels the back of the room can read.
_LARGE = {
    "config": {
        "axis": {"labelFontSize": 18, "titleFontSize": 18},
        "legend": {"labelFontSize": 18},
        "title": {"fontSize": 22},
    }
}


def check_in_trend(history: tuple[CheckIn, ...], *, key: str, large: bool = False) -> None:
    if len(history) < 2:
        st.caption("The trend appears after a second check-in.")
        return
    rows = [
        {"When": clock.local(c.created_at).date().isoformat(), "Item": label, "Score": getattr(c, item)}
        for c in history
        for item, label in CHECK_IN_ITEMS.items()
    ]
    spec = {**copy.deepcopy(_trend_spec()), "data": {"values": rows}, **(_LARGE if large else {})}
    st.vega_lite_chart(spec, key=key, height=340 if large else 300)


@functools.cache
def _trend_spec() -> dict:
    """The chart's shape, built once by Altair (its checks run once, not on every rerun); each
    draw adds only the check-ins."""
    return (
        alt.Chart(
            alt.NamedData("check_ins"), title="How the relationship has felt at each check-in (0 to 10)"
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("When:T", title=None, axis=alt.Axis(format="%d %b")),
            y=alt.Y("Score:Q", scale=alt.Scale(domain=[0, 10]), title=None),
            color=alt.Color("Item:N", legend=alt.Legend(orient="right", title=None, labelLimit=320)),
            strokeDash=alt.StrokeDash("Item:N", legend=None),
            shape=alt.Shape("Item:N", legend=None),
            tooltip=["When:T", "Item:N", "Score:Q"],
        )
        .properties(height=240)
        .to_dict()
    )


def drop_notes(drops: tuple[Drop, ...]) -> None:
    for d in drops:
        st.warning(
            f"{d.item} has moved from {d.before} to {d.now} since last time. "
            "What has changed, and what might help?",
            icon=":material/trending_down:",
        )
