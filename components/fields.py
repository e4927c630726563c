"""Form fields that keep every character typed and never save anything but what is shown.

Use these instead of st.text_input / st.text_area / st.date_input / st.number_input in forms:

- `text(label, *, key, limit)` and `area(label, *, key, limit)`: no `max_chars` (the browser
  would silently drop a paste over it). The whole text is taken; once it is near or over
  `limit` a caption under the field counts the characters, and the data layer (db.validation)
  refuses an over-long save with how many characters to take out. Return the text.
- `date(label, *, key, value, earliest, latest)`: a text field read strictly as DD/MM/YYYY.
  Returns a `date` when what was typed is a date on the calendar, the typed text itself when it
  isn't (the service's `Checks.day` refuses it, naming the field), or None when empty. A caption
  under it says the date in words, or why it can't be read, or the range it must fall in.
- `whole_number(label, *, key, value, low, high)`: a text field for whole numbers. Returns an
  int, the typed text when it isn't a whole number (10.5, "ten": `Checks.whole_number`
  refuses it), or None when empty. Never rounded, never snapped back.

- `choose(label, options, *, key, param=None)`: a chooser that keeps the chosen *id* (and, with
  `param`, keeps it in the URL) across saves and reruns, even when a save renames the option.
  st.selectbox remembers its choice by the option's label, so after a rename the old label is
  no longer there and it silently falls back to the first option; here the widget's key follows
  the labels, and the choice is restored by id. `options` maps id to label; returns the id.

All take `where=` (a column or container, default `st`), `help=` and `disabled=`.

For a service that takes a plain int or date (filters, a record's number), `typed_number` and
`typed_day` read what `whole_number` and `date` returned, or raise NotValid with the same words
the data layer's Checks give, naming the field; never rounded or moved.
Show a refused save with `components.forms.show_problems(problem, labels)`, passing the same
labels the fields show, so every message names the field as the person sees it.

Why a text field for dates rather than st.date_input (measured in Debian's Chromium with
Streamlit 1.67, a date input with min 01/01/2026, max 31/12/2026, value 10/03/2026, typing
into it and leaving the field): 30/02/2026 and 01/01/1900 left the server with 10/03/2026
(the old value) and no sign of refusal; 31/12/2999 showed "2299-03-11" in the field while the
server still had 10/03/2026; 15/06/2026 was read as 6 December 2026. What the field showed,
what the person typed and what would be saved were three different things. A text field
hands the server exactly what the person sees, and the caption confirms it in words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date as Date
from typing import Any

import streamlit as st

from components.text import plain
from db.validation import DATE_FORMAT, Checks, read_day, read_whole, shown

NEAR = 0.8  # show the count once the text reaches this share of its limit


def _count(where: Any, typed: str | None, limit: int) -> None:
    length = len((typed or "").strip())
    if length > limit:
        over = length - limit
        where.caption(
            f"{length:,} characters: {over:,} more than the {limit:,} this can hold. "
            "Everything you typed is still here."
        )
    elif length >= limit * NEAR:
        where.caption(f"{length:,} of {limit:,} characters")


def text(
    label: str,
    *,
    key: str,
    limit: int,
    value: str | None = None,
    help: str | None = None,
    placeholder: str | None = None,
    disabled: bool = False,
    where: Any = st,
) -> str:
    """A one-line text field with no character cap; counts characters near `limit`."""
    typed = where.text_input(
        label, value=value or "", key=key, help=help, placeholder=placeholder, disabled=disabled
    )
    _count(where, typed, limit)
    return typed or ""


def area(
    label: str,
    *,
    key: str,
    limit: int,
    value: str | None = None,
    height: int | None = None,
    help: str | None = None,
    placeholder: str | None = None,
    disabled: bool = False,
    where: Any = st,
) -> str:
    """A text area with no character cap; counts characters near `limit`."""
    kwargs: dict[str, Any] = {"height": height} if height else {}
    typed = where.text_area(
        label, value=value or "", key=key, help=help, placeholder=placeholder, disabled=disabled, **kwargs
    )
    _count(where, typed, limit)
    return typed or ""


def date(
    label: str,
    *,
    key: str,
    value: Date | None = None,
    earliest: Date | None = None,
    latest: Date | None = None,
    help: str | None = None,
    disabled: bool = False,
    where: Any = st,
) -> Date | str | None:
    """A date typed as DD/MM/YYYY: the date, the unreadable text as typed, or None if empty.

    `earliest`/`latest` only shape the hint and caption here; the service checks the range
    (with the same dates) and refuses anything outside it."""
    span = ""
    if earliest and latest:
        span = f" From {shown(earliest)} to {shown(latest)}."
    typed = where.text_input(
        label,
        value=shown(value) if value else "",
        key=key,
        placeholder=DATE_FORMAT,
        help=(help + " " if help else "") + f"Type the date as {DATE_FORMAT}.{span}",
        disabled=disabled,
    )
    typed = (typed or "").strip()
    if not typed:
        return None
    read = read_day(typed)
    if isinstance(read, str):
        where.caption(plain(read))  # it quotes what was typed
        return typed
    if (earliest and read < earliest) or (latest and read > latest):
        where.caption(
            f"{read:%A %-d %B %Y}, but this can be from {shown(earliest or read)} to {shown(latest or read)}."
        )
    else:
        where.caption(f"{read:%A %-d %B %Y}")
    return read


def whole_number(
    label: str,
    *,
    key: str,
    low: int,
    high: int,
    value: int | None = None,
    help: str | None = None,
    disabled: bool = False,
    where: Any = st,
) -> int | str | None:
    """A whole number from `low` to `high`: an int, the text as typed if it isn't one, or None."""
    typed = where.text_input(
        label,
        value="" if value is None else str(value),
        key=key,
        help=(help + " " if help else "") + f"A whole number from {low} to {high}.",
        disabled=disabled,
    )
    typed = (typed or "").strip()
    if not typed:
        return None
    number = read_whole(typed)
    return typed if number is None else number


