"""A group supervision's agenda and who is coming: planning a session, bringing something
to it, taking an item off, and sending (or taking back) your apologies.

Each part saves through the data layer for the signed-in person, then leaves a line for the
sessions page (`room.flash`) and reruns; a refused save keeps every word and says what to
change.
"""

from __future__ import annotations

from datetime import time, timedelta

import streamlit as st

from components import fields, forms, room, session_pick
from db import clock, sessions
from db.access import Actor
from db.errors import NotValid
from db.sessions import Attendee


def plan_form(actor: Actor, facilitated: list[int], my_teams: dict[int, str]) -> None:
    """Planning a session for one of the teams this person facilitates."""
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


def my_attendance(actor: Actor, session_id: int, me: Attendee) -> None:
    """Sending apologies for a planned session, or taking them back."""
    if me.attendance != "apologies" and st.button(
        "I can't make this one (send apologies)", key="sessions_apologies"
    ):
        sessions.set_attendance(actor, session_id, actor.person_id, "apologies")
        st.rerun()
    if me.attendance == "apologies" and st.button("I can come after all", key="sessions_coming"):
        sessions.set_attendance(actor, session_id, actor.person_id, "expected")
        st.rerun()


def withdraw_button(actor: Actor, item_id: int, about: str) -> None:
    """Taking an item off a planned session's agenda."""
    if st.button(f"Take {about} off the agenda", key=f"sessions_withdraw_{item_id}"):
        sessions.withdraw(actor, item_id)
        st.rerun()


def bring_form(actor: Actor, team_id: int, session_id: int) -> None:
    """Bringing a child or family (or a theme) to a session that has not closed."""
    cases = dict(sessions.team_cases(actor, team_id))
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
                    session_id,
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
