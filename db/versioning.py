"""Edits made on a stale copy are refused, never saved over.

A row two people can edit carries a `version` that every save moves on. A form keeps the
version it was opened at; `check` compares it with the saved row (locked by the caller
where two saves could race) and refuses with the caller's own words and what is saved now,
so the person can bring the two together. `saved` moves the version on and notes the change
in the audit trail, in the same transaction as the change itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from sqlmodel import Session

from db import audit
from db.access import Actor
from db.errors import EditConflict


class Versioned(Protocol):
    version: int


def check(
    row: Versioned | None,
    version: int,
    message: str | Callable[[], str],
    theirs: Mapping[str, object] | Callable[[], Mapping[str, object] | None] | None = None,
) -> None:
    """Refuse the edit (EditConflict) if the saved row is no longer at `version`; a row not
    saved yet counts as version 0. `message` and `theirs` (what is saved now, to show beside
    what was typed) may be functions, called only on a refusal, when building them reads more."""
    if (row.version if row is not None else 0) == version:
        return
    raise EditConflict(
        message() if callable(message) else message,
        dict((theirs() if callable(theirs) else theirs) or {}),
    )


def saved(
    s: Session,
    actor: Actor,
    row: Versioned,
    action: str,
    record_type: str,
    record_id: object,
    *,
    team_id: int | None = None,
) -> None:
    """The edit is made: move the row's version on and note who changed it (never what)."""
    row.version += 1
    s.add(row)
    audit.by(s, actor, action, record_type, record_id, team_id)
