"""Who is signed in, resolved afresh from the database on every rerun.

The browser's HttpOnly cookie carries a random token; the data layer turns it into an
`Actor` (or None when it has expired or been revoked). Tests drive the same path by
putting a token in session state, which only server-side code can write.
"""

from __future__ import annotations

import streamlit as st

from db import accounts
from db.access import Actor
from db.settings import get_settings

TEST_TOKEN_KEY = "circle_token"
_ACTOR_KEY = "circle_actor"


def resolve() -> Actor | None:
    token = st.context.cookies.get(get_settings().cookie_name)
    if not isinstance(token, str) or not token:
        token = st.session_state.get(TEST_TOKEN_KEY)
    actor = accounts.actor_for_token(token) if isinstance(token, str) else None
    st.session_state[_ACTOR_KEY] = actor
    return actor


def actor() -> Actor:
    """The signed-in person, for pages (app.py has already checked there is one)."""
    found = st.session_state.get(_ACTOR_KEY)
    if found is None:
        st.stop()
    return found
