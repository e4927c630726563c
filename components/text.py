"""Showing text people typed, inertly.

Streamlit's markdown understands links, HTML-like tags, colour and icon directives; text a
person typed must never be read as any of those. `plain()` escapes it for markdown
contexts; prefer st.text, st.dataframe or widget values where they fit.

Streamlit's markdown also swaps a few typed sequences for symbols when they stand between
spaces: `--` becomes a long dash, `->` `<-` `<->` arrows, `>=` `<=` `~=` maths signs (a
plugin in its frontend, applied to the text after escapes are read, so a backslash can't stop
it). In typed text `plain()` puts an invisible word joiner (U+2060) inside each such sequence,
so it reaches the screen as typed. tests/test_text_as_typed.py reads the list from
Streamlit's own bundle, so a Streamlit upgrade that adds one fails the test.
"""

from __future__ import annotations

import re

# Every character markdown (or Streamlit's directives) could read as syntax. Apostrophes
# and quotes are left alone: they carry no meaning in markdown.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<:$&])")
# What Streamlit's frontend swaps for a symbol between whitespace (its `\s`, JavaScript's set).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SWAPPED = ("<->", "->", "<-", "--", ">=", "<=", "~=")
_SWAPPED = re.compile(rf"(?<![^{_JS_SPACE}])({'|'.join(re.escape(s) for s in SWAPPED)})(?![^{_JS_SPACE}])")
WORD_JOINER = "\u2060"


def plain(value: object) -> str:
    """Escape every markdown-active character so the text shows exactly as typed."""
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", "  \n")
    text = _SWAPPED.sub(lambda m: WORD_JOINER.join(m.group(1)), text)
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
    (where or st).table(data, hide_index=True)  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
