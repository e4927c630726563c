"""Group supervision: the team's sessions, planning the next one, and its agenda."""

from __future__ import annotations

from datetime import time, timedelta

import streamlit as st

from components import forms, identity, session_pick
from components.text import plain
from db import sessions
from db.access import supervised_team_ids
from db.clock import utcnow
from db.errors import NotAllowed, NotValid

actor = identity.actor()
st.title("Group supervision")
st.caption(
    "Your team's weekly circle: plan it, bring what you'd like the team to think about with you, and keep the record."
)

lines = sessions.sessions_for(actor, limit=30)
my_teams = {m.team_id: m.team_name for m in actor.memberships}
facilitated = [t for t in supervised_team_ids(actor) if t in my_teams]

if facilitated:
    with st.expander("Plan a session", expanded=not any(line.status != "closed" for line in lines)):
        team_id = st.selectbox("Team", facilitated, format_func=my_teams.get, key="sessions_plan_team")
        suggested = sessions.suggested_next(actor, team_id)
        with st.form("sessions_plan"):
            day = st.date_input("Date", value=suggested.date(), format="DD/MM/YYYY")
            start = st.time_input(
                "Starts at (UTC)", value=suggested.time().replace(tzinfo=None), step=timedelta(minutes=15)
            )
            duration = st.number_input("How long (minutes)", min_value=30, max_value=180, value=90, step=15)
            weekly = st.checkbox("This is our weekly session", value=True)
            if st.form_submit_button("Plan this session", type="primary"):
                try:
                    new_id = sessions.plan(
                        actor,
                        team_id,
                        day=day,
                        start=start if isinstance(start, time) else None,
                        duration_minutes=int(duration),
                        recurs_weekly=weekly,
                    )
                    session_pick.choose(new_id)
                    st.toast("Planned. Everyone in the team is expected until they send apologies.")
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(
                        problem, {"day": "Date", "start": "Starts at", "duration_minutes": "How long"}
                    )

if not lines:
    st.info(
        "No sessions yet. When your supervisor plans the team's next group supervision, it will show here, "
        "and you can add what you'd like to bring.",
        icon=":material/event:",
    )
    st.stop()

labels = {
    line.id: f"{line.scheduled_for:%a %d %b %Y, %H:%M} · {line.team_name} · "
    + {"planned": "planned", "running": "happening now", "closed": "record kept"}.get(
        line.status, line.status
    )
    + f" · {line.items} brought"
    for line in lines
}
current = session_pick.chosen()
ids = list(labels)
picked = st.selectbox(
    "Which session?",
    ids,
    index=ids.index(current) if current in ids else 0,
    format_func=labels.get,
    key="sessions_list",
)
session_pick.choose(picked)

try:
    view = sessions.view(actor, picked)
    agenda = sessions.agenda(actor, picked)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

with st.container(border=True):
    st.subheader(f"{view.scheduled_for:%A %d %B, %H:%M} UTC · {plain(view.team_name)}")
    st.caption(
        f"{view.duration_minutes} minutes · facilitated by {plain(view.facilitator or 'the supervisor')}"
    )
    cols = st.columns(3)
    if view.status == "closed":
        cols[0].page_link("pages/session_record.py", label="Read the record", icon=":material/description:")
    else:
        cols[0].page_link(
            "pages/session_room.py",
            label="Open the session room" if view.i_facilitate else "Join from your device",
            icon=":material/groups:",
        )
        if view.status == "running":
            cols[1].page_link(
                "pages/session_record.py", label="See the record so far", icon=":material/description:"
            )

st.subheader("Who's coming")
me = next((a for a in view.attendees if a.person_id == actor.person_id), None)
st.dataframe(
    [
        {
            "Name": a.name,
            "": {"expected": "expected", "present": "here", "apologies": "sent apologies"}[a.attendance],
        }
        for a in view.attendees
    ],
    hide_index=True,
    width="stretch",
)
if me and view.status == "planned":
    if me.attendance != "apologies" and st.button(
        "I can't make this one (send apologies)", key="sessions_apologies"
    ):
        sessions.set_attendance(actor, picked, actor.person_id, "apologies")
        st.rerun()
    if me.attendance == "apologies" and st.button("I can come after all", key="sessions_coming"):
        sessions.set_attendance(actor, picked, actor.person_id, "expected")
        st.rerun()

st.subheader("What people are bringing")
if agenda.items:
    for item in agenda.items:
        with st.container(border=True):
            about = plain(item.case_reference) if item.case_reference else "A theme"
            st.markdown(
                f"**{about}** · brought by {plain(item.brought_by)} · about {item.time_box_minutes} minutes · "
                f"{sessions.KIND_LABELS.get(item.kind, item.kind).lower()}"
            )
            st.text(item.ask)
            if view.status == "planned" and (item.brought_by_id == actor.person_id or view.i_facilitate):
                if st.button("Take this off the agenda", key=f"sessions_withdraw_{item.id}"):
                    sessions.withdraw(actor, item.id)
                    st.rerun()
else:
    st.caption("Nothing yet. What would you like the team to help you think about?")

if view.status != "closed":
    cases = dict(sessions.team_cases(actor, view.team_id))
    with st.form("sessions_bring"):
        st.markdown("**Bring something to this session**")
        case_id = st.selectbox(
            "Which child or family? (or a theme for the team)",
            [None, *cases],
            format_func=lambda c: "A theme, not one family" if c is None else cases[c],
            key="sessions_bring_case",
        )
        ask = st.text_area(
            "Your ask of the team",
            key="sessions_bring_ask",
            max_chars=600,
            placeholder="I'd like the team to help me think about…",
        )
        kind = st.radio(
            "What kind of conversation is it?",
            list(sessions.KIND_LABELS),
            format_func=sessions.KIND_LABELS.get,
            horizontal=True,
            key="sessions_bring_kind",
        )
        minutes = st.number_input(
            "About how many minutes?",
            min_value=3,
            max_value=60,
            value=10,
            step=1,
            key="sessions_bring_minutes",
        )
        if st.form_submit_button("Add to the agenda"):
            try:
                sessions.bring(
                    actor, picked, case_id=case_id, ask=ask, kind=kind, time_box_minutes=int(minutes)
                )
                st.toast("Added. The team will see your ask before the session.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "ask": "Your ask",
                        "case_id": "Child or family",
                        "time_box_minutes": "Minutes",
                        "kind": "Kind of conversation",
                    },
                )

st.subheader("Carried from earlier sessions")
if agenda.carried_actions:
    today = utcnow().date()
    st.dataframe(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "For": a.case_reference or "the team",
                "By": f"{a.due_on:%d %b %Y}",
                "": "past its date" if a.due_on < today else "",
            }
            for a in agenda.carried_actions
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("No open actions from earlier sessions.")
if agenda.reviews_due:
    st.markdown("**Worries the team is holding that are due a review by this session**")
    for r in agenda.reviews_due:
        st.markdown(
            f"- {plain(r.case_reference or 'A team-level worry')}: review {r.next_review_on:%d %b} · "
            f"held by {plain(', '.join(r.holders))}"
        )
