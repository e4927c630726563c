"""Tables for the young person's own view (issue 19): check-in links, their answers, and
notes written for them.

Kept in their own module so the shared `db.models` needs one import line; they join the
same SQLModel metadata, so Alembic, subject access, erasure and retention see them like any
other table. Every row hangs off its case (`case_id`), so erasing or purging a case takes
them with it, and a restricted case keeps them out of use.

- A link holds only the SHA-256 of its token (the young person's URL holds the token), like
  a sign-in. It works once, until `expires_at`, unless withdrawn.
- An answer is the young person's own words and choices, never a worker's: four answers on
  a five-step scale (0 to 4, shown in words and faces) and an optional message.
- A note for them is written by the practitioner, kept with who and when, never edited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from db.clock import utcnow

WORDINGS = ("younger", "teen")


def _step(column: str, name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 0 AND 4", name=name)


class YoungVoiceLink(SQLModel, table=True):
    __tablename__ = "young_voice_link"
    __table_args__ = (
        Index("ix_young_link_case", "case_id"),
        Index("ix_young_link_token", "token_hash", unique=True),
        CheckConstraint("wording IN ('younger', 'teen')", name="ck_young_link_wording"),
    )
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    # Whose first name the young person sees: the case's practitioner when it was made.
    practitioner_id: int = Field(foreign_key="person.id")
    created_by_id: int = Field(foreign_key="person.id")
    token_hash: str = Field(max_length=64)
    wording: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    opened_at: datetime | None = None
    answered_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by_id: int | None = Field(default=None, foreign_key="person.id")


class YoungVoiceAnswer(SQLModel, table=True):
    __tablename__ = "young_voice_answer"
    __table_args__ = (
        Index("ix_young_answer_case_at", "case_id", "created_at"),
        Index("ix_young_answer_link", "link_id", unique=True),
        _step("trust", "ck_young_answer_trust"),
        _step("feel_heard", "ck_young_answer_heard"),
        _step("what_matters", "ck_young_answer_matters"),
        _step("hope", "ck_young_answer_hope"),
    )
    id: int = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="young_voice_link.id")
    case_id: int = Field(foreign_key="case_record.id")
    # The practitioner the answers are about (their name was on the page).
    practitioner_id: int = Field(foreign_key="person.id")
    wording: str = Field(max_length=10)
    trust: int
    feel_heard: int
    what_matters: int
    hope: int
    anything_else: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class YoungVoiceNote(SQLModel, table=True):
    """A note "what we talked about, for you": short, to the young person or family."""

    __tablename__ = "young_voice_note"
    __table_args__ = (Index("ix_young_note_case_at", "case_id", "created_at"),)
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    written_by_id: int = Field(foreign_key="person.id")
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
