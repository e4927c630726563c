"""Your account: who you are in Circle, your teams, and changing your password."""

from __future__ import annotations

import streamlit as st

from components import identity, password
from components import notifications as notify_view

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
password.change_form(actor)

# What Circle tells you, your calendar link, and (supervisors) the team's defaults (issue 17).
notify_view.choices(actor)
notify_view.calendar_feed(actor)
notify_view.team_defaults(actor)
