"""Tables for one-to-one supervision and supervision agreements (issue 18).

Kept in their own module so the shared `db.models` only needs one import line; they join
the same SQLModel metadata, so Alembic, subject access and erasure see them like any other.

- A one-to-one is between two people: a practitioner and their supervisor. What only they
  see (how the practitioner is arriving, their wellbeing and development, the closing) lives
  in `one_to_one_private`, read only by `db.one_to_one`'s functions for the two of them.
- Relationship check-ins made in a one-to-one are ordinary `relationship_check_in` rows
  (so they feed the same trends), linked here through `one_to_one_check_in`.
- An agreement is never written over once agreed: a review makes a new revision; earlier
  revisions are kept, marked superseded.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.clock import utcnow

ONE_TO_ONE_STATUSES = ("planned", "closed", "cancelled")
AGREEMENT_STATUSES = ("draft", "agreed", "superseded")


class OneToOne(SQLModel, table=True):
    __tablename__ = "one_to_one"
    __table_args__ = (
        Index("ix_one_to_one_team_when", "team_id", "scheduled_for"),
        Index("ix_one_to_one_practitioner_when", "practitioner_id", "scheduled_for"),
        Index("ix_one_to_one_supervisor_when", "supervisor_id", "scheduled_for"),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    practitioner_id: int = Field(foreign_key="person.id")
    supervisor_id: int = Field(foreign_key="person.id")
    scheduled_for: datetime
    duration_minutes: int = Field(default=60)
    # Planned again this many weeks on when it closes (None: not recurring).
    recurs_every_weeks: int | None = None
    status: str = Field(default="planned", max_length=20)
    closed_at: datetime | None = None
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class OneToOnePrivate(SQLModel, table=True):
    """The part of a one-to-one that stays with the two people in it."""

    __tablename__ = "one_to_one_private"
    __table_args__ = (
        CheckConstraint("arrival_score IS NULL OR (arrival_score BETWEEN 0 AND 10)", name="ck_o2o_arrival"),
    )
    id: int = Field(default=None, primary_key=True)
    one_to_one_id: int = Field(foreign_key="one_to_one.id", unique=True)
    # The practitioner again, so a subject access request finds this row by its own key.
    practitioner_id: int = Field(foreign_key="person.id")
    arrival_score: int | None = None
    arrival_word: str = Field(default="", max_length=40)
    learning: str = Field(default="", sa_type=Text)
    been_hard: str = Field(default="", sa_type=Text)
    support_needed: str = Field(default="", sa_type=Text)
    helpful_today: str = Field(default="", sa_type=Text)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class OneToOneItem(SQLModel, table=True):
    """A case the practitioner chose to bring, its discussion and summary for the case file."""

    __tablename__ = "one_to_one_item"
    __table_args__ = (Index("ix_o2o_item_meeting", "one_to_one_id"), Index("ix_o2o_item_case", "case_id"))
    id: int = Field(default=None, primary_key=True)
    one_to_one_id: int = Field(foreign_key="one_to_one.id")
    case_id: int = Field(foreign_key="case_record.id")
    brought_by_id: int = Field(foreign_key="person.id")
    ask: str = Field(default="", sa_type=Text)
    discussion_notes: str = Field(default="", sa_type=Text)
    case_file_summary: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class OneToOneCheckIn(SQLModel, table=True):
    """Which relationship check-ins were made in which one-to-one."""

    __tablename__ = "one_to_one_check_in"
    __table_args__ = (Index("ix_o2o_check_in_meeting", "one_to_one_id"),)
    id: int = Field(default=None, primary_key=True)
    one_to_one_id: int = Field(foreign_key="one_to_one.id")
    check_in_id: int = Field(foreign_key="relationship_check_in.id", unique=True)


class OneToOneAction(SQLModel, table=True):
    __tablename__ = "one_to_one_action"
    __table_args__ = (Index("ix_o2o_action_meeting", "one_to_one_id"),)
    id: int = Field(default=None, primary_key=True)
    one_to_one_id: int = Field(foreign_key="one_to_one.id")
    description: str = Field(sa_type=Text)
    owner_id: int = Field(foreign_key="person.id")
    due_on: date
    status: str = Field(default="open", max_length=20)  # open, done, carried_over, dropped
    status_reason: str = Field(default="", sa_type=Text)
    # The later one-to-one in which the two looked back on it.
    reviewed_in_id: int | None = Field(default=None, foreign_key="one_to_one.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class OneToOneAmendment(SQLModel, table=True):
    __tablename__ = "one_to_one_amendment"
    __table_args__ = (Index("ix_o2o_amendment_meeting", "one_to_one_id"),)
    id: int = Field(default=None, primary_key=True)
    one_to_one_id: int = Field(foreign_key="one_to_one.id")
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class SupervisionAgreement(SQLModel, table=True):
    """One revision of a practitioner's written supervision agreement with their supervisor."""

    __tablename__ = "supervision_agreement"
    __table_args__ = (
        UniqueConstraint("practitioner_id", "revision", name="uq_agreement_revision"),
        Index("ix_agreement_team", "team_id", "status"),
    )
    id: int = Field(default=None, primary_key=True)
    practitioner_id: int = Field(foreign_key="person.id")
    supervisor_id: int = Field(foreign_key="person.id")
    team_id: int = Field(foreign_key="team.id")
    revision: int = Field(default=1)
    status: str = Field(default="draft", max_length=20)
    one_to_one_every_weeks: int = Field(default=4)
    group_every_weeks: int = Field(default=1)
    # Newly qualified social workers in their assessed first year meet more often, until then.
    first_year_until: date | None = None
    first_year_every_weeks: int | None = None
    where_we_meet: str = Field(default="", sa_type=Text)
    practitioner_brings: str = Field(default="", sa_type=Text)
    supervisor_brings: str = Field(default="", sa_type=Text)
    disagreements: str = Field(default="", sa_type=Text)
    missed_sessions: str = Field(default="", sa_type=Text)
    confidentiality: str = Field(default="", sa_type=Text)
    practitioner_agreed_on: date | None = None
    supervisor_agreed_on: date | None = None
    review_on: date
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class AgreementTemplate(SQLModel, table=True):
    """The council's wording every new agreement is drafted from (one row, an admin's)."""

    __tablename__ = "agreement_template"
    id: int = Field(default=None, primary_key=True)
    one_to_one_every_weeks: int = Field(default=4)
    group_every_weeks: int = Field(default=1)
    first_year_every_weeks: int = Field(default=2)
    where_we_meet: str = Field(default="", sa_type=Text)
    practitioner_brings: str = Field(default="", sa_type=Text)
    supervisor_brings: str = Field(default="", sa_type=Text)
    disagreements: str = Field(default="", sa_type=Text)
    missed_sessions: str = Field(default="", sa_type=Text)
    confidentiality: str = Field(default="", sa_type=Text)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)
