"""Which session the sessions, room and record screens are looking at (an id in session state)."""

from __future__ import annotations

import streamlit as st

KEY = "sessions_selected"


def choose(session_id: int) -> None:
    st.session_state[KEY] = int(session_id)


def chosen() -> int | None:
    value = st.session_state.get(KEY)
    return value if isinstance(value, int) else None
