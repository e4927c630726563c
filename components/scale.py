"""A 0-10 scale that says what its ends mean and starts unanswered (no nudge to the middle)."""

from __future__ import annotations

import streamlit as st

POINTS = list(range(11))


def scale(label: str, *, key: str, low: str = "not at all", high: str = "completely") -> int | None:
    return st.radio(
        label,
        POINTS,
        index=None,
        horizontal=True,
        key=key,
        captions=None,
        help=f"0 means {low}; 10 means {high}.",
    )


def ends(low: str, high: str) -> None:
    """One line under a group of scales, so the numbers come with their meaning."""
    st.caption(f"0 means {low} · 10 means {high}")
