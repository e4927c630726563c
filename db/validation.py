"""Small checks shared by every form's service function. Each returns the cleaned value
or records a plain, kind message against the field; `raise_if_any` turns them into NotValid.

Every message names its field, and also keeps a template with `{label}` in place of the
field's name, so a form can name the field exactly as the person sees it on screen
(components.forms.show_problems does). Nothing here ever changes what was typed into
something else: an over-long text, a fraction in a whole-number field or a date that isn't
on the calendar is refused with what to fix, never trimmed, rounded or moved.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from db import clock
from db.errors import NotValid

_ALLOWED_CONTROL = {"\n", "\t"}
DATE_FORMAT = "DD/MM/YYYY"
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WHOLE = re.compile(r"[+-]?\d+")
_MONTHS = ("January February March April May June July August September October November December").split()


def shown(day: date) -> str:
    """A date the way every date field shows it (DD/MM/YYYY)."""
    return f"{day:%d/%m/%Y}"


def read_day(typed: str) -> date | str:
    """A date typed as DD/MM/YYYY (or YYYY-MM-DD), read strictly.

    Returns the date, or a sentence saying why it can't be read (a day that isn't on the
    calendar, such as 30/02/2026, is never moved to a nearby day)."""
    text = typed.strip()
    found = _DMY.fullmatch(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
    elif found := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        return f"“{text}” isn't a date we can read; please write it as {DATE_FORMAT}, for example 14/03/2026."
    if not 1 <= month <= 12:
        return f"“{text}” has {month} as the month; months go from 01 to 12."
    try:
        return date(year, month, day)
    except ValueError:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        days = (nxt - timedelta(days=1)).day
        return f"“{text}” isn't on the calendar: {_MONTHS[month - 1]} {year} has {days} days."


def read_whole(typed: object) -> int | None:
    """A whole number from what was typed, or None when it isn't one (never rounded)."""
    if isinstance(typed, bool):
        return None
    if isinstance(typed, int):
        return typed
    if isinstance(typed, float):
        return int(typed) if typed.is_integer() else None
    if isinstance(typed, str) and _WHOLE.fullmatch(typed.strip()):
        return int(typed.strip())
    return None


class Checks:
    def __init__(self) -> None:
        self.problems: dict[str, str] = {}
        self.templates: dict[str, str] = {}

    def _say(self, field: str, template: str, label: str) -> None:
        """Record a problem once per field; `template` holds {label} where the name goes."""
        if field in self.problems:
            return
        self.templates[field] = template
        self.problems[field] = template.format(label=label)

    def text(
        self,
        field: str,
        value: str | None,
        label: str,
        *,
        required: bool = True,
        max_len: int = 2000,
        min_len: int = 0,
        single_line: bool = False,
    ) -> str:
        value = (value or "").strip()
        if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in value):
            self._say(
                field,
                "{label} has a hidden control character in it (pasted text sometimes brings one "
                "along); please retype the part you pasted. Everything else you typed is kept.",
                label,
            )
        elif single_line and ("\n" in value or "\t" in value):
            self._say(field, "{label} fits on one line; please take out the line break or tab.", label)
        elif required and not value:
            self._say(field, "Please add {label}.", label.lower())
        elif len(value) > max_len:
            over = len(value) - max_len
            self._say(
                field,
                f"{{label}} has {len(value):,} characters and holds up to {max_len:,}; please take out "
                f"{over:,} character{'s' if over != 1 else ''} so it can be saved. Everything you typed is still there.",
                label,
            )
        elif value and len(value) < min_len:
            self._say(field, f"{{label}} needs at least {min_len} characters.", label)
        return value

    def scale(self, field: str, value: int | None, label: str, *, required: bool = True) -> int | None:
        if value is None:
            if required:
                self._say(field, "Please choose a number from 0 to 10 for {label}.", label)
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            self._say(field, "{label} goes from 0 to 10; please choose a number in that range.", label)
        return value

    def whole_number(
        self, field: str, value: object, label: str, *, low: int, high: int, required: bool = True
    ) -> int | None:
        """A whole number from `low` to `high`; a fraction or words are refused, never rounded."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self._say(field, f"Please fill in {{label}} with a whole number from {low} to {high}.", label)
            return None
        number = read_whole(value)
        if number is None:
            self._say(
                field,
                f"{{label}} takes a whole number from {low} to {high}, and “{str(value).strip()}” "
                "isn't one; please change it.",
                label,
            )
        elif not low <= number <= high:
            self._say(field, f"{{label}} goes from {low} to {high}; {number} is outside that.", label)
        return number

    def choice(self, field: str, value: str | None, label: str, options: tuple[str, ...]) -> str:
        if value not in options:
            self._say(field, "Please choose one of the options for {label}.", label)
        return value or ""

    def readable_day(self, field: str, value: date | str | None, label: str) -> date | None:
        """The date, None when nothing was typed, or None with a problem when the text
        typed isn't a date on the calendar."""
        if value is None or isinstance(value, date):
            return value
        if not str(value).strip():
            return None
        read = read_day(str(value))
        if isinstance(read, str):
            self._say(field, "{label}: " + read.replace("{", "{{").replace("}", "}}"), label)
            return None
        return read

    def day(
        self,
        field: str,
        value: date | str | None,
        label: str,
        *,
        required: bool = True,
        not_before: date | None = None,
        past_days: int = 366 * 2,
        future_days: int = 366 * 2,
        today: date | None = None,
    ) -> date | None:
        """A date within the allowed range; what was typed is what is saved, or a message
        naming the range (never a nearby or default date instead)."""
        if field in self.problems:
            return None
        typed_text = isinstance(value, str) and bool(value.strip())
        value = self.readable_day(field, value, label)
        if value is None:
            if required and not typed_text:
                self._say(field, f"Please fill in {{label}} (as {DATE_FORMAT}).", label)
            return None
        today = today or clock.today()
        earliest = today - timedelta(days=past_days)
        latest = today + timedelta(days=future_days)
        if not_before is not None and not_before > earliest:
            earliest = not_before
        if not earliest <= value <= latest:
            self._say(field, day_range_message(value, earliest, latest), label)
        return value

    def add(self, field: str, message: str) -> None:
        self.problems.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise NotValid(dict(self.problems), templates=dict(self.templates))


def day_range_message(value: date, earliest: date, latest: date) -> str:
    """The words for a date outside its range, with {label} where the field's name goes."""
    return (
        f"{{label}} can be from {shown(earliest)} to {shown(latest)}; {shown(value)} is outside that, "
        "so please check the day and year."
    )
