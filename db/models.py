"""Circle's tables: the whole domain, modelled once so later screens add views, not reshapes.

Conventions:
- Times are timezone-aware UTC (`db.clock.utcnow()`), dates are plain dates.
- Rows two people can edit at once carry a `version` that every update bumps; an update
  made from a stale copy is refused (see `db.versioning`).
- Case references are pseudonymised: there is no name, address or date-of-birth column
  anywhere in this schema.
- Risk entries and audit events are append-only; a correction is a new revision.
- A table's `id` is typed `int`, though it is None on a row not yet flushed: the database
  gives it on insert, and every id the code reads is a saved row's (the column is the same
  NOT NULL autoincrementing key either way). Don't read `.id` before `s.flush()`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.clock import today as clock_today
from db.clock import utcnow

ROLES = ("practitioner", "supervisor", "manager", "trainer", "admin", "trainee")
TEAM_ROLES = ("practitioner", "supervisor", "manager")
CASE_STATUSES = ("new", "active", "stuck", "stepping_down", "closed")
WHOSE_RISK = ("young_person", "professional_anxiety", "both")
REVIEW_OUTCOMES = ("as_feared", "better_than_feared", "worse_than_feared")
REVIEW_NEXT = ("keep_holding", "change_plan", "close")
ACTION_STATUSES = ("open", "done", "carried_over", "dropped")
WORK_KINDS = ("reflection", "case_management", "task")


def _scale(column: str, name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IS NULL OR ({column} BETWEEN 0 AND 10)", name=name)


class Team(SQLModel, table=True):
    __tablename__ = "team"
    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    description: str = Field(default="", sa_type=Text)
    # Weeks without a case discussion before the board gently flags a case.
    not_discussed_weeks: int = Field(default=4)
    # The team's own names for case statuses, as JSON ({"stuck": "Needs fresh eyes"}).
    status_labels: str = Field(default="{}", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    id: int = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    # Null for people who only sign in through the council's identity provider.
    password_hash: str | None = Field(default=None, max_length=255)
    external_subject: str | None = Field(default=None, max_length=255, unique=True)
    is_active: bool = Field(default=True)
    password_changed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class Membership(SQLModel, table=True):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("team_id", "person_id", name="uq_membership_team_person"),
        Index("ix_membership_person", "person_id"),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    person_id: int = Field(foreign_key="person.id")
    role: str = Field(max_length=20)
    joined_on: date = Field(default_factory=clock_today)
    left_on: date | None = None


class SignInSession(SQLModel, table=True):
    """A server-side sign-in: the cookie holds a random token, this row holds its hash."""

    __tablename__ = "signin_session"
    __table_args__ = (Index("ix_signin_session_person", "person_id"),)
    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = Field(default=None, max_length=40)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per username, shared by every server, for the expiring back-off."""

    __tablename__ = "signin_throttle"
    key: str = Field(primary_key=True, max_length=64)
    failures: int = Field(default=0)
    last_failure_at: datetime = Field(default_factory=utcnow)


class SingleSignOnNonce(SQLModel, table=True):
    """A council sign-in already turned into a Circle session: its nonce (hashed with the
    identity) may not be used again on any server. Rows older than two days are removed."""

    __tablename__ = "sso_nonce"
    __table_args__ = (Index("ix_sso_nonce_used_at", "used_at"),)
    nonce_hash: str = Field(primary_key=True, max_length=64)
    used_at: datetime = Field(default_factory=utcnow)


