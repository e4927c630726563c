"""Downloads on screens: one way to hand a person a file.

Two shapes, both handed over only while the sign-in still holds (`identity.deferred`), and
neither reruns the page when pressed (`on_click="ignore"`):
- `file(...)`: built when pressed, for the person the sign-in resolves to then. Use it for
  a file that is cheap enough to build on the press (a record's PDF, a calendar entry).
- `prepare(...)` then `file(..., made=...)`: a "Prepare" button builds the file on the rerun
  it causes (an export that is audited or slow), keeps it in session state, and the download
  hands over what was prepared. `prepare` returns the prepared value while it still fits
  what is on screen (`fits`, e.g. the filters or the person chosen).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

import streamlit as st

from components import identity
from db.access import Actor

T = TypeVar("T")

MIME = {
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}


def file(
    label: str,
    build: Callable[[Actor], bytes | str] | None = None,
    *,
    file_name: str,
    key: str,
    made: bytes | str | None = None,
    where: Any = None,
    mime: str | None = None,
    help: str | None = None,
    icon: str | None = None,
) -> None:
    """A download button: `build(actor)` when pressed, or the file already `made`."""
    ready = b"" if made is None else made
    (where or st).download_button(
        label,
        identity.deferred(build if build is not None else lambda _who: ready),
        file_name=file_name,
        mime=mime or MIME.get(PurePath(file_name).suffix, "application/octet-stream"),
        key=key,
        help=help,
        icon=icon,
        on_click="ignore",
    )


def prepare(
    label: str,
    build: Callable[[], T],
    *,
    key: str,
    keep_as: str,
    fits: object = None,
    show: bool = True,
    where: Any = None,
    icon: str | None = None,
) -> T | None:
    """A "Prepare" button that builds on its press; returns what was prepared, while it fits.

    `key` is the button's; the prepared value stays in session state under `keep_as` (with
    `fits`) so the download below it survives the reruns that follow; a different `fits`
    hides it until prepared again.
    """
    if show and (where or st).button(label, key=key, icon=icon):
        st.session_state[keep_as] = (fits, build())
    ready = st.session_state.get(keep_as)
    if ready and ready[0] == fits:
        return ready[1]
    return None
