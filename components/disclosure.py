"""An expander whose contents are built only while it is open.

Streamlit runs everything inside a closed expander on every rerun. A list of many expanders
(a case's case-file entries) would build, and audit as viewed, every one of them each time.
`section` tracks the open state (a rerun when it is opened or closed) and yields whether to
draw the contents.

The label is part of an expander's identity in Streamlit: a label that changes while it is
open (an entry becomes "copied to the case file" when ticked) would close it under the
person's hand. So while it stays open it keeps the label it was opened with; the new label
shows once it is closed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def section(label: str, *, key: str, icon: str | None = None) -> Iterator[bool]:
    open_key, label_key = f"{key}_open", f"{key}_label"
    held = st.session_state.get(label_key)
    shown = held if held and st.session_state.get(open_key) else label
    with st.expander(shown, key=open_key, icon=icon, on_change="rerun") as box:
        if box.open:
            st.session_state[label_key] = shown
        else:
            st.session_state.pop(label_key, None)
        yield bool(box.open)
