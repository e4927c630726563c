"""Who is signed in, resolved afresh from the database at every way in.

The browser's HttpOnly cookie carries a random token; the data layer turns it into an
`Actor` (or None when it has expired or been revoked). Tests drive the same path by
putting a token in session state, which only server-side code can write.

app.py resolves the person on every full rerun, but a live fragment's rerun and a
deferred download run without app.py. So every one of those goes through this module:
- `live(run_every=...)` instead of `st.fragment`: each run resolves the sign-in again and
  hands the fresh `Actor` to the function; when it no longer resolves, nothing is drawn and
  the whole app reruns, which takes the screen to sign-in.
- `deferred(build)` for a download's data: the file is built only if the same sign-in still
  resolves when the button is pressed, for the person it resolves to now.
- `callback(act)` for an `on_click`/`on_change` that touches records: it runs before app.py,
  so it checks the sign-in itself.
tests/test_lint.py fails the build on a `st.fragment`, a callable download or a callback
that reaches the data layer outside them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import streamlit as st

from db import accounts
from db.access import Actor
from db.errors import NotAllowed
from db.settings import get_settings

TEST_TOKEN_KEY = "circle_token"
_ACTOR_KEY = "circle_actor"


def _token() -> str | None:
    token = st.context.cookies.get(get_settings().cookie_name)
    if not isinstance(token, str) or not token:
        token = st.session_state.get(TEST_TOKEN_KEY)
    return token if isinstance(token, str) and token else None


def resolve() -> Actor | None:
    token = _token()
    actor = accounts.actor_for_token(token) if token else None
    st.session_state[_ACTOR_KEY] = actor
    return actor


def actor() -> Actor:
    """The signed-in person, for pages (app.py has already checked there is one)."""
    found = st.session_state.get(_ACTOR_KEY)
    if found is None:
        st.stop()
    return found


def live(run_every: float | timedelta | None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`st.fragment(run_every=...)` that re-checks the sign-in on every run.

    The decorated function takes the freshly resolved `Actor` as its first argument; use it,
    not the page's, for every read and write inside.
    """

    def wrap(body: Callable[..., None]) -> Callable[..., None]:
        @st.fragment(run_every=run_every)
        @functools.wraps(body)
        def run(*args: Any, **kwargs: Any) -> None:
            who = resolve()
            if who is None:
                # Nothing of the room is drawn for a sign-in that has ended; a full rerun
                # sends app.py to its signed-out door, which goes to sign-in.
                st.rerun(scope="app")
            body(who, *args, **kwargs)

        return run

    return wrap


def deferred(build: Callable[[Actor], bytes | str]) -> Callable[[], bytes | str]:
    """A download's data, built when pressed, only for a sign-in that still resolves.

    Streamlit runs the callable on a worker thread with no page context, so the token is
    captured now (it is the same for the life of this browser tab) and resolved then.
    """
    token = _token()

    def data() -> bytes | str:
        who = accounts.actor_for_token(token) if token else None
        if who is None:
            raise NotAllowed("Your sign-in has come to an end; sign in again to download this.")
        return build(who)

    return data


def callback(act: Callable[..., None]) -> Callable[..., None]:
    """An `on_click`/`on_change` callback that reads or writes records.

    Streamlit runs callbacks before the script, so before app.py has checked the sign-in:
    this checks it, hands the fresh `Actor` to `act` as its first argument, and does nothing
    when it no longer resolves (the rerun that follows goes to sign-in).
    """

    @functools.wraps(act)
    def run(*args: Any, **kwargs: Any) -> None:
        who = resolve()
        if who is None:
            return
        act(who, *args, **kwargs)

    return run
