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
