"""Who reaches training: a trainer their own cohorts and runs, a participant the runs of their cohorts."""

from __future__ import annotations

from sqlmodel import Session, select

from db import audit
from db.access import Actor, require_role
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import CohortMember, ExerciseRun, TrainingCohort


def _audit(s: Session, actor: Actor | None, action: str, record_type: str, record_id: object) -> None:
    audit.record(
        s,
        action,
        actor_id=actor.person_id if actor else None,
        actor_label=actor.username if actor else "command line",
        record_type=record_type,
        record_id=record_id,
    )


def _audit_export(actor: Actor, record_type: str, record_id: object) -> None:
    """A file of names and answers (or of the library) left Circle: noted like every export."""
    with session_scope(write=True) as s:
        _audit(s, actor, "export", record_type, record_id)


def _require_trainer(actor: Actor) -> None:
    require_role(actor, "trainer")


def _own_cohort(s: Session, actor: Actor, cohort_id: int) -> TrainingCohort:
    _require_trainer(actor)
    cohort = s.get(TrainingCohort, cohort_id)
    if cohort is None or cohort.trainer_id != actor.person_id:
        raise NotAllowed("That cohort is run by another trainer.")
    return cohort


def _own_run(s: Session, actor: Actor, run_id: int) -> tuple[ExerciseRun, TrainingCohort]:
    run = s.get(ExerciseRun, run_id)
    if run is None:
        raise NotAllowed("That exercise run isn't one of yours.")
    return run, _own_cohort(s, actor, run.cohort_id)


def _is_member(s: Session, cohort_id: int, person_id: int) -> bool:
    return (
        s.exec(
            select(CohortMember.id).where(
                CohortMember.cohort_id == cohort_id, CohortMember.person_id == person_id
            )
        ).first()
        is not None
    )
