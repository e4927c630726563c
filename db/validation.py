"""Small checks shared by every form's service function. Each returns the cleaned value
or records a plain, kind message against the field; `raise_if_any` turns them into NotValid."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

from db.errors import NotValid

_ALLOWED_CONTROL = {"\n", "\t"}


class Checks:
    def __init__(self) -> None:
        self.problems: dict[str, str] = {}

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
        if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in value) or (
            single_line and ("\n" in value or "\t" in value)
        ):
            self.problems[field] = f"{label} has a hidden control character; please retype it."
        elif required and not value:
            self.problems[field] = f"Please add {label.lower()}."
        elif len(value) > max_len:
            self.problems[field] = (
                f"{label} is {len(value)} characters; please keep it to {max_len} or fewer."
            )
        elif value and len(value) < min_len:
            self.problems[field] = f"{label} needs at least {min_len} characters."
        return value

    def scale(self, field: str, value: int | None, label: str, *, required: bool = True) -> int | None:
        if value is None:
            if required:
                self.problems[field] = f"Please choose a number from 0 to 10 for {label.lower()}."
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            self.problems[field] = f"{label} goes from 0 to 10; please choose a number in that range."
        return value

    def choice(self, field: str, value: str | None, label: str, options: tuple[str, ...]) -> str:
        if value not in options:
            self.problems[field] = f"Please choose one of the options for {label.lower()}."
        return value or ""

    def day(
        self,
        field: str,
        value: date | None,
        label: str,
        *,
        required: bool = True,
        not_before: date | None = None,
        past_days: int = 366 * 2,
        future_days: int = 366 * 2,
        today: date | None = None,
    ) -> date | None:
        if value is None:
            if required:
                self.problems[field] = f"Please choose {label.lower()}."
            return None
        today = today or date.today()
        if value < today - timedelta(days=past_days) or value > today + timedelta(days=future_days):
            self.problems[field] = f"{label} looks too far from today; please check the year."
        elif not_before is not None and value < not_before:
            self.problems[field] = f"{label} needs to be on or after {not_before:%d %B %Y}."
        return value

    def add(self, field: str, message: str) -> None:
        self.problems.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.problems:
            raise NotValid(dict(self.problems))
