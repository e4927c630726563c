"""Induction and training: the trainer's cohorts of new starters and the exercise library.

Everything here is practice on made-up families; no team's records are reachable from it.
"""

from __future__ import annotations

import streamlit as st

from components import fields, identity, training_cohort, training_library
from components.text import plain
from db import training
from db.errors import NotAllowed

actor = identity.actor()
st.title("Induction and training")
st.caption(
    "Practice exercises on made-up families, run live with your cohort of new starters, and carried into "
    "their first group supervisions. Nothing here touches a team's real records."
)

cohorts_tab, library_tab = st.tabs(["Your cohorts", "Exercise library"])

with cohorts_tab:
    lines = training.cohorts(actor)
    with st.expander("Start a new cohort", expanded=not lines):
        training_cohort.create_form(actor)
    if not lines:
        st.info(
            "You have no cohorts yet. Start one for your next group of new starters; you can add people "
            "with Circle accounts, or share a join code.",
            icon=":material/school:",
        )
    else:
        labels = {
            c.id: f"{c.name} · from {c.starts_on:%d %b %Y} · {c.members} new starters"
            + ("" if c.status == "active" else " · finished")
            for c in lines
        }
        if st.session_state.get("cohort_pick") in labels:  # e.g. a cohort just started below
            st.session_state["cohort_choice__chosen"] = st.session_state["cohort_pick"]
        # By id: adding someone changes the label, and the same cohort must stay chosen.
        chosen = fields.choose("Which cohort?", labels, key="cohort_choice")
        st.session_state["cohort_pick"] = chosen
        try:
            view = training.cohort(actor, chosen)
        except NotAllowed as refused:
            st.warning(refused.message)
            st.stop()
        st.header(plain(view.name))
        training_cohort.join_code(actor, view)
        training_cohort.members(actor, view)
        training_cohort.runs(actor, view)
        training_cohort.into_supervision(actor, view)
        training_cohort.notes(actor, view)
        training_cohort.record(actor, view)

with library_tab:
    training_library.show(actor)