class Case(SQLModel, table=True):
    __tablename__ = "case_record"
    __table_args__ = (
        UniqueConstraint("team_id", "reference", name="uq_case_team_reference"),
        Index("ix_case_team_status", "team_id", "status"),
        Index("ix_case_lead", "lead_practitioner_id"),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    # Pseudonymised: initials or a local reference number, never a name.
    reference: str = Field(max_length=40)
    status: str = Field(default="new", max_length=20)
    lead_practitioner_id: int = Field(foreign_key="person.id")
    best_relationship_person_id: int | None = Field(default=None, foreign_key="person.id")
    opened_on: date = Field(default_factory=clock_today)
    closed_on: date | None = None
    next_review_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class NetworkMember(SQLModel, table=True):
    """Someone who matters to the child, described by their role ("Nan", "school nurse")."""

    __tablename__ = "network_member"
    __table_args__ = (
        Index("ix_network_case", "case_id"),
        _scale("relationship_strength", "ck_network_strength"),
    )
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    label: str = Field(max_length=80)
    kind: str = Field(max_length=20)  # family, carer, friend, professional
    relationship_strength: int | None = None
    best_placed_for: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class CaseMapping(SQLModel, table=True):
    """The team's current Signs of Safety mapping and formulation for a case (edited together)."""

    __tablename__ = "case_mapping"
    __table_args__ = (_scale("scale", "ck_mapping_scale"),)
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id", unique=True)
    worries: str = Field(default="", sa_type=Text)
    working_well: str = Field(default="", sa_type=Text)
    needs_to_happen: str = Field(default="", sa_type=Text)
    danger_statement: str = Field(default="", sa_type=Text)
    safety_goal: str = Field(default="", sa_type=Text)
    scale: int | None = None
    presenting: str = Field(default="", sa_type=Text)
    predisposing: str = Field(default="", sa_type=Text)
    precipitating: str = Field(default="", sa_type=Text)
    perpetuating: str = Field(default="", sa_type=Text)
    protective: str = Field(default="", sa_type=Text)
    plan: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by_id: int | None = Field(default=None, foreign_key="person.id")
    version: int = Field(default=1)


class CaseMappingRevision(SQLModel, table=True):
    """Every saved mapping, kept: who, when, and the whole text as it then stood (JSON)."""

    __tablename__ = "case_mapping_revision"
    __table_args__ = (Index("ix_mapping_revision_case_at", "case_id", "saved_at"),)
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    version: int
    saved_by_id: int = Field(foreign_key="person.id")
    saved_at: datetime = Field(default_factory=utcnow)
    snapshot: str = Field(sa_type=Text)


class SupervisionSession(SQLModel, table=True):
    __tablename__ = "supervision_session"
    __table_args__ = (Index("ix_session_team_scheduled", "team_id", "scheduled_for"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    scheduled_for: datetime
    duration_minutes: int = Field(default=90)
    recurs_weekly: bool = Field(default=True)
    status: str = Field(default="planned", max_length=20)  # planned, running, closed
    facilitator_id: int | None = Field(default=None, foreign_key="person.id")
    current_step: str = Field(default="arrival", max_length=30)
    # The agenda item in focus during check-ins and case discussion (no FK: items belong
    # to the session, and a cycle of foreign keys would make the record hard to restore).
    current_item_id: int | None = None
    step_started_at: datetime | None = None
    # Minutes the facilitator added to the current step's time-box.
    step_extra_minutes: int = Field(default=0)
    closed_at: datetime | None = None
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)
    # Bumped by every entry made in the room (arrivals, check-ins, notes, actions, closings,
    # attendance): live screens read this one row to learn whether anything changed.
    activity: int = Field(default=0)


class SessionAttendee(SQLModel, table=True):
    __tablename__ = "session_attendee"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_attendee_session_person"),
        Index("ix_attendee_person", "person_id"),
    )
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    person_id: int = Field(foreign_key="person.id")
    attendance: str = Field(default="expected", max_length=20)  # expected, present, apologies


class AgendaItem(SQLModel, table=True):
    """A case or theme brought to a session, with the practitioner's ask of the team."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        Index("ix_agenda_session", "session_id"),
        Index("ix_agenda_case", "case_id"),
    )
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    case_id: int | None = Field(default=None, foreign_key="case_record.id")
    brought_by_id: int = Field(foreign_key="person.id")
    ask: str = Field(default="", sa_type=Text)
    kind: str = Field(default="reflection", max_length=20)  # reflection, case_management, task
    source: str = Field(default="brought", max_length=20)  # brought, action, risk_review, training
    time_box_minutes: int = Field(default=10)
    position: int = Field(default=0)
    discussion_notes: str = Field(default="", sa_type=Text)
    case_file_summary: str = Field(default="", sa_type=Text)
    summary_ready: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class ArrivalCheckIn(SQLModel, table=True):
    """How someone is arriving at a session: private to them and those their role allows."""

    __tablename__ = "arrival_check_in"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_arrival_session_person"),
        Index("ix_arrival_person", "person_id"),
        _scale("score", "ck_arrival_score"),
    )
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    person_id: int = Field(foreign_key="person.id")
    score: int
    word: str = Field(default="", max_length=40)
    needs_team: bool = Field(default=False)
    entered_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class ClosingCheckIn(SQLModel, table=True):
    __tablename__ = "closing_check_in"
    __table_args__ = (
        UniqueConstraint("session_id", "person_id", name="uq_closing_session_person"),
        _scale("felt_heard", "ck_closing_heard"),
        _scale("helped_my_work", "ck_closing_helped"),
        _scale("held_my_worries", "ck_closing_held"),
    )
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    person_id: int = Field(foreign_key="person.id")
    felt_heard: int
    helped_my_work: int
    held_my_worries: int
    word: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow)


class RelationshipCheckIn(SQLModel, table=True):
    """A practitioner's reflection on their relationship with a child or family.

    Four 0-10 items written for Circle: a reflective prompt, not a validated measure.
    """

    __tablename__ = "relationship_check_in"
    __table_args__ = (
        Index("ix_relcheck_case_at", "case_id", "created_at"),
        Index("ix_relcheck_practitioner_at", "practitioner_id", "created_at"),
        Index("ix_relcheck_session", "session_id"),
        _scale("trust", "ck_relcheck_trust"),
        _scale("feel_heard", "ck_relcheck_heard"),
        _scale("what_matters", "ck_relcheck_matters"),
        _scale("hope", "ck_relcheck_hope"),
    )
    id: int = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case_record.id")
    practitioner_id: int = Field(foreign_key="person.id")
    session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    trust: int
    feel_heard: int
    what_matters: int
    hope: int
    working_well: str = Field(default="", sa_type=Text)
    gets_in_the_way: str = Field(default="", sa_type=Text)
    what_they_would_say: str = Field(default="", sa_type=Text)
    their_own_words: bool = Field(default=False)
    what_i_changed: str = Field(default="", sa_type=Text)
    best_relationship_person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class RiskEntry(SQLModel, table=True):
    """One revision of a risk the team is holding. Rows are never changed: a correction is a
    new revision sharing the first revision's `thread_id`."""

    __tablename__ = "risk_entry"
    __table_args__ = (
        UniqueConstraint("thread_id", "revision", name="uq_risk_thread_revision"),
        Index("ix_risk_team_review", "team_id", "review_on"),
        Index("ix_risk_case_at", "case_id", "created_at"),
        _scale("worry_before", "ck_risk_worry_before"),
        _scale("worry_after", "ck_risk_worry_after"),
    )
    id: int = Field(default=None, primary_key=True)
    thread_id: str = Field(max_length=36)
    revision: int = Field(default=1)
    team_id: int = Field(foreign_key="team.id")
    case_id: int | None = Field(default=None, foreign_key="case_record.id")
    session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    raised_by_id: int = Field(foreign_key="person.id")
    worry: str = Field(sa_type=Text)
    whose_risk: str = Field(max_length=30)
    whose_risk_reasoning: str = Field(default="", sa_type=Text)
    reasonable_for_age: str = Field(default="", sa_type=Text)
    family_view: str = Field(default="", sa_type=Text)
    keeping_safe: str = Field(default="", sa_type=Text)
    decision: str = Field(default="", sa_type=Text)
    decision_reasons: str = Field(default="", sa_type=Text)
    needs_manager: bool = Field(default=False)
    manager_agreed_by_id: int | None = Field(default=None, foreign_key="person.id")
    manager_agreed_at: datetime | None = None
    worry_before: int | None = None
    worry_after: int | None = None
    review_on: date
    status: str = Field(default="open", max_length=20)  # open, closed
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class RiskHolder(SQLModel, table=True):
    __tablename__ = "risk_holder"
    __table_args__ = (
        UniqueConstraint("risk_entry_id", "person_id", name="uq_risk_holder"),
        Index("ix_risk_holder_person", "person_id"),
    )
    id: int = Field(default=None, primary_key=True)
    risk_entry_id: int = Field(foreign_key="risk_entry.id")
    person_id: int = Field(foreign_key="person.id")


class RiskReview(SQLModel, table=True):
    __tablename__ = "risk_review"
    __table_args__ = (Index("ix_risk_review_thread", "thread_id", "reviewed_at"),)
    id: int = Field(default=None, primary_key=True)
    thread_id: str = Field(max_length=36)
    session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    reviewed_by_id: int = Field(foreign_key="person.id")
    reviewed_at: datetime = Field(default_factory=utcnow)
    what_happened: str = Field(max_length=30)
    what_we_learned: str = Field(default="", sa_type=Text)
    next_step: str = Field(max_length=20)
    next_review_on: date | None = None


class Action(SQLModel, table=True):
    __tablename__ = "action"
    __table_args__ = (
        Index("ix_action_team_status_due", "team_id", "status", "due_on"),
        Index("ix_action_owner", "owner_id", "status"),
        Index("ix_action_case", "case_id"),
        Index("ix_action_session", "session_id"),
    )
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    case_id: int | None = Field(default=None, foreign_key="case_record.id")
    description: str = Field(sa_type=Text)
    owner_id: int = Field(foreign_key="person.id")
    due_on: date
    kind: str = Field(default="task", max_length=20)
    status: str = Field(default="open", max_length=20)
    status_reason: str = Field(default="", sa_type=Text)
    completed_on: date | None = None
    carried_from_id: int | None = Field(default=None, foreign_key="action.id")
    # The session in which the team looked back at this action (done, carried or dropped).
    reviewed_session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class SessionAmendment(SQLModel, table=True):
    """A correction added to a closed session's record: the record itself stays as it was."""

    __tablename__ = "session_amendment"
    __table_args__ = (Index("ix_amendment_session", "session_id"),)
    id: int = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="supervision_session.id")
    author_id: int = Field(foreign_key="person.id")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class TrainingCohort(SQLModel, table=True):
    __tablename__ = "training_cohort"
    id: int = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    trainer_id: int = Field(foreign_key="person.id")
    join_code: str | None = Field(default=None, max_length=12, unique=True)
    # A join code works until then (a trainer can make a fresh one).
    join_code_expires_at: datetime | None = None
    starts_on: date
    status: str = Field(default="active", max_length=20)
    notes: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_member"
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id", name="uq_cohort_member"),
        Index("ix_cohort_member_person", "person_id"),
    )
    id: int = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="training_cohort.id")
    person_id: int = Field(foreign_key="person.id")
    # The team whose supervision picks up this person's induction themes, if any.
    team_id: int | None = Field(default=None, foreign_key="team.id")
    joined_at: datetime = Field(default_factory=utcnow)


