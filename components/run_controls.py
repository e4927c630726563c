"""The trainer's controls for a running exercise: moving through its steps, revealing the
model answer, finishing or reopening it, and their notes for the induction record.

Each saves through the data layer for the signed-in person and reruns; a move made on a
stale view is refused and says so, and refused notes keep every word.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, forms
from db import training
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.training import RunView


def _move(actor: Actor, view: RunView, **kwargs: object) -> None:
    try:
        training.move(actor, view.id, view.version, **kwargs)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
    except EditConflict as conflict:
        st.warning(conflict.message)
    except NotValid as problem:
        forms.show_problems(problem)


def steps(actor: Actor, view: RunView) -> None:
    """Back, reveal, next and finish while the run is open; open it again once finished."""
    total = len(view.exercise.steps)
    if view.status == "open":
        cols = st.columns(4)
        if cols[0].button(
            "Back a step", key="run_back", disabled=view.current_step == 0, icon=":material/arrow_back:"
        ):
            _move(actor, view, to_step=view.current_step - 1)
            st.rerun()
        if cols[1].button(
            "Reveal the answer", key="run_reveal", disabled=view.revealed, icon=":material/visibility:"
        ):
            _move(actor, view, reveal=True)
            st.rerun()
        if cols[2].button(
            "Next step",
            key="run_next",
            type="primary",
            disabled=view.current_step >= total - 1,
            icon=":material/arrow_forward:",
        ):
            _move(actor, view, to_step=view.current_step + 1)
            st.rerun()
        if cols[3].button("Finish the exercise", key="run_close", icon=":material/check_circle:"):
            _move(actor, view, close=True)
            st.rerun()
    else:
        st.info(
            "This exercise has finished. The debrief and your notes stay with the cohort.",
            icon=":material/check:",
        )
        if st.button("Open it again", key="run_reopen"):
            _move(actor, view, reopen=True)
            st.rerun()


def notes_form(actor: Actor, view: RunView) -> None:
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
