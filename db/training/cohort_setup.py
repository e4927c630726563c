"""Cohorts of new starters: creating one, its members, its notes, its join code and closing it."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select

from db import names, versioning
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.models import (
    CohortMember,
    Exercise,
    ExerciseAnswer,
    ExerciseRun,
    InductionTheme,
    Membership,
    Person,
    SignInSession,
    SupervisionSession,
    Team,
    TrainingCohort,
)
from db.training.read_models import (
    JOIN_ALPHABET,
    JOIN_CODE_LIFETIME,
    TRAINEE,
    CohortLine,
    CohortView,
    Member,
    RunLine,
    ThemeLine,
)
from db.training.scope import _audit, _is_member, _own_cohort, _require_trainer
from db.validation import Checks


def cohorts(actor: Actor) -> tuple[CohortLine, ...]:
    _require_trainer(actor)
    with session_scope() as s:
        members = (
            select(CohortMember.cohort_id, func.count().label("n"))
            .group_by(col(CohortMember.cohort_id))
            .subquery()
        )
        runs = (
            select(ExerciseRun.cohort_id, func.count().label("r"))
            .group_by(col(ExerciseRun.cohort_id))
            .subquery()
        )
        rows = s.exec(
            select(TrainingCohort, func.coalesce(members.c.n, 0), func.coalesce(runs.c.r, 0))
            .outerjoin(members, members.c.cohort_id == TrainingCohort.id)
            .outerjoin(runs, runs.c.cohort_id == TrainingCohort.id)
            .where(TrainingCohort.trainer_id == actor.person_id)
            .order_by(col(TrainingCohort.starts_on).desc())
        ).all()
        return tuple(CohortLine(c.id, c.name, c.starts_on, c.status, int(n), int(r)) for c, n, r in rows)


def create_cohort(actor: Actor, *, name: str, starts_on: date | None, with_code: bool = True) -> int:
    _require_trainer(actor)
    c = Checks()
    name = c.text("name", name, "The cohort's name", max_len=120, single_line=True)
    c.day("starts_on", starts_on, "The start date")
    c.raise_if_any()
    with session_scope(write=True) as s:
        cohort = TrainingCohort(
            name=name,
            trainer_id=actor.person_id,
            starts_on=starts_on,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            join_code=_free_code(s) if with_code else None,
            join_code_expires_at=utcnow() + JOIN_CODE_LIFETIME if with_code else None,
        )
        s.add(cohort)
        s.flush()
        _audit(s, actor, "create", "training_cohort", cohort.id)
        return int(cohort.id)


def _free_code(s: Session) -> str:
    while True:
        raw = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        if s.exec(select(TrainingCohort.id).where(TrainingCohort.join_code == code)).first() is None:
            return code


def cohort(actor: Actor, cohort_id: int) -> CohortView:
    with session_scope() as s:
        found = _own_cohort(s, actor, cohort_id)
        member_rows = s.exec(
            select(CohortMember, Person.display_name, Person.role, Team.name)
            .join(Person, col(Person.id) == col(CohortMember.person_id))
            .outerjoin(Team, col(Team.id) == col(CohortMember.team_id))
            .where(CohortMember.cohort_id == cohort_id)
            .order_by(Person.display_name)
        ).all()
        members = tuple(
            Member(m.person_id, name, m.team_id, team, m.joined_at, role == TRAINEE)
            for m, name, role, team in member_rows
        )
        answered = (
            select(ExerciseAnswer.run_id, func.count(func.distinct(ExerciseAnswer.person_id)).label("p"))
            .group_by(col(ExerciseAnswer.run_id))
            .subquery()
        )
        run_rows = s.exec(
            select(ExerciseRun, Exercise.title, Exercise.steps, func.coalesce(answered.c.p, 0))
            .join(Exercise, col(Exercise.id) == col(ExerciseRun.exercise_id))
            .outerjoin(answered, answered.c.run_id == ExerciseRun.id)
            .where(ExerciseRun.cohort_id == cohort_id)
            .order_by(col(ExerciseRun.started_at).desc())
        ).all()
        runs = tuple(
            RunLine(r.id, title, r.started_at, r.status, r.current_step, len(json.loads(steps)), int(p))
            for r, title, steps, p in run_rows
        )
        theme_rows = s.exec(
            select(InductionTheme, Person.display_name, Team.name, SupervisionSession.scheduled_for)
            .join(Person, col(Person.id) == col(InductionTheme.person_id))
            .join(Team, col(Team.id) == col(InductionTheme.team_id))
            .outerjoin(SupervisionSession, col(SupervisionSession.id) == col(InductionTheme.session_id))
            .where(InductionTheme.cohort_id == cohort_id)
            .order_by(col(InductionTheme.created_at).desc())
        ).all()
        themes = tuple(
            ThemeLine(name, team, t.theme, when, t.created_at) for t, name, team, when in theme_rows
        )
        return CohortView(
            found.id,
            found.name,
            found.starts_on,
            found.status,
            found.notes,
            found.join_code,
            found.version,
            members,
            runs,
            themes,
            found.join_code_expires_at,
        )


def save_cohort_notes(actor: Actor, cohort_id: int, *, notes: str, version: int) -> None:
    c = Checks()
    notes = c.text("notes", notes, "Your notes", required=False, max_len=6000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        found = _own_cohort(s, actor, cohort_id)
        versioning.check(
            found,
            version,
            "These notes were saved from another window after you opened them. Here is what is saved "
            "now; your changes are still in the form.",
            {"notes": found.notes},
        )
        found.notes = notes
        versioning.saved(s, actor, found, "change", "training_cohort", cohort_id)


def set_join_code(actor: Actor, cohort_id: int, *, on: bool) -> str | None:
    """A fresh join code (the old one stops working), or none: nobody new can join with a code."""
    with session_scope(write=True) as s:
        found = _own_cohort(s, actor, cohort_id)
        found.join_code = _free_code(s) if on else None
        found.join_code_expires_at = utcnow() + JOIN_CODE_LIFETIME if on else None
        found.version += 1
        s.add(found)
        _audit(s, actor, "join_code_on" if on else "join_code_off", "training_cohort", cohort_id)
        return found.join_code


def close_cohort(actor: Actor, cohort_id: int) -> None:
    """Induction is over: the code stops working, runs close, and training-only sign-ins end."""
    with session_scope(write=True) as s:
        found = _own_cohort(s, actor, cohort_id)
        found.status = "closed"
        found.join_code = None
        found.version += 1
        s.add(found)
        for run in s.exec(select(ExerciseRun).where(ExerciseRun.cohort_id == cohort_id)).all():
            if run.status != "closed":
                run.status = "closed"
                run.version += 1
                s.add(run)
        trainees = s.exec(
            select(Person)
            .join(CohortMember, col(CohortMember.person_id) == col(Person.id))
            .where(CohortMember.cohort_id == cohort_id, Person.role == TRAINEE)
        ).all()
        now = utcnow()
        for person in trainees:
            person.is_active = False
            s.add(person)
            for signin in s.exec(
                select(SignInSession).where(
                    SignInSession.person_id == person.id, col(SignInSession.revoked_at).is_(None)
                )
            ).all():
                signin.revoked_at, signin.revoked_reason = now, "cohort_closed"
                s.add(signin)
        _audit(s, actor, "close", "training_cohort", cohort_id)


@dataclass(frozen=True)
class Starter:
    person_id: int
    name: str
    team_id: int
    team_name: str


def starter_choices(actor: Actor) -> tuple[Starter, ...]:
    """Staff a trainer can add to a cohort: names and teams only, nothing from the team's work."""
    _require_trainer(actor)
    with session_scope() as s:
        rows = s.exec(
            select(Person.id, Person.display_name, Team.id, Team.name)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .join(Team, col(Team.id) == col(Membership.team_id))
            .where(
                col(Membership.left_on).is_(None),
                col(Membership.role).in_(("practitioner", "supervisor")),
                Person.is_active,
            )
            .order_by(Person.display_name, Team.name)
        ).all()
        return tuple(Starter(pid, name, tid, tname) for pid, name, tid, tname in rows)


