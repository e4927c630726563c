"""Tables for issue 17: case-file entries, the mail outbox, notification choices and
calendars. Kept in their own module (one import line in `db.models`); they join the same
SQLModel metadata, so Alembic, subject access and erasure see them like any other.

- A case-file entry is one child's or family's part of a session's record, made to be
  filed on that child's statutory record. Its text is built on read from the session; the
  row only holds what the team chose for it (include the relationship check-in or not) and
  whether it has been copied across, by whom and when (versioned: two people may tick).
- A notification is one message for one person: a kind and the ids it is about, never any
  record text. It waits in this outbox (status `waiting`) until the sender delivers it by
  mail, or is shown only in Circle (`in_app`) when no mail server is configured.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.clock import utcnow


class CaseFileEntry(SQLModel, table=True):
    __tablename__ = "case_file_entry"
    __table_args__ = (
        UniqueConstraint("session_id", "case_id", name="uq_case_file_entry_session_case"),
        Index("ix_case_file_entry_case", "case_id"),
    )
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    case_id: int = Field(foreign_key="case_record.id")
    include_check_in: bool = Field(default=False)
    copied_by_id: int | None = Field(default=None, foreign_key="person.id")
    copied_at: datetime | None = None
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class Notification(SQLModel, table=True):
    """One message for one person (the outbox). Holds kinds and ids only."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_person_at", "person_id", "created_at"),
        Index("ix_notification_status_next", "status", "next_attempt_at"),
    )
    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    kind: str = Field(max_length=30)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    # What it is about, by id only (no foreign keys: a message outlives nothing it names).
    session_id: int | None = None
    thread_id: str | None = Field(default=None, max_length=36)
    action_id: int | None = None
    # A colleague the message names ("hold a worry with Priya"): a member of staff, never a family.
    colleague_id: int | None = Field(default=None, foreign_key="person.id")
    # Counts for the weekly digest, as JSON ({"actions_due": 2, ...}).
    counts: str = Field(default="", sa_type=Text)
    # Makes the daily pass idempotent: one review or action reminder per item per day.
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    # waiting -> sending -> sent | waiting (retry later) | failed; in_app: shown in Circle only.
    status: str = Field(default="waiting", max_length=12)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow)
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=80)
    sent_at: datetime | None = None
    last_error: str = Field(default="", max_length=200)
    # The calendar invitation as it stood when the change was made (no case content).
    attachment: str = Field(default="", sa_type=Text)
    seen_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class NotificationChoice(SQLModel, table=True):
    """A person's own choices: where their mail goes and which kinds they want (JSON of the
    kinds they changed from their team's default)."""

    __tablename__ = "notification_choice"
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    email: str = Field(default="", max_length=254)
    kinds: str = Field(default="{}", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class TeamNotificationDefault(SQLModel, table=True):
    """The team supervisor's defaults for the team, and where the team meets (for calendars)."""

    __tablename__ = "team_notification_default"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    kinds: str = Field(default="{}", sa_type=Text)
    where_we_meet: str = Field(default="", max_length=120)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class SessionCalendar(SQLModel, table=True):
    """A session's calendar SEQUENCE: raised each time it is moved or cancelled, so calendars
    replace the event they already hold (same UID)."""

    __tablename__ = "session_calendar"
    session_id: int = Field(foreign_key="supervision_session.id", primary_key=True)
    sequence: int = Field(default=0)


class CalendarFeed(SQLModel, table=True):
    """A personal calendar feed: the URL carries a long random token, this row its SHA-256."""

    __tablename__ = "calendar_feed"
    __table_args__ = (Index("ix_calendar_feed_person", "person_id"),)
    id: int = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id")
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
