"""One-to-one supervision: a practitioner and their supervisor, planned, held, closed and kept.

The one-to-one being looked at lives in the URL (?one_to_one=ID)."""

from __future__ import annotations

import streamlit as st

from components import fields, identity
from components import one_to_one as o2o
from components.text import plain
from db import clock, one_to_one
from db.errors import NotAllowed

actor = identity.actor()
st.title("One-to-one supervision")
o2o.show_flash()

if actor.role == "supervisor":
    with st.expander("Plan a one-to-one", icon=":material/event:"):
        o2o.plan_form(actor)

lines = one_to_one.mine(actor)
if not lines:
    st.info(
        "Your one-to-ones with your supervisor will show here once one is planned: time that is yours, "
        "for the children and families you'd like to think about and for how you are."
        if actor.role == "practitioner"
        else "Plan a one-to-one with a practitioner above; it will show here for you both.",
        icon=":material/forum:",
    )
    st.stop()

options = {line.id: o2o.line_label(line, actor) for line in lines}
chosen = fields.choose("Which one-to-one?", options, key="o2o_pick", param=o2o.PARAM)
try:
    view = one_to_one.view(actor, chosen)
    mine = one_to_one.private(actor, chosen)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

other = view.practitioner if actor.person_id == view.supervisor_id else view.supervisor
st.header(f"With {plain(other)}")
st.caption(
    f"{clock.when(view.scheduled_for)} · {view.duration_minutes} minutes · "
    f"{o2o.STATUS_WORDS[view.status].lower()}"
    + (f" · every {view.recurs_every_weeks} weeks" if view.recurs_every_weeks else "")
)

if view.is_closed:
    o2o.record(actor, view, mine)
    st.stop()

part = (
    st.segmented_control(
        "Where are we?",
        ["Arriving", "Children and families", "Wellbeing and development", "Actions", "Closing"],
        default="Arriving",
        key=f"o2o_part_{view.id}",
    )
    or "Arriving"
)
if part == "Arriving":
    o2o.arrival(actor, view, mine)
elif part == "Children and families":
    o2o.cases(actor, view)
elif part == "Wellbeing and development":
    o2o.wellbeing(actor, view, mine)
elif part == "Actions":
    o2o.actions(actor, view)
else:
    o2o.closing(actor, view, mine)
