"""The append-only audit trail: who did what to which record, when. Never record content.

Labels are squeezed onto one line and cut short, so a username or id can never forge a
second entry in an export.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from db.models import AuditEvent

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _clean(value: object, limit: int) -> str:
    return _UNSAFE.sub(" ", str(value or ""))[:limit]


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None = None,
    actor_label: str = "",
    record_type: str = "",
    record_id: object = "",
    team_id: int | None = None,
    outcome: str = "ok",
) -> None:
    """Add an audit event inside the caller's transaction (so it lands with the change)."""
    session.add(
        AuditEvent(
            actor_id=actor_id,
            actor_label=_clean(actor_label, 64),
            action=_clean(action, 30),
            record_type=_clean(record_type, 40),
            record_id=_clean(record_id, 40),
            team_id=team_id,
            outcome=_clean(outcome, 20),
        )
    )
