"""Changing your own password: the form, the save, and what happened.

Saves through the data layer for the signed-in person; a refused change names each field
to fix (Streamlit keeps what was typed).
"""

from __future__ import annotations

import streamlit as st

from components import forms
from db import accounts
from db.access import Actor
from db.errors import NotValid


def change_form(actor: Actor) -> None:
    with st.form("account_password"):
        current = st.text_input("Your current password", type="password")
        new = st.text_input("New password", type="password")
        repeat = st.text_input("New password again", type="password")
        submitted = st.form_submit_button("Change password")
    if not submitted:
        return
    try:
        accounts.change_own_password(actor, current, new, repeat)
        st.success("Your password is changed. Other browsers signed in as you have been signed out.")
    except NotValid as problem:
        forms.show_problems(
            problem, {"current": "Current password", "new": "New password", "repeat": "New password again"}
        )
