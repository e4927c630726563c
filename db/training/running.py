"""Running an exercise with a cohort: the trainer moves through the steps; the debrief counts answers."""

from __future__ import annotations

import json
from collections import Counter

from sqlmodel import Session, col, func, select

from db import versioning
from db.access import Actor
from db.engine import session_scope
from db.errors import NotValid
from db.models import CohortMember, Exercise, ExerciseAnswer, ExerciseRun
from db.training.checking import _steps_from_json, _view
from db.training.read_models import RunView, Spread, StepDebrief, TextAnswer
from db.training.scope import _audit, _own_cohort, _own_run
from db.validation import Checks


def start_run(actor: Actor, cohort_id: int, exercise_id: int) -> int:
    with session_scope(write=True) as s:
        found = _own_cohort(s, actor, cohort_id)
        if found.status != "active":
            raise NotValid({"cohort": "This cohort has finished; start a new cohort to run more exercises."})
        ex = s.get(Exercise, exercise_id)
        if ex is None or ex.status != "active":
            raise NotValid({"exercise": "Please choose an exercise that's in use (not retired)."})
        run = ExerciseRun(cohort_id=cohort_id, exercise_id=exercise_id, current_step=0, revealed_step=-1)
        s.add(run)
        s.flush()
        _audit(s, actor, "create", "exercise_run", run.id)
        return int(run.id)


def _answered_per_step(s: Session, run_id: int, steps: int) -> tuple[int, ...]:
    rows = dict(
        s.exec(
            select(ExerciseAnswer.step, func.count(func.distinct(ExerciseAnswer.person_id)))
            .where(ExerciseAnswer.run_id == run_id)
            .group_by(col(ExerciseAnswer.step))
        ).all()
    )
    return tuple(int(rows.get(i, 0)) for i in range(steps))


def run(actor: Actor, run_id: int) -> RunView:
    with session_scope() as s:
        found, owner = _own_run(s, actor, run_id)
        ex = s.get(Exercise, found.exercise_id)
        assert ex is not None
        view = _view(s, ex)
        members = s.exec(
            select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == owner.id)
        ).one()
        return RunView(
            found.id,
            owner.id,
            owner.name,
            view,
            min(found.current_step, len(view.steps) - 1),
            found.revealed_step,
            found.status,
            found.trainer_notes,
            found.version,
            int(members),
            _answered_per_step(s, run_id, len(view.steps)),
            found.started_at,
        )


def move(
    actor: Actor,
    run_id: int,
    version: int,
    *,
    to_step: int | None = None,
    reveal: bool = False,
    close: bool = False,
    reopen: bool = False,
) -> None:
    """The trainer moves the run: to a step, reveals the current step's model answer, closes or reopens it."""
    with session_scope(write=True) as s:
        found, _ = _own_run(s, actor, run_id)
        s.refresh(found, with_for_update=True)  # PostgreSQL: one version check at a time
        versioning.check(
            found, version, "The run moved on in another window a moment ago; here is where it is now."
        )
        ex = s.get(Exercise, found.exercise_id)
        steps = len(_steps_from_json(ex.steps)) if ex else 1
        if to_step is not None:
            if not 0 <= to_step < steps:
                raise NotValid({"step": "That step isn't part of this exercise."})
            found.current_step = to_step
        if reveal:
            found.revealed_step = max(found.revealed_step, found.current_step)
        if close:
            found.status = "closed"
        if reopen:
            found.status = "open"
        versioning.saved(s, actor, found, "change", "exercise_run", run_id)


def save_run_notes(actor: Actor, run_id: int, *, notes: str, version: int) -> None:
    c = Checks()
    notes = c.text("notes", notes, "Your notes", required=False, max_len=6000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        found, _ = _own_run(s, actor, run_id)
        versioning.check(
            found,
            version,
            "The run changed after you opened these notes (a step moved, or the notes were saved from "
            "another window). Here is what is saved now; your notes are still in the form.",
            {"notes": found.trainer_notes},
        )
        found.trainer_notes = notes
        versioning.saved(s, actor, found, "change", "exercise_run", run_id)


# ---------------------------------------------------------------- debrief


def _letter(n: int) -> str:
    return f"Person {chr(ord('A') + n)}" if n < 26 else f"Person {n + 1}"


def debrief(actor: Actor, run_id: int) -> tuple[StepDebrief, ...]:
    """The spread of answers per step, and the written answers, labelled Person A, B, ... (no names)."""
    with session_scope() as s:
        found, _ = _own_run(s, actor, run_id)
        ex = s.get(Exercise, found.exercise_id)
        assert ex is not None
        steps = _steps_from_json(ex.steps)
        answers = s.exec(
            select(ExerciseAnswer).where(ExerciseAnswer.run_id == run_id).order_by(col(ExerciseAnswer.id))
        ).all()
    order: dict[int, int] = {}
    for a in answers:
        order.setdefault(a.person_id, len(order))
    out = []
    for i, st in enumerate(steps):
        these = [(order[a.person_id], json.loads(a.answer)) for a in answers if a.step == i]
        these.sort(key=lambda t: t[0])
        spreads = []
        texts = []
        for f in st.fields:
            values = [v[f.key] for _, v in these if f.key in v]
            if f.type == "scale":
                counted = Counter(int(v) for v in values)
                spreads.append(Spread(f, tuple((str(n), counted.get(n, 0)) for n in range(11))))
            elif f.type == "choice":
                chosen = Counter(values)
                spreads.append(Spread(f, tuple((o, chosen.get(o, 0)) for o in f.options)))
            else:
                texts += [TextAnswer(_letter(n), f.label, v[f.key]) for n, v in these if v.get(f.key)]
        out.append(StepDebrief(i, st, len(these), tuple(spreads), tuple(texts)))
    return tuple(out)