def typed_number(
    field: str, value: int | str | None, label: str, *, low: int, high: int, required: bool = True
) -> int | None:
    """The whole number a `whole_number` field returned, or NotValid naming `label`."""
    checks = Checks()
    number = checks.whole_number(field, value, label, low=low, high=high, required=required)
    checks.raise_if_any()
    return number


def typed_day(field: str, value: Date | str | None, label: str) -> Date | None:
    """The date a `date` field returned (None when empty), or NotValid naming `label`."""
    checks = Checks()
    day = checks.readable_day(field, value, label)
    checks.raise_if_any()
    return day


def choose(
    label: str,
    options: Mapping[Any, str],
    *,
    key: str,
    param: str | None = None,
    help: str | None = None,
    where: Any = st,
) -> Any:
    """Choose one of `options` (id → label); the same id stays chosen while the labels change.

    With `param`, the chosen id also lives in the URL (st.query_params), so a reload, a
    bookmark or a save keeps the same record chosen. Returns the chosen id (None if no options).
    """
    ids = list(options)
    if not ids:
        return None
    by_text = {str(i): i for i in ids}
    remembered = st.session_state.get(f"{key}__chosen")
    if param and (wanted := st.query_params.get(param)) in by_text:
        remembered = by_text[wanted]
    chosen = remembered if remembered in options else ids[0]
    # A new key whenever the labels change: the new widget starts from the id chosen above,
    # not from a label that no longer exists.
    digest = hashlib.sha1(repr([(str(i), options[i]) for i in ids]).encode()).hexdigest()[:12]
    picked = where.selectbox(
        label, ids, index=ids.index(chosen), format_func=options.__getitem__, key=f"{key}__{digest}", help=help
    )
    st.session_state[f"{key}__chosen"] = picked
    if param and st.query_params.get(param) != str(picked):
        st.query_params[param] = str(picked)
    return picked
