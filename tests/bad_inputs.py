"""Hostile and awkward text for every form: each must be refused with a clear message that
keeps what was typed, or stored exactly and shown inertly as text."""

from __future__ import annotations

import re

# (name, text). Kept short enough to fit most single-line fields, except where length is the point.
CORPUS: tuple[tuple[str, str], ...] = (
    ("script tag", "<script>alert('x')</script>"),
    ("image onerror", '<img src=x onerror="alert(1)">'),
    ("javascript link", "[see notes](javascript:alert(1))"),
    ("data link", "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("html entities", "&lt;b&gt;bold&lt;/b&gt; &amp; &#x3C;i&#x3E;"),
    ("markdown and directives", "**loud** _quiet_ # heading :red[alarm] :material/warning: $x^2$"),
    ("right to left", "\u202eevil\u202c family \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"),
    ("combining", "Zoe\u0308 cafe\u0301 Z\u0336\u0337a\u0338l\u0335g\u0334o"),
    ("emoji", "Family time 👨‍👩‍👧 went well 🌱🏳️‍🌈"),
    ("sql", "'; DROP TABLE case_record; -- \" OR 1=1"),
    ("formula", '=HYPERLINK("http://evil.example","click")'),
    ("formula plus", "+cmd|' /C calc'!A0"),
    ("control characters", "bell\x07 null\x00 escape\x1b[31m"),
    ("line separator", "one\u2028two\u2029three"),
    ("web link", "[click me](https://evil.example/x)"),
    ("bare address", "see https://evil.example/x or www.evil.example"),
    ("typography", 'Kept as typed -- "quoted" ... it\'s -> <- <-> >= <= ~='),
    ("very long", "Stickability. " * 800),
)

# A markdown body (st.markdown, captions, alerts...) must never hold these unescaped:
# components.text.plain() puts a backslash before each markdown-active character.
RAW_IN_MARKDOWN = re.compile(
    r"(?<!\\)<(?:script|img|b>|i>)|(?<!\\)\]\((?:javascript|data|https?):|(?<!\\)\*\*loud|(?<!\\):red\["
    # Bare addresses auto-link in markdown unless their ":" or "." is escaped.
    r"|(?<!\\)\$x|https?://evil|www\.evil"
)

# Streamlit's markdown swaps these for a long dash, arrows or maths signs when they stand
# between spaces, escaped or not; components.text.plain() keeps them apart with a word joiner.
SWAPPED_IN_MARKDOWN = re.compile(r"(?:^|\s)(?:\\-\\-|\\-\\>|\\<\\-|\\>=|\\<=|\\~=)(?=\s|$|\\>)")
