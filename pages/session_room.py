"""The session room: the facilitator's calm, step-by-step view for the shared screen, and
each practitioner's view on their own device. Entries appear on the shared screen within a
few seconds (the live parts refresh from the database)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import forms, identity, room, session_pick
from components.text import plain
from db import sessions
from db.errors import EditConflict, NotAllowed, NotValid

actor = identity.actor()
st.title("Session room")

session_id = session_pick.chosen()
if session_id is None:
    st.info(
        "Choose a session on the Group supervision screen first, then come back to the room.",
        icon=":material/groups:",
    )
    st.page_link("pages/sessions.py", label="Go to Group supervision", icon=":material/event:")
    st.stop()
try:
    view = sessions.view(actor, session_id)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

st.caption(f"{plain(view.team_name)} · {view.scheduled_for:%A %d %B, %H:%M} UTC")
if view.status == "closed":
    st.info("This session has closed and its record is kept.", icon=":material/check_circle:")
    st.page_link("pages/session_record.py", label="Read the record", icon=":material/description:")
    st.stop()

if not view.i_facilitate:
    room.participant(actor, view)
    st.stop()

# ------------------------------------------------------------------ the facilitator's view
large = st.toggle("Large type for the shared screen", value=True, key="room_large")
if large:
    room.large_type()

if view.status == "planned":
    st.subheader("When everyone's settled")
    st.write(
        f"{len(view.items)} brought · {sum(a.attendance != 'apologies' for a in view.attendees)} expected"
    )
    if st.button("Begin with the arrival round", type="primary", key="room_start"):
        try:
            sessions.start(actor, session_id, view.version)
        except EditConflict as conflict:
            st.warning(conflict.message)
        st.rerun()
    st.stop()


@st.fragment(run_every=timedelta(seconds=3))
def step_line() -> None:
    """Progress and time-box; refreshes so a second facilitator screen stays in step."""
    live = sessions.view(actor, session_id)
    room.progress(live)


step_line()
stage = view.current
item = view.item(stage.item_id)

nav = st.columns([1, 1, 2, 3])
if nav[0].button("Back", disabled=view.position == 0, key="room_back"):
    try:
        sessions.go_to(actor, session_id, view.version, view.position - 1)
    except EditConflict as conflict:
        st.toast(conflict.message)
    st.rerun()
if nav[1].button("Next", type="primary", disabled=view.position >= len(view.stages) - 1, key="room_next"):
    try:
        sessions.go_to(actor, session_id, view.version, view.position + 1)
    except EditConflict as conflict:
        st.toast(conflict.message)
    st.rerun()
if nav[2].button("Give it 5 more minutes", key="room_extend"):
    try:
        sessions.extend(actor, session_id, view.version, 5)
    except EditConflict as conflict:
        st.toast(conflict.message)
    st.rerun()

people = sessions.team_people(actor, view.team_id)
names = {p.id: p.name for p in people}

if stage.step == "arrival":
    st.header("How is everyone arriving today?")
    st.caption(
        "Each person says a number and, if they like, a word. Anyone can add theirs from their own device."
    )

    @st.fragment(run_every=timedelta(seconds=3))
    def arrival_circle() -> None:
        room.arrival_circle(sessions.arrivals(actor, session_id), view)

    arrival_circle()
    with st.expander("Add for someone in the room"):
        room.arrival_form(actor, view, people, for_room=True)

elif stage.step == "check_ins" and item is not None and item.case_id is not None:
    st.header(f"Relationship check-in: {plain(item.case_reference)}")
    st.caption(
        f"Brought by {plain(item.brought_by)} · a reflective prompt for the team, not a validated measure"
    )
    room.check_in_step(actor, view, item, people)

elif stage.step == "discussion" and item is not None:
    st.header(f"{plain(item.case_reference or 'A theme')}: {plain(item.brought_by)}'s ask")
    st.text(item.ask)
    room.discussion(actor, item)

elif stage.step == "actions":
    st.header("Actions: what will happen, who, by when")
    room.actions_step(actor, view, names)

elif stage.step == "closing":
    st.header("Closing round")
    st.caption("How was today for you? Everyone can add theirs from their own device.")

    @st.fragment(run_every=timedelta(seconds=3))
    def closing_circle() -> None:
        room.closing_circle(sessions.closings(actor, session_id), view)

    closing_circle()
    with st.expander("Add for someone in the room"):
        room.closing_form(actor, view, people, for_room=True)
    st.divider()
    sure = st.checkbox(
        "Everyone has had their say, and the notes and actions are as we agreed.", key="room_sure"
    )
    if st.button(
        "Close the session and keep the record", type="primary", disabled=not sure, key="room_close"
    ):
        try:
            sessions.close(actor, session_id, view.version)
            st.rerun()
        except NotValid as problem:
            forms.show_problems(problem)
        except EditConflict as conflict:
            st.warning(conflict.message)
