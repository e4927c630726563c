"""One step of an exercise: the prompt, a form to answer it, and (once revealed) the model answer.

Used by participants on their own devices, and by the trainer to preview an exercise.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, forms, lens
from components.scale import scale
from components.text import plain
from db import training
from db.access import Actor
from db.errors import NotAllowed, NotValid
from db.training import Step


def prompt(step: Step, number: int, total: int | None = None) -> None:
    of = f" of {total}" if total else ""
    st.header(f"Step {number}{of}: {plain(step.title)}")
    st.markdown(plain(step.prompt))


def model_answer(step: Step) -> None:
    if not step.model_answer and not any(f.model for f in step.fields):
        return
    with st.container(border=True):
        st.markdown("**What the trainer would say**")
        for f in step.fields:
            if f.model:
                st.markdown(f"- {plain(f.label)}: **{plain(f.model)}**")
        if step.model_answer:
            st.markdown(plain(step.model_answer))


def answer_form(
    actor: Actor | None, run_id: int | None, index: int, step: Step, mine: dict, *, key: str
) -> None:
    """The questions of one step. With no run (a preview) the form only shows what people will see."""
    labels = {f.key: f.label for f in step.fields} | {"answer": "Your answer"}
    with st.form(key):
        values: dict = {}
        for f in step.fields:
            fkey = f"{key}_{f.key}"
            if f.type == "scale":
                if fkey not in st.session_state and f.key in mine:
                    st.session_state[fkey] = mine[f.key]
                values[f.key] = scale(f.label, key=fkey, low=f.low, high=f.high)
                st.caption(f"0 means {f.low} · 10 means {f.high}")
            elif f.type == "choice":
                options = list(f.options)
                current = mine.get(f.key)
                values[f.key] = st.radio(
                    f.label,
                    options,
                    index=options.index(current) if current in options else None,
                    key=fkey,
                    horizontal=len(options) <= 4,
                )
            else:
                values[f.key] = st.text_area(f.label, value=mine.get(f.key, ""), key=fkey, height=140)
        sent = st.form_submit_button(
            "Send my answer" if not mine else "Send my changed answer", type="primary"
        )
    if sent and actor is not None and run_id is not None:
        try:
            training.save_answer(actor, run_id, index, values)
            a11y.notice("Sent. The trainer's screen will pick it up in a few seconds.")
        except NotValid as problem:
            forms.show_problems(problem, labels)
        except NotAllowed as refused:
            st.warning(refused.message)
    # The lens looks at what was written in the fields that ask for it (the rewrite exercises).
    for f in step.fields:
        if f.type == "text" and f.lens:
            written = st.session_state.get(f"{key}_{f.key}") or mine.get(f.key, "")
            if written:
                lens.hint(written, key=f"{key}_{f.key}_lens", dismissible=True)
