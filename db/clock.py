"""Time in one place: timezone-aware UTC everywhere (SQLModel stores and returns UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
