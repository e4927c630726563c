"""Taking part: the runs a participant is in, and their answers."""

from __future__ import annotations

import json

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed, NotValid
from db.models import CohortMember, Exercise, ExerciseAnswer, ExerciseRun, TrainingCohort
from db.training.checking import _steps_from_json
from db.training.read_models import MyRun, ParticipantView, Step
from db.training.scope import _is_member
from db.validation import Checks


def my_runs(actor: Actor) -> tuple[MyRun, ...]:
    """Exercises running now (and earlier ones) in the cohorts this person is in."""
    with session_scope() as s:
        rows = s.exec(
            select(ExerciseRun, TrainingCohort.name, Exercise.title)
            .join(TrainingCohort, col(TrainingCohort.id) == col(ExerciseRun.cohort_id))
            .join(CohortMember, col(CohortMember.cohort_id) == col(TrainingCohort.id))
            .join(Exercise, col(Exercise.id) == col(ExerciseRun.exercise_id))
            .where(CohortMember.person_id == actor.person_id)
            .order_by((col(ExerciseRun.status) == "closed").asc(), col(ExerciseRun.started_at).desc())
            .limit(30)
        ).all()
        return tuple(MyRun(r.id, cname, title, r.started_at, r.status) for r, cname, title in rows)


def _load_for_participant(
    s: Session, actor: Actor, run_id: int
) -> tuple[ExerciseRun, TrainingCohort, Exercise]:
    found = s.get(ExerciseRun, run_id)
    if found is None or not _is_member(s, found.cohort_id, actor.person_id):
        raise NotAllowed("That exercise belongs to a cohort you aren't in.")
    owner = s.get(TrainingCohort, found.cohort_id)
    ex = s.get(Exercise, found.exercise_id)
    assert owner is not None and ex is not None
    return found, owner, ex


def taking_part(actor: Actor, run_id: int) -> ParticipantView:
    with session_scope() as s:
        found, owner, ex = _load_for_participant(s, actor, run_id)
        steps = _steps_from_json(ex.steps)
        current = min(found.current_step, len(steps) - 1)
        reached = tuple(
            st if i <= found.revealed_step else st.without_models()
            for i, st in enumerate(steps[: current + 1])
        )
        mine = {
            a.step: json.loads(a.answer)
            for a in s.exec(
                select(ExerciseAnswer).where(
                    ExerciseAnswer.run_id == run_id, ExerciseAnswer.person_id == actor.person_id
                )
            ).all()
        }
        return ParticipantView(
            run_id,
            owner.name,
            ex.title,
            ex.vignette,
            reached,
            current,
            found.revealed_step,
            found.status,
            mine,
        )


def _clean_answer(step: Step, values: dict) -> dict:
    c = Checks()
    out: dict = {}
    for f in step.fields:
        v = values.get(f.key)
        if f.type == "text":
            text = c.text(f.key, v if isinstance(v, str) else "", f.label, required=False, max_len=4000)
            if text:
                out[f.key] = text
        elif f.type == "scale":
            if v is not None:
                out[f.key] = c.scale(f.key, v, f.label)
        elif v is not None:
            if v not in f.options:
                c.add(f.key, "Please choose one of the options.")
            else:
                out[f.key] = v
    if not out and not c.problems:
        c.add("answer", "Please answer at least one part before sending.")
    c.raise_if_any()
    return out


def save_answer(actor: Actor, run_id: int, step: int, values: dict) -> None:
    """Send (or change) this person's answer to a step the run has reached."""
    with session_scope(write=True) as s:
        found, _, ex = _load_for_participant(s, actor, run_id)
        if found.status != "open":
            raise NotValid({"answer": "This exercise has finished, so answers are kept as they were."})
        steps = _steps_from_json(ex.steps)
        if not 0 <= step <= min(found.current_step, len(steps) - 1):
            raise NotValid({"answer": "The trainer hasn't opened that step yet."})
        answer = json.dumps(_clean_answer(steps[step], values), ensure_ascii=False)
        row = s.exec(
            select(ExerciseAnswer).where(
                ExerciseAnswer.run_id == run_id,
                ExerciseAnswer.person_id == actor.person_id,
                ExerciseAnswer.step == step,
            )
        ).first()
        if row is None:
            try:
                with s.begin_nested():
                    s.add(ExerciseAnswer(run_id=run_id, person_id=actor.person_id, step=step, answer=answer))
                return
            except IntegrityError:
                row = s.exec(
                    select(ExerciseAnswer).where(
                        ExerciseAnswer.run_id == run_id,
                        ExerciseAnswer.person_id == actor.person_id,
                        ExerciseAnswer.step == step,
                    )
                ).one()
        row.answer = answer
        row.created_at = utcnow()
        s.add(row)
