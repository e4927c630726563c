"""Group supervision: the team's sessions, planning the next one, and its agenda."""

from __future__ import annotations

from datetime import time, timedelta

import streamlit as st

from components import fields, forms, identity, room, session_pick, text
from components import notifications as notify_view
from components.text import plain
from db import clock, sessions
from db.access import supervised_team_ids
from db.errors import NotAllowed, NotValid

actor = identity.actor()
room.show_flash()
st.title("Group supervision")
st.caption(
    "Your team's weekly circle: plan it, bring what you'd like the team to think about with you, and keep the record."
)

lines = sessions.sessions_for(actor, limit=30)
my_teams = {m.team_id: m.team_name for m in actor.memberships}
facilitated = [t for t in supervised_team_ids(actor) if t in my_teams]

if facilitated:
    with st.expander("Plan a session", expanded=not any(line.status != "closed" for line in lines)):
        team_id = st.selectbox("Team", facilitated, format_func=my_teams.get, key="sessions_plan_team")  # type: ignore[arg-type]  # Streamlit's option type is inferred from format_func=dict.get and collapses to Never; dict.get as format_func: every option is one of the dict's keys
        suggested = clock.local(sessions.suggested_next(actor, team_id))  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
        today = clock.today()
        with st.form("sessions_plan"):
            day = fields.date(
                "Date",
                value=suggested.date(),
                key="sessions_plan_day",
                earliest=today - timedelta(days=1),
                latest=today + timedelta(days=366),
            )
            start = st.time_input(
                "Starts at",
                value=suggested.time().replace(tzinfo=None),
                step=timedelta(minutes=15),
                key="sessions_plan_start",
                help="UK time, as your calendar shows it.",
            )
            duration = fields.whole_number(
                "How long (minutes)", key="sessions_plan_length", value=90, low=30, high=180
            )
            weekly = st.checkbox("This is our weekly session", value=True, key="sessions_plan_weekly")
            if st.form_submit_button("Plan this session", type="primary"):
                try:
                    new_id = sessions.plan(
                        actor,
                        team_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                        day=day,  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                        start=start if isinstance(start, time) else None,
                        duration_minutes=duration,  # type: ignore[arg-type]  # Checks collects problems and refuses before any write: a required value is not None here
                        recurs_weekly=weekly,
                    )
                    # Show the session just planned, not the one that was open before.
                    session_pick.choose(new_id)
                    st.session_state.pop("sessions_list", None)
                    room.flash("Planned. Everyone in the team is expected until they send apologies.")
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(
                        problem,
                        {"day": "Date", "start": "Starts at", "duration_minutes": "How long (minutes)"},
                    )

if not lines:
    st.info(
        "No sessions yet. When your supervisor plans the team's next group supervision, it will show here, "
        "and you can add what you'd like to bring.",
        icon=":material/event:",
    )
    st.stop()

labels = {
    line.id: f"{clock.when(line.scheduled_for, '%a %d %b %Y, %H:%M')} · {line.team_name} · "
    + {"planned": "planned", "running": "happening now", "closed": "record kept"}.get(
        line.status, line.status
    )
    + f" · {line.items} brought"
    for line in lines
}
current = session_pick.chosen()
ids = list(labels)
if current is not None and current not in ids:
    ids.insert(0, current)  # an older session from a link: the data layer decides if it opens
# The chooser follows the URL (a link, refresh, back and forward) and the URL follows the
# chooser (its change callback writes the URL before this script runs).
if st.session_state.get("sessions_list") != (current if current is not None else ids[0]):
    st.session_state["sessions_list"] = current if current is not None else ids[0]
picked = st.selectbox(
    "Which session?",
    ids,
    format_func=lambda i: labels.get(i, "A session from a link"),
    key="sessions_list",
    on_change=lambda: session_pick.choose(st.session_state["sessions_list"]),
)
session_pick.choose(picked)

try:
    view = sessions.view(actor, picked)
    agenda = sessions.agenda(actor, picked)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

with st.container(border=True):
    st.header(f"{clock.when(view.scheduled_for)} · {plain(view.team_name)}")
    st.caption(
        f"{view.duration_minutes} minutes · facilitated by {plain(view.facilitator or 'the supervisor')}"
    )
    cols = st.columns(3)
    if view.status == "closed":
        with cols[0]:
            room.record_link(view)
    else:
        cols[0].page_link(
            "pages/session_room.py",
            label="Open the session room" if view.i_facilitate else "Join from your device",
            icon=":material/groups:",
            query_params=session_pick.params(view.id),
        )
        if view.status == "running":
            with cols[1]:
                room.record_link(view, "See the record so far")
    asked = view.asked_minutes()
    if sum(asked.values()) > view.duration_minutes:
        st.info(
            f"What's planned adds up to {sum(asked.values())} minutes of a {view.duration_minutes}-minute "
            "session, so each part's time-box has been shortened to fit. You could make the session longer, "
            "give items fewer minutes, or bring something next time.",
            icon=":material/schedule:",
        )
    # Calendars, and moving or cancelling a planned session (issue 17).
    notify_view.session_controls(actor, view)

st.header("Who's coming")
me = next((a for a in view.attendees if a.person_id == actor.person_id), None)
text.table(
    [
        {
            "Name": a.name,
            "Coming?": {"expected": "expected", "present": "here", "apologies": "sent apologies"}[
                a.attendance
            ],
        }
        for a in view.attendees
    ]
)
if view.i_facilitate and view.status != "closed":
    with st.expander("Record someone's apologies, or that they're here"):
        room.attendance_form(
            actor, view, sessions.team_people(actor, view.team_id), key="sessions_attendance"
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

st.header("What people are bringing")
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
                if st.button(f"Take {about} off the agenda", key=f"sessions_withdraw_{item.id}"):
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
        ask = fields.area(
            "Your ask of the team",
            key="sessions_bring_ask",
            limit=600,
            placeholder="I'd like the team to help me think about…",
        )
        kind = st.radio(
            "What kind of conversation is it?",
            list(sessions.KIND_LABELS),
            format_func=sessions.KIND_LABELS.__getitem__,
            horizontal=True,
            key="sessions_bring_kind",
        )
        minutes = fields.whole_number(
            "About how many minutes?", key="sessions_bring_minutes", value=10, low=3, high=60
        )
        if st.form_submit_button("Add to the agenda"):
            try:
                sessions.bring(
                    actor,
                    picked,
                    case_id=case_id,
                    ask=ask,
                    kind=kind,
                    time_box_minutes=minutes,  # type: ignore[arg-type]  # Checks collects problems and refuses before any write: a required value is not None here
                )
                for key in ("sessions_bring_ask", "sessions_bring_case", "sessions_bring_minutes"):
                    st.session_state.pop(key, None)
                room.flash("Added. The team will see your ask before the session.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "ask": "Your ask of the team",
                        "case_id": "Which child or family?",
                        "time_box_minutes": "About how many minutes?",
                        "kind": "What kind of conversation is it?",
                    },
                )

st.header("Carried from earlier sessions")
if agenda.carried_actions:
    today = clock.today()
    text.table(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "For": a.case_reference or "the team",
                "By": f"{a.due_on:%d %b %Y}",
                "Past its date?": "past its date" if a.due_on < today else "not yet",
            }
            for a in agenda.carried_actions
        ]
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
