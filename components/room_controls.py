"""The facilitator's controls in the session room: beginning the session, moving between
steps, giving a step more time, and closing with the record kept.

Each control saves through the data layer with the signed-in actor and shows the outcome
(docs/architecture.md: the component that draws a control saves it). A move made on a stale
view (someone else moved the room on) is refused by the data layer and said in the room."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from components import forms
from components.room_forms import flash
from db import sessions
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.sessions import SessionView


def begin(actor: Actor, view: SessionView) -> None:
    """The planned session's one button: start with the arrival round."""
    if st.button("Begin with the arrival round", type="primary", key="room_start"):
        try:
            sessions.start(actor, view.id, view.version)
        except EditConflict as conflict:
            st.warning(conflict.message)
        st.rerun()


def steering(actor: Actor, view: SessionView) -> None:
    """Back, Next, five more minutes, and large type for the shared screen."""
    nav = st.columns([1, 1, 2, 3], vertical_alignment="center")
    if nav[0].button("Back", disabled=view.position == 0, key="room_back"):
        _moved(lambda: sessions.go_to(actor, view.id, view.version, view.position - 1))
    last = view.position >= len(view.stages) - 1
    if nav[1].button("Next", type="primary", disabled=last, key="room_next"):
        _moved(lambda: sessions.go_to(actor, view.id, view.version, view.position + 1))
    if nav[2].button("Give it 5 more minutes", key="room_extend"):
        _moved(lambda: sessions.extend(actor, view.id, view.version, 5))
    nav[3].toggle("Large type for the shared screen", value=True, key="room_large")


def _moved(move: Callable[[], object]) -> None:
    """Make a move (a sessions command, its arguments bound); a refusal is said in the room."""
    try:
        move()
    except EditConflict as conflict:
        flash(conflict.message)
    st.rerun()


def close(actor: Actor, view: SessionView) -> None:
    """Close the session once everyone has had their say; the record is kept as it is."""
    sure = st.checkbox(
        "Everyone has had their say, and the notes and actions are as we agreed.", key="room_sure"
    )
    if st.button(
        "Close the session and keep the record", type="primary", disabled=not sure, key="room_close"
    ):
        try:
            sessions.close(actor, view.id, view.version)
            st.rerun()
        except NotValid as problem:
            forms.show_problems(problem)
        except EditConflict as conflict:
            st.warning(conflict.message)
