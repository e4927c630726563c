"""Induction exercises, from a new starter's own device: the case, the step the trainer has
opened, a form to answer it, and the model answer once the trainer reveals it."""

from __future__ import annotations

import streamlit as st

from components import fields, identity, training_step
from components.text import plain
from db import training
from db.access import Actor
from db.errors import NotAllowed

actor = identity.actor()
st.title("Induction exercises")
st.caption(
    "Practice on made-up families, with the rest of your cohort. Only your trainer sees your name next to "
    "your answers; on the shared screen answers show as Person A, Person B and so on."
)

runs = training.my_runs(actor)
if not runs:
    st.info(
        "When your trainer starts an exercise with your induction cohort, it will appear here "
        "and you can answer from this device.",
        icon=":material/school:",
    )
    st.stop()

labels = {
    r.run_id: f"{r.exercise_title} · {r.cohort_name} · "
    + ("happening now" if r.status == "open" else f"finished, {r.started_at:%d %b}")
    for r in runs
}
# By id: an exercise's label changes when the trainer finishes it; the same one stays chosen.
chosen = fields.choose("Which exercise?", labels, key="take_run")


@identity.live(run_every=3)
def live(who: Actor) -> None:
    # `who` is the sign-in checked afresh on this run: a revoked one never reaches here.
    try:
        view = training.taking_part(who, chosen)
    except NotAllowed as refused:
        st.warning(refused.message)
        return
    with st.expander("The case (made up for practice)", expanded=view.current_step == 0):
        st.text(view.vignette)
    if view.status != "open":
        st.caption("This exercise has finished. Here is what you sent, with what the trainer would say.")
    current = view.steps[view.current_step]
    _step(who, view, view.current_step, current, is_current=True)
    if view.current_step:
        st.markdown("**Earlier steps**")
        for index in range(view.current_step - 1, -1, -1):
            _step(who, view, index, view.steps[index], is_current=False)


def _step(
    who: Actor, view: training.ParticipantView, index: int, step: training.Step, *, is_current: bool
) -> None:
    with st.container(border=True):
        training_step.prompt(step, index + 1)
        mine = view.my_answers.get(index, {})
        if view.status == "open":
            training_step.answer_form(who, view.run_id, index, step, mine, key=f"take_{view.run_id}_{index}")
        elif mine:
            for f in step.fields:
                if f.key in mine:
                    st.caption(plain(f.label))
                    st.text(str(mine[f.key]))
        if index <= view.revealed_step:
            training_step.model_answer(step)
        elif is_current and view.status == "open":
            st.caption("Your trainer will share their thoughts on this step once people have answered.")


live()
