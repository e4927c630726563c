"""The exercise library: checking an exercise, editing it against a version, copying, retiring, import and export."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, col, select

from db import versioning
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.models import Exercise, Person
from db.training.checking import _check_exercise, _free_slug, _slugify, _steps_json, _view, clean_steps
from db.training.read_models import FILE_FORMAT, LIBRARY_FILE, ExerciseView, ImportResult
from db.training.scope import _audit, _audit_export, _require_trainer
from db.validation import Checks

MAX_IMPORT_BYTES = 1_000_000


def exercises(actor: Actor, *, include_retired: bool = True) -> tuple[ExerciseView, ...]:
    _require_trainer(actor)
    with session_scope() as s:
        q = select(Exercise).order_by(Exercise.status, Exercise.title)
        if not include_retired:
            q = q.where(Exercise.status == "active")
        return tuple(_view(s, e) for e in s.exec(q).all())


def exercise(actor: Actor, exercise_id: int) -> ExerciseView:
    _require_trainer(actor)
    with session_scope() as s:
        ex = s.get(Exercise, exercise_id)
        if ex is None:
            raise NotValid({"exercise": "That exercise is no longer in the library."})
        return _view(s, ex)


def create_exercise(actor: Actor, *, title: str, kind: str, vignette: str, steps: object) -> int:
    _require_trainer(actor)
    c = Checks()
    title, kind, vignette, cleaned = _check_exercise(c, title, kind, vignette, steps)
    c.raise_if_any()
    with session_scope(write=True) as s:
        ex = Exercise(
            slug=_free_slug(s, _slugify(title)),
            title=title,
            kind=kind,
            vignette=vignette,
            steps=_steps_json(cleaned),
            created_by_id=actor.person_id,
        )
        s.add(ex)
        s.flush()
        _audit(s, actor, "create", "exercise", ex.id)
        return int(ex.id)


def update_exercise(
    actor: Actor, exercise_id: int, *, version: int, title: str, kind: str, vignette: str, steps: object
) -> None:
    """Save a trainer's edit; refused if someone saved since it was opened, or if the steps'
    questions change on an exercise a cohort has already answered (copy it instead)."""
    _require_trainer(actor)
    c = Checks()
    title, kind, vignette, cleaned = _check_exercise(c, title, kind, vignette, steps)
    c.raise_if_any()
    with session_scope(write=True) as s:
        ex = s.get(Exercise, exercise_id, with_for_update=True)
        if ex is None:
            raise NotValid({"exercise": "That exercise is no longer in the library."})
        versioning.check(
            ex, version, lambda: _saved_meanwhile(s, ex), {"title": ex.title, "vignette": ex.vignette}
        )
        view = _view(s, ex)
        if view.runs and tuple(st.shape() for st in view.steps) != tuple(st.shape() for st in cleaned):
            raise NotValid(
                {
                    "steps": "A cohort has already answered this exercise, so its questions stay as they "
                    "are (you can still change the wording). Copy it to change the questions."
                }
            )
        ex.title, ex.kind, ex.vignette, ex.steps = title, kind, vignette, _steps_json(cleaned)
        ex.updated_at = utcnow()
        versioning.saved(s, actor, ex, "change", "exercise", exercise_id)


def _saved_meanwhile(s: Session, ex: Exercise) -> str:
    who = s.get(Person, ex.created_by_id) if ex.created_by_id else None
    return (
        "Someone saved this exercise after you opened it"
        + (f" (it was first written by {who.display_name})" if who else "")
        + ". Here is what is saved now; your changes are still in the form."
    )


def copy_exercise(actor: Actor, exercise_id: int) -> int:
    _require_trainer(actor)
    with session_scope(write=True) as s:
        ex = s.get(Exercise, exercise_id)
        if ex is None:
            raise NotValid({"exercise": "That exercise is no longer in the library."})
        title = f"{ex.title} (copy)"[:160]
        new = Exercise(
            slug=_free_slug(s, _slugify(title)),
            title=title,
            kind=ex.kind,
            vignette=ex.vignette,
            steps=ex.steps,
            created_by_id=actor.person_id,
        )
        s.add(new)
        s.flush()
        _audit(s, actor, "create", "exercise", new.id)
        return int(new.id)


def set_status(actor: Actor, exercise_id: int, status: str, version: int) -> None:
    """Retire an exercise (it stays in cohorts' history) or bring it back."""
    _require_trainer(actor)
    if status not in ("active", "retired"):
        raise NotValid({"status": "An exercise is either in use or retired."})
    with session_scope(write=True) as s:
        ex = s.get(Exercise, exercise_id, with_for_update=True)
        if ex is None:
            raise NotValid({"exercise": "That exercise is no longer in the library."})
        versioning.check(ex, version, "Someone changed this exercise a moment ago; please look again.")
        ex.status = status
        ex.updated_at = utcnow()
        versioning.saved(
            s, actor, ex, "retire" if status == "retired" else "restore", "exercise", exercise_id
        )


def export_exercises(actor: Actor, exercise_ids: list[int] | None = None) -> bytes:
    """The library (or some of it) as a JSON file another Circle can import."""
    _require_trainer(actor)
    with session_scope() as s:
        q = select(Exercise).order_by(Exercise.slug)
        if exercise_ids is not None:
            q = q.where(col(Exercise.id).in_(exercise_ids))
        items = [_view(s, e).as_dict() for e in s.exec(q).all()]
    doc = {"format": FILE_FORMAT, "version": 1, "exercises": items}
    _audit_export(actor, "exercise_library", len(items))
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _parse(data: bytes | str) -> list[dict]:
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise NotValid({"file": "That file is larger than an exercise library should be (1 MB)."})
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotValid(
                {"file": "That file isn't text; please choose the .json file Circle exported."}
            ) from exc
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise NotValid(
            {
                "file": f"That file isn't readable JSON (line {exc.lineno}); please check it or export it again."
            }
        ) from exc
    if (
        not isinstance(doc, dict)
        or doc.get("format") != FILE_FORMAT
        or not isinstance(doc.get("exercises"), list)
    ):
        raise NotValid(
            {"file": "That file isn't a Circle exercise library; please choose one Circle exported."}
        )
    items = doc["exercises"]
    problems = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"Exercise {n} isn't laid out as an exercise.")
            continue
        c = Checks()
        _check_exercise(
            c,
            str(item.get("title", "")),
            str(item.get("kind", "")),
            str(item.get("vignette", "")),
            item.get("steps"),
        )
        if c.problems:
            name = str(item.get("title") or f"number {n}")[:60]
            problems.append(f"Exercise '{name}': " + " ".join(c.problems.values()))
    if problems:
        raise NotValid({"file": " ".join(problems[:5])})
    return items


