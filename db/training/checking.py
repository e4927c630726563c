"""Checking an exercise's steps (as typed or imported), and reading an exercise back."""

from __future__ import annotations

import json
import re

from sqlmodel import Session, func, select

from db.models import Exercise, ExerciseRun
from db.training.read_models import FIELD_TYPES, KIND_LABELS, ExerciseView, Field, Step
from db.validation import Checks

_KEY = re.compile(r"^[a-z0-9_]{1,30}$")


def clean_steps(raw: object) -> tuple[tuple[Step, ...], list[str]]:
    """Steps from JSON-like data, and what needs fixing (in words a trainer can act on)."""
    problems: list[str] = []
    if not isinstance(raw, list) or not raw:
        return (), ["An exercise needs at least one step."]
    if len(raw) > 12:
        problems.append("Please keep an exercise to 12 steps or fewer.")
    steps: list[Step] = []
    for n, item in enumerate(raw[:12], start=1):
        step = _clean_step(n, item, problems)
        if step is not None:
            steps.append(step)
    return tuple(steps), problems


def _clean_step(n: int, item: object, problems: list[str]) -> Step | None:
    """One step (None if it isn't laid out as one); what needs fixing goes on `problems`."""
    where = f"Step {n}"
    if not isinstance(item, dict):
        problems.append(f"{where} isn't laid out as a step.")
        return None
    title = str(item.get("title") or f"Step {n}").strip()[:120]
    prompt = str(item.get("prompt") or "").strip()
    if not prompt:
        problems.append(f"{where} needs a question or prompt.")
    if len(prompt) > 1500:
        problems.append(f"{where}'s prompt is long; please keep it to 1,500 characters.")
    model_answer = str(item.get("model_answer") or "").strip()
    if len(model_answer) > 4000:
        problems.append(f"{where}'s model answer is long; please keep it to 4,000 characters.")
    raw_fields = item.get("fields") or [{"key": "answer", "label": "Your answer", "type": "text"}]
    if not isinstance(raw_fields, list) or len(raw_fields) > 12:
        problems.append(f"{where} can have up to 12 questions.")
        raw_fields = []
    fields: list[Field] = []
    keys: set[str] = set()
    for m, f in enumerate(raw_fields, start=1):
        field = _clean_field(f"{where}, question {m}", m, f, keys, problems)
        if field is not None:
            fields.append(field)
    if not fields:
        problems.append(f"{where} needs at least one question.")
    return Step(title, prompt, tuple(fields), model_answer)


def _clean_field(fwhere: str, m: int, f: object, keys: set[str], problems: list[str]) -> Field | None:
    """One question of a step (None if it can't be one); its key joins `keys`."""
    if not isinstance(f, dict):
        problems.append(f"{fwhere} isn't laid out as a question.")
        return None
    key = str(f.get("key") or f"q{m}")
    kind = str(f.get("type") or "text")
    label = str(f.get("label") or "").strip()
    if not _KEY.match(key) or key in keys:
        problems.append(f"{fwhere} needs its own short key (lower-case letters, numbers, _).")
    keys.add(key)
    if kind not in FIELD_TYPES:
        problems.append(f"{fwhere} is a '{kind[:20]}'; questions are text, scale or choice.")
        return None
    if not label or len(label) > 300:
        problems.append(f"{fwhere} needs a label of up to 300 characters.")
    options: tuple[str, ...] = ()
    model = None
    if kind == "choice":
        options = tuple(str(o).strip()[:80] for o in (f.get("options") or []) if str(o).strip())
        if not 2 <= len(options) <= 6 or len(set(options)) != len(options):
            problems.append(f"{fwhere} needs two to six different options.")
        model = f.get("model")
        if model is not None and model not in options:
            problems.append(f"{fwhere}'s model answer should be one of its options.")
            model = None
    return Field(
        key,
        label,
        kind,
        options,
        model,
        str(f.get("low") or "not at all")[:60],
        str(f.get("high") or "completely")[:60],
        bool(f.get("lens")) and kind == "text",
    )


def _check_exercise(
    c: Checks, title: str, kind: str, vignette: str, steps: object
) -> tuple[str, str, str, tuple[Step, ...]]:
    title = c.text("title", title, "The title", max_len=160, single_line=True)
    vignette = c.text("vignette", vignette, "The vignette", max_len=6000)
    if kind not in KIND_LABELS:
        c.add("kind", "Please choose what kind of exercise this is.")
    cleaned, problems = clean_steps(steps)
    if problems:
        c.add("steps", " ".join(problems[:4]))
    return title, kind, vignette, cleaned


def _slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]
    return slug or "exercise"


def _free_slug(s: Session, base: str) -> str:
    slug, n = base, 2
    while s.exec(select(Exercise.id).where(Exercise.slug == slug)).first() is not None:
        slug = f"{base[:70]}-{n}"
        n += 1
    return slug


def _steps_json(steps: tuple[Step, ...]) -> str:
    return json.dumps([s.as_dict() for s in steps], ensure_ascii=False)


def _steps_from_json(raw: str) -> tuple[Step, ...]:
    steps, _ = clean_steps(json.loads(raw or "[]"))
    return steps


def _view(s: Session, ex: Exercise) -> ExerciseView:
    runs = s.exec(select(func.count()).select_from(ExerciseRun).where(ExerciseRun.exercise_id == ex.id)).one()
    return ExerciseView(
        ex.id,
        ex.slug,
        ex.title,
        ex.kind,
        ex.vignette,
        _steps_from_json(ex.steps),
        ex.status,
        ex.version,
        int(runs),
        ex.updated_at,
    )
