"""Running an exercise with a cohort, on the trainer's shared screen: one step at a time,
answers arriving live, the model answer revealed when the trainer chooses, and the debrief."""

from __future__ import annotations

import streamlit as st

from components import identity, run_controls, training_debrief, training_step
from components.room import large_type
from components.text import plain
from db import training
from db.access import Actor
from db.errors import NotAllowed

RUN_KEY = "training_run_id"

actor = identity.actor()
st.title("Running an exercise")

run_id = st.session_state.get(RUN_KEY)
if not isinstance(run_id, int):
    st.info(
        "Start an exercise from one of your cohorts on the Induction and training screen; it opens here, "
        "ready for the shared screen.",
        icon=":material/co_present:",
    )
    st.page_link("pages/training.py", label="Go to your cohorts", icon=":material/school:")
    st.stop()

try:
    view = training.run(actor, run_id)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

large_type(st.toggle("Large type for the projector", value=True, key="run_large"))
st.caption(f"{plain(view.exercise.title)} · {plain(view.cohort_name)}")

live_tab, debrief_tab, notes_tab = st.tabs(["Live", "Debrief", "Your notes"])


with live_tab:
    total = len(view.exercise.steps)
    with st.expander("The case", expanded=view.current_step == 0):
        st.text(view.exercise.vignette)
    training_step.prompt(view.step, view.current_step + 1, total)
    for f in view.step.fields:
        st.markdown(f"- {plain(f.label)}")

    @identity.live(run_every=3)
    def answers_so_far(who: Actor) -> None:
        fresh = training.run(who, run_id)  # type: ignore[arg-type]  # the page stopped above when it is None; mypy drops that narrowing inside a nested function
        answered = fresh.answered[fresh.current_step]
        st.header(f"{answered} of {fresh.members} have answered this step")
        if fresh.version != view.version:
            st.caption("The run has moved on in another window.")

    answers_so_far()
    if view.revealed:
        training_step.model_answer(view.step)

    run_controls.steps(actor, view)

with debrief_tab:
    st.caption(
        "How the cohort's answers spread, step by step. Answers show as Person A, Person B and so on, so this "
        "is safe for the shared screen."
    )
    show_model = st.toggle("Show the model answers", value=True, key="run_debrief_models")

    @identity.live(run_every=5)
    def spreads(who: Actor) -> None:
        for d in training.debrief(who, run_id):  # type: ignore[arg-type]  # the page stopped above when it is None; mypy drops that narrowing inside a nested function
            training_debrief.step(d, key=f"run_{run_id}_{d.index}", show_model=show_model)

    spreads()

with notes_tab:
    st.caption("Notes for the induction record: what came up, who might need more time with what.")
    run_controls.notes_form(actor, view)