def add_member(actor: Actor, cohort_id: int, person_id: int, team_id: int | None) -> None:
    """Add a new starter with their own account; their team's supervision picks up themes."""
    with session_scope(write=True) as s:
        found = _own_cohort(s, actor, cohort_id)
        if found.status != "active":
            raise NotValid({"person": "This cohort has finished, so nobody new can join it."})
        person = s.get(Person, person_id)
        if person is None or not person.is_active:
            raise NotValid({"person": "That person can't sign in to Circle at the moment."})
        if team_id is not None and not names.is_member(s, team_id, person_id):
            raise NotValid({"team": "They aren't in that team; please choose the team they work in."})
        if _is_member(s, cohort_id, person_id):
            raise NotValid({"person": "They're already in this cohort."})
        s.add(CohortMember(cohort_id=cohort_id, person_id=person_id, team_id=team_id))
        _audit(s, actor, "add_member", "training_cohort", cohort_id)


def remove_member(actor: Actor, cohort_id: int, person_id: int) -> None:
    """Take someone out of a cohort. Answers they gave stay in the cohort's history."""
    with session_scope(write=True) as s:
        _own_cohort(s, actor, cohort_id)
        row = s.exec(
            select(CohortMember).where(
                CohortMember.cohort_id == cohort_id, CohortMember.person_id == person_id
            )
        ).first()
        if row is None:
            raise NotValid({"person": "They have already left this cohort."})
        s.delete(row)
        _audit(s, actor, "remove_member", "training_cohort", cohort_id)
