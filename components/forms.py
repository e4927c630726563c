"""Showing what needs fixing in a form, kindly, without clearing what was typed.

Forms keep their widget values between reruns (we never use clear_on_submit), so a
refused save leaves everything in place; this lists what to change, field by field.
"""

from __future__ import annotations

import streamlit as st

from components.text import plain
from db.errors import EditConflict, NotValid


def show_problems(problem: NotValid, labels: dict[str, str] | None = None) -> None:
    labels = labels or {}
    lines = [
        f"- **{plain(labels.get(field, field.replace('_', ' ').capitalize()))}**: {plain(message)}"
        for field, message in problem.problems.items()
    ]
    st.error(
        "A couple of things need a look before this can be saved; everything you typed is still here.\n\n"
        + "\n".join(lines),
        icon=":material/edit_note:",
    )


def show_conflict(conflict: EditConflict, labels: dict[str, str] | None = None) -> None:
    labels = labels or {}
    st.warning(plain(conflict.message), icon=":material/group:")
    if conflict.theirs:
        st.caption("What is saved now")
        st.table({labels.get(k, k): [str(v)] for k, v in conflict.theirs.items()})
