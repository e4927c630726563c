"""Everything the team has done with a family, newest first."""

from __future__ import annotations

import streamlit as st

from components.text import plain
from db.cases import TimelineEvent

ICONS = {
    "check_in": ":material/forum:",
    "mapping": ":material/map:",
    "risk": ":material/handshake:",
    "risk_review": ":material/fact_check:",
    "action": ":material/task_alt:",
    "discussion": ":material/groups:",
}


def show(events: list[TimelineEvent], *, more_key: str, limit: int) -> None:
    if not events:
        st.info(
            "Nothing has happened here yet. Relationship check-ins, mapping changes, worries held "
            "together, actions and group supervision discussions about this family will appear here, "
            "newest first.",
            icon=":material/timeline:",
        )
        return
    for e in events:
        with st.container(border=True):
            st.markdown(f"{ICONS.get(e.kind, '')} **{e.title}** · {e.at:%d %b %Y} · {plain(e.who)}")
            st.caption(plain(e.detail))
    if len(events) >= limit:
        if st.button("Show earlier events", key=more_key, icon=":material/expand_more:"):
            st.session_state[more_key + "_limit"] = limit + 40
            st.rerun()
