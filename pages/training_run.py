"""Running an exercise with a cohort, on the trainer's shared screen: one step at a time,
answers arriving live, the model answer revealed when the trainer chooses, and the debrief."""

from __future__ import annotations

import streamlit as st

from components import a11y, forms, identity, training_debrief, training_step
from components.room import large_type
from components.text import plain
from db import training
from db.access import Actor
from db.errors import EditConflict, NotAllowed, NotValid

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


def _move(**kwargs: object) -> None:
    try:
        training.move(actor, view.id, view.version, **kwargs)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
    except EditConflict as conflict:
        st.warning(conflict.message)
    except NotValid as problem:
        forms.show_problems(problem)


with live_tab:
    total = len(view.exercise.steps)
    with st.expander("The case", expanded=view.current_step == 0):
        st.text(view.exercise.vignette)
    training_step.prompt(view.step, view.current_step + 1, total)
    for f in view.step.fields:
        st.markdown(f"- {plain(f.label)}")

    @identity.live(run_every=3)
    def answers_so_far(who: Actor) -> None:
        fresh = training.run(who, run_id)  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
        answered = fresh.answered[fresh.current_step]
        st.header(f"{answered} of {fresh.members} have answered this step")
        if fresh.version != view.version:
            st.caption("The run has moved on in another window.")

    answers_so_far()
    if view.revealed:
        training_step.model_answer(view.step)

    if view.status == "open":
        cols = st.columns(4)
        if cols[0].button(
            "Back a step", key="run_back", disabled=view.current_step == 0, icon=":material/arrow_back:"
        ):
            _move(to_step=view.current_step - 1)
            st.rerun()
        if cols[1].button(
            "Reveal the answer", key="run_reveal", disabled=view.revealed, icon=":material/visibility:"
        ):
            _move(reveal=True)
            st.rerun()
        if cols[2].button(
            "Next step",
            key="run_next",
            type="primary",
            disabled=view.current_step >= total - 1,
            icon=":material/arrow_forward:",
        ):
            _move(to_step=view.current_step + 1)
            st.rerun()
        if cols[3].button("Finish the exercise", key="run_close", icon=":material/check_circle:"):
            _move(close=True)
            st.rerun()
    else:
        st.info(
            "This exercise has finished. The debrief and your notes stay with the cohort.",
            icon=":material/check:",
        )
        if st.button("Open it again", key="run_reopen"):
            _move(reopen=True)
            st.rerun()

with debrief_tab:
    st.caption(
        "How the cohort's answers spread, step by step. Answers show as Person A, Person B and so on, so this "
        "is safe for the shared screen."
    )
    show_model = st.toggle("Show the model answers", value=True, key="run_debrief_models")

    @identity.live(run_every=5)
    def spreads(who: Actor) -> None:
        for d in training.debrief(who, run_id):  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            training_debrief.step(d, key=f"run_{run_id}_{d.index}", show_model=show_model)

    spreads()

with notes_tab:
    st.caption("Notes for the induction record: what came up, who might need more time with what.")
    with st.form("run_notes"):
        notes = st.text_area("Your notes on this run", value=view.trainer_notes, height=180)
        if st.form_submit_button("Save notes"):
            try:
                training.save_run_notes(actor, view.id, notes=notes, version=view.version)
                a11y.notice("Notes saved.")
            except NotValid as problem:
                forms.show_problems(problem, {"notes": "Your notes"})
            except EditConflict as conflict:
                forms.show_conflict(conflict, {"notes": "Notes saved now"})
