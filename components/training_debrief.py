"""The debrief on the shared screen: how answers spread, and what people wrote, without names.

Charts are single-colour bars with the count written on each bar and the options named on
the axis, so they read without colour; each title says what it shows. The model choice is
marked in words ("the trainer's answer"), not by colour.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from components.text import plain
from db.training import Spread, StepDebrief

_BAR = "#2f6f73"


def _short(text: str, limit: int = 70) -> str:
    text = text.strip().strip("'‘’\"").rstrip(".:;,")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def spread_chart(spread: Spread, people: int, *, key: str, show_model: bool = True) -> None:
    f = spread.field
    if f.type == "scale":
        rows: list[dict[str, object]] = [{"Score": int(k), "People": n} for k, n in spread.counts]
        who = "person" if people == 1 else "people"
        title = f"How {people} {who} rated “{_short(f.label)}” (0 = {f.low}, 10 = {f.high})"
        base = alt.Chart(pd.DataFrame(rows), title=alt.Title(title, anchor="start", fontSize=17))
        bars = base.mark_bar(color=_BAR, size=22).encode(
            x=alt.X("Score:O", title="Score (0 to 10)", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("People:Q", title="People", axis=alt.Axis(tickMinStep=1)),
            tooltip=["Score:O", "People:Q"],
        )
        labels = base.mark_text(dy=-8, fontSize=14).encode(
            x="Score:O", y="People:Q", text=alt.condition("datum.People > 0", "People:Q", alt.value(""))
        )
        st.altair_chart((bars + labels).properties(height=220), height=260, key=key, alt=title)
        return
    rows = [
        {"Option": o + ("  (the trainer's answer)" if show_model and o == f.model else ""), "People": n}
        for o, n in spread.counts
    ]
    title = f"Where people placed “{_short(f.label)}”"
    base = alt.Chart(pd.DataFrame(rows), title=alt.Title(title, anchor="start", fontSize=17))
    bars = base.mark_bar(color=_BAR).encode(
        y=alt.Y(
            "Option:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelLimit=360, labelFontSize=15, labelOverlap=False),
        ),
        x=alt.X("People:Q", title="People", axis=alt.Axis(tickMinStep=1)),
        tooltip=["Option:N", "People:Q"],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=14).encode(
        y=alt.Y("Option:N", sort=None), x="People:Q", text="People:Q"
    )
    height = 42 * len(rows) + 30
    st.altair_chart((bars + labels).properties(height=height), height=height + 60, key=key, alt=title)


def step(debrief: StepDebrief, *, key: str, show_model: bool) -> None:
    st.header(f"Step {debrief.index + 1}: {plain(debrief.step.title)}")
    if not debrief.people:
        st.caption("Nobody has answered this step yet. Answers will show here as they arrive.")
        return
    st.caption(f"{debrief.people} {'person has' if debrief.people == 1 else 'people have'} answered.")
    for n, spread in enumerate(debrief.spreads):
        spread_chart(spread, debrief.people, key=f"{key}_chart_{n}", show_model=show_model)
    if debrief.texts:
        st.markdown("**What people wrote** (no names on the shared screen)")
        labels = list(dict.fromkeys(t.label for t in debrief.texts))
        for label in labels:
            if len(labels) > 1:
                st.markdown(f"*{plain(label)}*")
            for t in debrief.texts:
                if t.label == label:
                    with st.container(border=True):
                        st.caption(t.who)
                        st.text(t.text)
    if show_model and debrief.step.model_answer:
        with st.container(border=True):
            st.markdown("**What the trainer would say**")
            st.markdown(plain(debrief.step.model_answer))
