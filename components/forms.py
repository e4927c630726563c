"""Showing what needs fixing in a form, kindly, without clearing what was typed.

Forms keep their widget values between reruns (we never use clear_on_submit), so a
refused save leaves everything in place; this lists what to change, field by field.
"""

from __future__ import annotations

import streamlit as st

from components.text import plain
from db.errors import EditConflict, NotValid


def _line(problem: NotValid, field: str, message: str, labels: dict[str, str]) -> str:
    """One problem, naming the field by the label the person sees on screen."""
    template = problem.templates.get(field)
    if template is not None and field in labels:
        # The data layer's words with the on-screen label in bold where its own name was.
        parts = [plain(part.replace("{{", "{").replace("}}", "}")) for part in template.split("{label}")]
        return "- " + f"**{plain(labels[field])}**".join(parts)
    if template is not None:
        return f"- {plain(message)}"
    name = labels.get(field, field.replace("_", " ").capitalize())
    return f"- **{plain(name)}**: {plain(message)}"


def show_problems(problem: NotValid, labels: dict[str, str] | None = None) -> None:
    """List what to change; `labels` maps each field to the label shown on screen."""
    labels = labels or {}
    lines = [_line(problem, field, message, labels) for field, message in problem.problems.items()]
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
