"""The council's supervision agreement template, kept by an administrator."""

from __future__ import annotations

import streamlit as st

from components import agreement, identity

actor = identity.actor()
st.title("Agreement template")
agreement.show_flash()
st.caption(
    "Every new supervision agreement is drafted from these words; the practitioner and their "
    "supervisor then make it their own. Agreements already made stay as they were agreed."
)
agreement.template_form(actor)
