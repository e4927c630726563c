"""The session room: the facilitator's calm, step-by-step view for the shared screen, and
each practitioner's view on their own device. What someone adds on their device shows on the
shared screen within a few seconds; when the shared screen moves on or closes, every device
follows (components/room.py says how, cheaply)."""

from __future__ import annotations

import streamlit as st

from components import case_file as case_file_view
from components import identity, room, room_controls, session_pick
from components.text import plain
from db import clock, sessions
from db.errors import NotAllowed

actor = identity.actor()
room.show_flash()

session_id = session_pick.chosen() or sessions.room_for(actor)
if session_id is None:
    st.title("Session room")
    st.info(
        "Your team has no session planned yet. When your supervisor plans one, the room opens here.",
        icon=":material/groups:",
    )
    st.page_link("pages/sessions.py", label="Go to Group supervision", icon=":material/event:")
    st.stop()
try:
    view = sessions.view(actor, session_id)
except NotAllowed as refused:
    st.title("Session room")
    st.warning(refused.message)
    st.stop()
session_pick.choose(session_id)  # in the URL: a refresh or a shared link lands here again

large = view.i_facilitate and st.session_state.get("room_large", True)
room.large_type(bool(large and view.status == "running"))
st.title("Session room")
st.caption(f"{plain(view.team_name)} · {clock.when(view.scheduled_for)}")

if view.status == "closed":
    st.info("This session has closed and its record is kept.", icon=":material/check_circle:")
    room.record_link(view)
    case_file_view.session_entries(actor, session_id, where="room")  # issue 17
    st.stop()

if not view.i_facilitate:
    room.participant(actor, view)
    st.stop()

# ------------------------------------------------------------------ the facilitator's view
people = sessions.team_people(actor, view.team_id)

if view.status == "planned":
    st.header("When everyone's settled")
    st.write(
        f"{len(view.items)} brought · {sum(a.attendance != 'apologies' for a in view.attendees)} expected"
    )
    room_controls.begin(actor, view)
    with st.expander("Someone has sent apologies, or is here already"):
        room.attendance_form(actor, view, people, key="room_attendance_planned")
    st.stop()

room_controls.steering(actor, view)

stage = view.current
item = view.item(stage.item_id)
headings = {
    "arrival": "How is everyone arriving today?",
    "actions": "Actions: what will happen, who, by when",
    "closing": "Closing round",
}
if stage.step == "check_ins" and item is not None:
    st.header(f"Relationship check-in: {plain(item.case_reference)}")
    st.caption(
        f"Brought by {plain(item.brought_by)} · a reflective prompt for the team, not a validated measure"
    )
elif stage.step == "discussion" and item is not None:
    st.header(f"{plain(item.case_reference or 'A theme')}: {plain(item.brought_by)}'s ask")
    st.text(item.ask)
else:
    st.header(headings.get(stage.step, sessions.STEP_LABELS[stage.step]))
if stage.step == "arrival":
    st.caption(
        "Each person says a number and, if they like, a word. Anyone can add theirs from their own device."
    )
elif stage.step == "closing":
    st.caption(
        "How was today for you? Everyone can add theirs from their own device. The shared screen shows "
        "the team's spread, not who said what."
    )

waiting = False
if stage.step == "check_ins" and item is not None and item.case_id is not None:
    waiting = not any(c.session_id == session_id for c in sessions.check_in_history(actor, item.case_id))
room.facilitator_live(view, waiting_for_check_in=waiting, large=bool(large))

if stage.step == "arrival":
    with st.expander("Add for someone in the room"):
        room.arrival_form(actor, view, people, for_room=True)
    with st.expander("Someone has sent apologies, or has just come in"):
        room.attendance_form(actor, view, people, key="room_attendance")

elif stage.step == "check_ins" and item is not None and item.case_id is not None:
    if waiting:
        with st.expander(f"Add {plain(item.brought_by)}'s check-in for them"):
            room.check_in_form(actor, view, item, item.brought_by_id, people, key=f"room_check_{item.id}")

elif stage.step == "discussion" and item is not None:
    room.discussion(actor, item, shared_screen=bool(large))

elif stage.step == "actions":
    room.actions_step(actor, view, people)

elif stage.step == "closing":
    with st.expander("Add for someone in the room"):
        room.closing_form(actor, view, people, for_room=True)
    st.divider()
    room_controls.close(actor, view)
