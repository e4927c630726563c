"""The three ways an action can be turned down, each with words a person can act on."""

from __future__ import annotations


class NotAllowed(Exception):
    """The signed-in person's role or teams do not reach this record or action."""

    def __init__(self, message: str = "This isn't open to your role or your teams.") -> None:
        super().__init__(message)
        self.message = message


class NotValid(Exception):
    """What was typed needs a change; `problems` maps each field to what to fix.

    `templates` (from db.validation) holds the same messages with `{label}` where the field's
    name goes, so a form can name each field as the person sees it."""

    def __init__(self, problems: dict[str, str], templates: dict[str, str] | None = None) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems
        self.templates = templates or {}


class EditConflict(Exception):
    """Someone saved this record after you opened it; nothing of either edit was lost."""

    def __init__(self, message: str, theirs: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.theirs = theirs or {}
