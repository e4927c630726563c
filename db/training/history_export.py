"""A cohort's history, and its export for the induction record (CSV and PDF)."""

from __future__ import annotations

import json

from sqlmodel import col, select

from db.access import Actor
from db.engine import session_scope
from db.exports import Document, to_csv
from db.models import Exercise, ExerciseAnswer, ExerciseRun, Person
from db.training.checking import _steps_from_json
from db.training.cohort_setup import cohort
from db.training.read_models import Field, HistoryRow, Step
from db.training.scope import _audit_export, _own_cohort


def _answer_text(f: Field, value: object) -> str:
    if value is None:
        return ""
    if f.type == "scale":
        return f"{value} out of 10"
    return str(value)


def history(actor: Actor, cohort_id: int) -> tuple[HistoryRow, ...]:
    """Who answered what, by name: for the trainer and the induction record, not the shared screen."""
    with session_scope() as s:
        _own_cohort(s, actor, cohort_id)
        rows = s.exec(
            select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                ExerciseAnswer,
                col(Person.display_name),
                col(Exercise.title),
                col(Exercise.steps),
                col(ExerciseRun.started_at),
            )
            .join(ExerciseRun, ExerciseRun.id == ExerciseAnswer.run_id)
            .join(Exercise, Exercise.id == ExerciseRun.exercise_id)
            .join(Person, Person.id == ExerciseAnswer.person_id)
            .where(ExerciseRun.cohort_id == cohort_id)
            .order_by(ExerciseRun.started_at, Person.display_name, ExerciseAnswer.step)
        ).all()
    out = []
    cache: dict[str, tuple[Step, ...]] = {}
    for a, name, title, raw_steps, started in rows:
        steps = cache.setdefault(raw_steps, _steps_from_json(raw_steps))
        if a.step >= len(steps):
            continue
        st = steps[a.step]
        values = json.loads(a.answer)
        for f in st.fields:
            if f.key in values:
                out.append(
                    HistoryRow(
                        name,
                        title,
                        started,
                        a.step + 1,
                        st.title,
                        f.label,
                        _answer_text(f, values[f.key]),
                        a.created_at,
                    )
                )
    return tuple(out)


def history_csv(actor: Actor, cohort_id: int) -> bytes:
    rows = history(actor, cohort_id)
    _audit_export(actor, "cohort", cohort_id)
    return to_csv(
        (
            "Person",
            "Exercise",
            "Run started",
            "Step",
            "Step title",
            "Question",
            "Answer",
            "Answered at (UTC)",
        ),
        (
            (
                r.person,
                r.exercise,
                f"{r.run_started:%Y-%m-%d %H:%M}",
                r.step,
                r.step_title,
                r.question,
                r.answer,
                f"{r.answered_at:%Y-%m-%d %H:%M}",
            )
            for r in rows
        ),
    )


def history_pdf(actor: Actor, cohort_id: int) -> bytes:
    view = cohort(actor, cohort_id)
    rows = history(actor, cohort_id)
    doc = Document(f"Induction record: {view.name}")
    doc.para(f"Started {view.starts_on:%d %B %Y}. Every case in these exercises is fictional.")
    doc.heading("Who took part")
    for m in view.members:
        doc.para(f"{m.name}" + (f" ({m.team_name})" if m.team_name else " (joined with the cohort's code)"))
    if view.notes:
        doc.heading("Trainer's notes")
        doc.para(view.notes)
    if view.themes:
        doc.heading("Themes taken into group supervision")
        for t in view.themes:
            when = f", {t.session_on:%d %B %Y}" if t.session_on else ""
            doc.para(f"{t.person} · {t.team_name}{when}: {t.theme}")
    with session_scope() as s:
        notes = {
            r.id: r.trainer_notes
            for r in s.exec(select(ExerciseRun).where(ExerciseRun.cohort_id == cohort_id)).all()
            if r.trainer_notes
        }
    for line in view.runs:
        doc.heading(f"{line.exercise_title} · {line.started_at:%d %B %Y}")
        if line.id in notes:
            doc.para("Trainer's notes", bold=True)
            doc.para(notes[line.id])
        for r in rows:
            if r.exercise == line.exercise_title and r.run_started == line.started_at:
                doc.para(f"{r.person} · step {r.step}, {r.question}", bold=True)
                doc.para(r.answer)
    _audit_export(actor, "cohort", cohort_id)
    return doc.bytes()