class Exercise(SQLModel, table=True):
    """A practice exercise on a fictional vignette (never real case data)."""

    __tablename__ = "exercise"
    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    title: str = Field(max_length=160)
    kind: str = Field(max_length=40)
    vignette: str = Field(sa_type=Text)
    steps: str = Field(default="[]", sa_type=Text)  # JSON list of prompts and model answers
    status: str = Field(default="active", max_length=20)  # active, retired
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class ExerciseRun(SQLModel, table=True):
    __tablename__ = "exercise_run"
    __table_args__ = (Index("ix_exercise_run_cohort", "cohort_id", "started_at"),)
    id: int = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="training_cohort.id")
    exercise_id: int = Field(foreign_key="exercise.id")
    started_at: datetime = Field(default_factory=utcnow)
    current_step: int = Field(default=0)
    revealed_step: int = Field(default=-1)
    status: str = Field(default="open", max_length=20)
    trainer_notes: str = Field(default="", sa_type=Text)
    version: int = Field(default=1)


class ExerciseAnswer(SQLModel, table=True):
    __tablename__ = "exercise_answer"
    __table_args__ = (UniqueConstraint("run_id", "person_id", "step", name="uq_exercise_answer"),)
    id: int = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="exercise_run.id")
    person_id: int = Field(foreign_key="person.id")
    step: int
    answer: str = Field(sa_type=Text)  # JSON
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who did what to which record, when (UTC). Holds no record content; append-only
    (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_at", "at"),
        Index("ix_audit_actor_at", "actor_id", "at"),
        Index("ix_audit_record", "record_type", "record_id"),
    )
    id: int = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    actor_label: str = Field(default="", max_length=64)
    action: str = Field(max_length=30)
    record_type: str = Field(default="", max_length=40)
    record_id: str = Field(default="", max_length=40)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    outcome: str = Field(default="ok", max_length=20)


