"""Your account: who you are in Circle, your teams, and changing your password."""

from __future__ import annotations

import streamlit as st

from components import forms, identity
from components import notifications as notify_view
from db import accounts
from db.errors import NotValid

actor = identity.actor()
st.title("Your account")
st.text(f"{actor.display_name} ({actor.username})")
if actor.memberships:
    st.header("Your teams")
    for m in actor.memberships:
        st.text(f"{m.team_name}: {m.role}")

st.header("Change your password")
st.caption(
    "Use at least 8 characters. A few unrelated words together make a strong, memorable password. "
    "Changing it signs you out everywhere else."
)
with st.form("account_password"):
    current = st.text_input("Your current password", type="password")
    new = st.text_input("New password", type="password")
    repeat = st.text_input("New password again", type="password")
    submitted = st.form_submit_button("Change password")
if submitted:
    try:
        accounts.change_own_password(actor, current, new, repeat)
        st.success("Your password is changed. Other browsers signed in as you have been signed out.")
    except NotValid as problem:
        forms.show_problems(
            problem, {"current": "Current password", "new": "New password", "repeat": "New password again"}
        )

# What Circle tells you, your calendar link, and (supervisors) the team's defaults (issue 17).
notify_view.choices(actor)
notify_view.calendar_feed(actor)
notify_view.team_defaults(actor)
