"""Home: what is happening this week for the person signed in, by their role."""

from __future__ import annotations

import streamlit as st

from components import identity, supervision_frequency, week
from components import notifications as notify_view
from components.text import plain
from db import home

actor = identity.actor()
view = home.week(actor)

st.title(f"Hello, {plain(actor.first_name)}")
st.caption(f"The week of {view.today:%A %d %B %Y}")
# What Circle has told you lately (by email too, when mail is set up): issue 17.
notify_view.new_for_you(actor)

if actor.role == "admin":
    week.admin_overview(view.admin)
elif actor.role == "trainer":
    week.cohorts(view.cohorts)
else:
    if actor.role != "manager":
        week.next_sessions(view.next_sessions, facilitating=actor.role == "supervisor")
    if actor.role == "supervisor":
        supervision_frequency.home_section(actor)
    if actor.role in ("supervisor", "manager"):
        week.team_weeks(view.teams, view.today, manager=actor.role == "manager")
    if actor.role != "manager":
        week.my_cases(view.my_cases, view.today)
        week.holding(view.holding, view.today)
    week.my_actions(view.my_actions, view.today)