class LanguageTerm(SQLModel, table=True):
    """A word a team would like to notice in its own writing, with kinder words and why
    (added to the relational-language lens's built-in list by the team's supervisor)."""

    __tablename__ = "language_term"
    __table_args__ = (Index("ix_language_term_team", "team_id"),)
    id: int = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    term: str = Field(max_length=60)
    alternatives: str = Field(default="", sa_type=Text)
    why: str = Field(default="", sa_type=Text)
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class InductionTheme(SQLModel, table=True):
    """A theme from induction a trainer sent into a new starter's group supervision: the
    training side's own note of it (the agenda item itself belongs to the team)."""

    __tablename__ = "induction_theme"
    __table_args__ = (Index("ix_induction_theme_cohort", "cohort_id"),)
    id: int = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="training_cohort.id")
    person_id: int = Field(foreign_key="person.id")
    team_id: int = Field(foreign_key="team.id")
    theme: str = Field(sa_type=Text)
    session_id: int | None = Field(default=None, foreign_key="supervision_session.id")
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(default_factory=utcnow)


class RetentionRule(SQLModel, table=True):
    """How long Circle keeps one kind of record once it is finished, set by an administrator.
    `python -m db purge` removes what is older, except what a legal hold keeps."""

    __tablename__ = "retention_rule"
    kind: str = Field(primary_key=True, max_length=40)
    keep_months: int
    set_by_id: int | None = Field(default=None, foreign_key="person.id")
    set_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1)


