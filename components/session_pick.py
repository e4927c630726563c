"""Which session the sessions, room and record screens are looking at.

It lives in the URL (`?session=ID`), so a refresh, the back button, a bookmark or a link sent
to a colleague all land on the same session; this tab's session state keeps the last one
chosen for moving between screens from the sidebar. The id is only a pointer: every screen
asks the data layer for it with the signed-in person, which refuses another team's session
without naming it.
"""

from __future__ import annotations

import streamlit as st

PARAM = "session"
KEY = "sessions_selected"


def _read(raw: object) -> int | None:
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return None


def choose(session_id: int) -> None:
    st.session_state[KEY] = int(session_id)
    if st.query_params.get(PARAM) != str(int(session_id)):
        st.query_params[PARAM] = str(int(session_id))


def chosen() -> int | None:
    """The session in the URL, else the one this tab chose last, else None."""
    from_url = _read(st.query_params.get(PARAM))
    if from_url is not None:
        st.session_state[KEY] = from_url
        return from_url
    return _read(st.session_state.get(KEY))


def params(session_id: int) -> dict[str, str]:
    """Query parameters for a link to a session's room or record."""
    return {PARAM: str(int(session_id))}
