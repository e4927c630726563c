"""Showing text people typed, inertly.

Streamlit's markdown understands links, HTML-like tags, colour and icon directives; text a
person typed must never be read as any of those. `plain()` escapes it for markdown
contexts; prefer st.text, st.dataframe or widget values where they fit.
"""

from __future__ import annotations

import re

# Every character markdown (or Streamlit's directives) could read as syntax. Apostrophes
# and quotes are left alone: they carry no meaning in markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<:$&])")


def plain(value: object) -> str:
    """Escape every markdown-active character so the text shows exactly as typed."""
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", "  \n")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def table(rows: list[dict[str, object]] | dict[str, list[object]], *, where: object = None) -> None:
    """A small table as a real HTML table (a screen reader reads it without focusing a canvas),
    every cell shown exactly as typed: st.table reads Markdown in cells, so text is escaped."""
    import streamlit as st

    def cell(value: object) -> object:
        return plain(value) if isinstance(value, str) else value

    if isinstance(rows, dict):
        data: object = {plain(k): [cell(v) for v in values] for k, values in rows.items()}
    else:
        data = [{plain(k): cell(v) for k, v in row.items()} for row in rows]
    (where or st).table(data, hide_index=True)  # type: ignore[attr-defined]