class LegalHold(SQLModel, table=True):
    """Keeps everything about one case, or naming one person, out of purges and erasure
    (for proceedings, a complaint or an inquiry) until it is lifted."""

    __tablename__ = "legal_hold"
    __table_args__ = (
        Index("ix_legal_hold_case", "case_id"),
        Index("ix_legal_hold_person", "person_id"),
        CheckConstraint("case_id IS NOT NULL OR person_id IS NOT NULL", name="ck_legal_hold_target"),
    )
    id: int = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case_record.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    reason: str = Field(sa_type=Text)
    placed_by_id: int = Field(foreign_key="person.id")
    placed_at: datetime = Field(default_factory=utcnow)
    lifted_by_id: int | None = Field(default=None, foreign_key="person.id")
    lifted_at: datetime | None = None


class Restriction(SQLModel, table=True):
    """A record kept but out of use (UK GDPR article 18): hidden from the team's screens until
    an administrator lifts the restriction."""

    __tablename__ = "restriction"
    __table_args__ = (Index("ix_restriction_record", "record_type", "record_id"),)
    id: int = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=40)
    record_id: str = Field(max_length=40)
    reason: str = Field(sa_type=Text)
    restricted_by_id: int = Field(foreign_key="person.id")
    restricted_at: datetime = Field(default_factory=utcnow)
    lifted_by_id: int | None = Field(default=None, foreign_key="person.id")
    lifted_at: datetime | None = None


# Case-file entries, the mail outbox, notification choices and calendars (issue 17).
from db.notification_models import *  # noqa: E402, F403

# One-to-one supervision and supervision agreements live in their own module (same metadata).
from db.supervision_models import *  # noqa: E402, F403

# The young person's own check-in links, their answers and notes written for them (issue 19).
from db.young_voice_models import *  # noqa: E402, F403