def _import(s: Session, items: list[dict], actor: Actor | None) -> ImportResult:
    added, updated, unchanged, copied = [], [], [], []
    for item in items:
        steps, _ = clean_steps(item["steps"])
        title = str(item["title"]).strip()
        slug = _slugify(str(item.get("slug") or title))
        status = item.get("status") if item.get("status") in ("active", "retired") else "active"
        fields = dict(
            title=title,
            kind=str(item["kind"]),
            vignette=str(item["vignette"]).strip(),
            steps=_steps_json(steps),
        )
        ex = s.exec(select(Exercise).where(Exercise.slug == slug)).first()
        if ex is None:
            ex = Exercise(
                slug=slug,
                status=status,  # type: ignore[arg-type]  # the line that sets it keeps only active or retired, else active
                created_by_id=actor.person_id if actor else None,
                **fields,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            )
            s.add(ex)
            s.flush()
            added.append(title)
            _audit(s, actor, "import", "exercise", ex.id)
            continue
        if all(getattr(ex, k) == v for k, v in fields.items()):
            unchanged.append(title)
            continue
        view = _view(s, ex)
        if view.runs and tuple(st.shape() for st in view.steps) != tuple(st.shape() for st in steps):
            new = Exercise(
                slug=_free_slug(s, slug),
                status=status,  # type: ignore[arg-type]  # the line that sets it keeps only active or retired, else active
                created_by_id=actor.person_id if actor else None,
                **fields,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            )
            s.add(new)
            s.flush()
            copied.append(title)
            _audit(s, actor, "import", "exercise", new.id)
            continue
        for k, v in fields.items():
            setattr(ex, k, v)
        ex.version += 1
        ex.updated_at = utcnow()
        s.add(ex)
        updated.append(title)
        _audit(s, actor, "import", "exercise", ex.id)
    return ImportResult(tuple(added), tuple(updated), tuple(unchanged), tuple(copied))


def import_exercises(actor: Actor, data: bytes | str) -> ImportResult:
    """Add or update exercises from a Circle exercise file: all of it, or none if any needs fixing."""
    _require_trainer(actor)
    items = _parse(data)
    with session_scope(write=True) as s:
        return _import(s, items, actor)


def import_starter_library(actor: Actor) -> ImportResult:
    """The starter library that ships with Circle (the button on an empty library)."""
    return import_exercises(actor, LIBRARY_FILE.read_bytes())


def load_library(path: Path | None = None, *, session: Session | None = None) -> ImportResult:
    """Load a library file without a signed-in trainer: `python -m db exercises` and the demo."""
    items = _parse((path or LIBRARY_FILE).read_bytes())
    if session is not None:
        return _import(session, items, None)
    with session_scope(write=True) as s:
        return _import(s, items, None)
