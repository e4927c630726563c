"""Induction and training: exercises on fictional cases, run live with a cohort of new starters.

What lives here:
- the exercise library (create, edit against a version, copy, retire, import and export as
  JSON; the starter library ships as `db/exercise_library.json`);
- cohorts of new starters: people with their own accounts, or people who join with a short
  code and get a training-only sign-in (a "trainee": no team, no password, one screen);
- runs of an exercise with a cohort: the trainer moves through the steps and reveals the
  model answers; participants answer from their own devices; the debrief counts answers;
- a cohort's history, exported for the induction record (CSV and PDF);
- themes a trainer sends into a new starter's first group supervisions.

Sandbox (who reaches what):
- trainers reach the library and the cohorts *they* run, never a team's records. Sending a
  theme writes one agenda item into the new starter's team's next planned session and says
  which day it landed on; nothing is read back from the team;
- participants (trainees, or staff in a cohort) reach only the runs of cohorts they are in,
  and see a step's model answer only once the trainer has revealed it;
- admins manage people (trainees appear in their list) but do not reach training content;
- nothing here is read by boards, the risk log, session records or insights: training
  answers live only in the exercise tables, and every vignette is fictional.
"""

from __future__ import annotations

import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from db import audit
from db.access import Actor, require_role
from db.accounts import _new_session
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.exports import Document, to_csv
from db.models import (
    AgendaItem,
    CohortMember,
    Exercise,
    ExerciseAnswer,
    ExerciseRun,
    InductionTheme,
    Membership,
    Person,
    SignInSession,
    SignInThrottle,
    SupervisionSession,
    Team,
    TrainingCohort,
)
from db.validation import Checks

TRAINEE = "trainee"
LIBRARY_FILE = Path(__file__).resolve().parent / "exercise_library.json"
FILE_FORMAT = "circle-exercises"
FIELD_TYPES = ("text", "scale", "choice")
KIND_LABELS = {
    "relationship_check_in": "Relationship check-in",
    "which_risk": "Which risk are we managing?",
    "social_discipline_window": "With, to, for or not",
    "relational_rewrite": "Rewriting in relational language",
    "three_column_mapping": "Three columns and a scale",
    "six_ps": "Formulation (the six Ps)",
    "restorative_questions": "Restorative questions",
    "other": "Something else",
}
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread
JOIN_FREE_TRIES = 5
JOIN_BACKOFF_MAX_SECONDS = 300
JOIN_FORGET_AFTER = timedelta(minutes=15)
# A join code works for two weeks from when it was made (a trainer can make a fresh one at
# any time), and one cohort takes at most this many people joining with its code.
JOIN_CODE_LIFETIME = timedelta(days=14)
JOIN_LIMIT = 60
MAX_IMPORT_BYTES = 1_000_000
_KEY = re.compile(r"^[a-z0-9_]{1,30}$")


# ---------------------------------------------------------------- read models


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    model: str | None = None  # the model choice, for choice fields
    low: str = "not at all"
    high: str = "completely"
    lens: bool = False  # show the relational-language lens under this text field

    def as_dict(self) -> dict:
        out: dict = {"key": self.key, "label": self.label, "type": self.type}
        if self.type == "choice":
            out["options"] = list(self.options)
            if self.model is not None:
                out["model"] = self.model
        if self.type == "scale":
            out["low"], out["high"] = self.low, self.high
        if self.type == "text" and self.lens:
            out["lens"] = True
        return out


@dataclass(frozen=True)
class Step:
    title: str
    prompt: str
    fields: tuple[Field, ...]
    model_answer: str = ""

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "prompt": self.prompt,
            "fields": [f.as_dict() for f in self.fields],
            "model_answer": self.model_answer,
        }

    def shape(self) -> tuple:
        """What answers depend on: the fields' keys, types and options (not the wording)."""
        return tuple((f.key, f.type, f.options) for f in self.fields)

    def without_models(self) -> Step:
        return Step(
            self.title,
            self.prompt,
            tuple(Field(f.key, f.label, f.type, f.options, None, f.low, f.high, f.lens) for f in self.fields),
            "",
        )


@dataclass(frozen=True)
class ExerciseView:
    id: int
    slug: str
    title: str
    kind: str
    vignette: str
    steps: tuple[Step, ...]
    status: str
    version: int
    runs: int
    updated_at: datetime

    def as_dict(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind,
            "vignette": self.vignette,
            "status": self.status,
            "steps": [s.as_dict() for s in self.steps],
        }


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    copied: tuple[str, ...] = ()  # already run with a cohort and changed shape: added as a copy


@dataclass(frozen=True)
class Member:
    person_id: int
    name: str
    team_id: int | None
    team_name: str | None
    joined_at: datetime
    with_code: bool  # joined with the cohort's code (a training-only sign-in)


@dataclass(frozen=True)
class RunLine:
    id: int
    exercise_title: str
    started_at: datetime
    status: str
    current_step: int
    steps: int
    people_answered: int


@dataclass(frozen=True)
class ThemeLine:
    person: str
    team_name: str
    theme: str
    session_on: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class CohortLine:
    id: int
    name: str
    starts_on: date
    status: str
    members: int
    runs: int


@dataclass(frozen=True)
class CohortView:
    id: int
    name: str
    starts_on: date
    status: str
    notes: str
    join_code: str | None
    version: int
    members: tuple[Member, ...]
    runs: tuple[RunLine, ...]
    themes: tuple[ThemeLine, ...]
    join_code_expires_at: datetime | None = None


@dataclass(frozen=True)
class RunView:
    id: int
    cohort_id: int
    cohort_name: str
    exercise: ExerciseView
    current_step: int
    revealed_step: int
    status: str
    trainer_notes: str
    version: int
    members: int
    answered: tuple[int, ...]  # people who have answered, per step
    started_at: datetime

    @property
    def step(self) -> Step:
        return self.exercise.steps[self.current_step]

    @property
    def revealed(self) -> bool:
        return self.revealed_step >= self.current_step


@dataclass(frozen=True)
class MyRun:
    run_id: int
    cohort_name: str
    exercise_title: str
    started_at: datetime
    status: str


@dataclass(frozen=True)
class ParticipantView:
    run_id: int
    cohort_name: str
    title: str
    vignette: str
    steps: tuple[Step, ...]  # only the steps reached so far; model answers only once revealed
    current_step: int
    revealed_step: int
    status: str
    my_answers: dict[int, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Spread:
    field: Field
    counts: tuple[tuple[str, int], ...]  # (option or score, how many), in display order


@dataclass(frozen=True)
class TextAnswer:
    who: str  # "Person A": never a name on the shared screen
    label: str
    text: str


@dataclass(frozen=True)
class StepDebrief:
    index: int
    step: Step
    people: int
    spreads: tuple[Spread, ...]
    texts: tuple[TextAnswer, ...]


@dataclass(frozen=True)
class HistoryRow:
    person: str
    exercise: str
    run_started: datetime
    step: int
    step_title: str
    question: str
    answer: str
    answered_at: datetime


@dataclass(frozen=True)
class JoinResult:
    ok: bool
    token: str | None = None
    message: str = ""
    wait_seconds: int = 0


@dataclass(frozen=True)
class ThemeSent:
    team_name: str
    scheduled_for: datetime


# ---------------------------------------------------------------- helpers


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


# ---------------------------------------------------------------- checking an exercise


def clean_steps(raw: object) -> tuple[tuple[Step, ...], list[str]]:
    """Steps from JSON-like data, and what needs fixing (in words a trainer can act on)."""
    problems: list[str] = []
    if not isinstance(raw, list) or not raw:
        return (), ["An exercise needs at least one step."]
    if len(raw) > 12:
        problems.append("Please keep an exercise to 12 steps or fewer.")
    steps: list[Step] = []
    for n, item in enumerate(raw[:12], start=1):
        where = f"Step {n}"
        if not isinstance(item, dict):
            problems.append(f"{where} isn't laid out as a step.")
            continue
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
            fwhere = f"{where}, question {m}"
            if not isinstance(f, dict):
                problems.append(f"{fwhere} isn't laid out as a question.")
                continue
            key = str(f.get("key") or f"q{m}")
            kind = str(f.get("type") or "text")
            label = str(f.get("label") or "").strip()
            if not _KEY.match(key) or key in keys:
                problems.append(f"{fwhere} needs its own short key (lower-case letters, numbers, _).")
            keys.add(key)
            if kind not in FIELD_TYPES:
                problems.append(f"{fwhere} is a '{kind[:20]}'; questions are text, scale or choice.")
                continue
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
            fields.append(
                Field(
                    key,
                    label,
                    kind,
                    options,
                    model,
                    str(f.get("low") or "not at all")[:60],
                    str(f.get("high") or "completely")[:60],
                    bool(f.get("lens")) and kind == "text",
                )
            )
        if not fields:
            problems.append(f"{where} needs at least one question.")
        steps.append(Step(title, prompt, tuple(fields), model_answer))
    return tuple(steps), problems


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


# ---------------------------------------------------------------- the library


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
        if ex.version != version:
            who = s.get(Person, ex.created_by_id) if ex.created_by_id else None
            raise EditConflict(
                "Someone saved this exercise after you opened it"
                + (f" (it was first written by {who.display_name})" if who else "")
                + ". Here is what is saved now; your changes are still in the form.",
                {"title": ex.title, "vignette": ex.vignette},
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
        ex.version += 1
        ex.updated_at = utcnow()
        s.add(ex)
        _audit(s, actor, "change", "exercise", exercise_id)


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
        if ex.version != version:
            raise EditConflict("Someone changed this exercise a moment ago; please look again.")
        ex.status = status
        ex.version += 1
        ex.updated_at = utcnow()
        s.add(ex)
        _audit(s, actor, "retire" if status == "retired" else "restore", "exercise", exercise_id)


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
        status = str(item["status"]) if item.get("status") in ("active", "retired") else "active"
        fields = dict(
            title=title,
            kind=str(item["kind"]),
            vignette=str(item["vignette"]).strip(),
            steps=_steps_json(steps),
        )
        ex = s.exec(select(Exercise).where(Exercise.slug == slug)).first()
        if ex is None:
            ex = Exercise(
                slug=slug, status=status, created_by_id=actor.person_id if actor else None, **fields  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
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
                status=status,
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


# ---------------------------------------------------------------- cohorts


def cohorts(actor: Actor) -> tuple[CohortLine, ...]:
    _require_trainer(actor)
    with session_scope() as s:
        members = (
            select(CohortMember.cohort_id, func.count().label("n"))
            .group_by(col(CohortMember.cohort_id))
            .subquery()
        )
        runs = (
            select(ExerciseRun.cohort_id, func.count().label("r")).group_by(col(ExerciseRun.cohort_id)).subquery()
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
        if found.version != version:
            raise EditConflict(
                "These notes were saved from another window after you opened them. Here is what is saved "
                "now; your changes are still in the form.",
                {"notes": found.notes},
            )
        found.notes = notes
        found.version += 1
        s.add(found)
        _audit(s, actor, "change", "training_cohort", cohort_id)


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
        if team_id is not None and (
            s.exec(
                select(Membership.id).where(
                    Membership.team_id == team_id,
                    Membership.person_id == person_id,
                    col(Membership.left_on).is_(None),
                )
            ).first()
            is None
        ):
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


# ---------------------------------------------------------------- joining with a code


def _join_wait(throttle: SignInThrottle | None) -> int:
    if throttle is None or throttle.failures < JOIN_FREE_TRIES:
        return 0
    return min(2 ** (throttle.failures - JOIN_FREE_TRIES + 1), JOIN_BACKOFF_MAX_SECONDS)


def normalise_code(code: str) -> str:
    raw = re.sub(r"[\s]+", "", (code or "").upper())[:20]
    return raw


def join(
    code: str,
    display_name: str,
    *,
    client_key: str,
    replaces: str | None = None,
    now: datetime | None = None,
) -> JoinResult:
    """Join a cohort with its code: a training-only sign-in (no team, no password, one screen).

    Wrong codes are counted per client and slow further tries, as sign-in does, under their
    own keys (`join:`), so failed sign-ins never hold up a real code. A code works until it
    expires and for at most `JOIN_LIMIT` people. `replaces` is the sign-in token this browser
    held before, which ends now.
    """
    now = now or utcnow()
    key = f"join:{client_key}"[:64]
    c = Checks()
    name = c.text("name", display_name, "Your name", max_len=60, single_line=True)
    wanted = normalise_code(code)
    if not wanted:
        c.add("code", "Please type the join code your trainer gave you.")
    if c.problems:
        return JoinResult(ok=False, message=" ".join(c.problems.values()))
    with session_scope(write=True) as s:
        throttle = s.get(SignInThrottle, key)
        if throttle and now - throttle.last_failure_at > JOIN_FORGET_AFTER:
            s.delete(throttle)
            s.flush()
            throttle = None
        wait = _join_wait(throttle)
        if throttle and wait and now < throttle.last_failure_at + timedelta(seconds=wait):
            left = max(
                1, int((throttle.last_failure_at + timedelta(seconds=wait) - now).total_seconds() + 0.999)
            )
            return JoinResult(
                ok=False,
                wait_seconds=left,
                message=f"There have been a few codes that didn't match, so please wait {left} seconds and try again.",
            )
        found = s.exec(
            select(TrainingCohort).where(
                TrainingCohort.join_code == wanted, TrainingCohort.status == "active"
            )
        ).first()
        if found is not None and (found.join_code_expires_at is None or now >= found.join_code_expires_at):
            audit.record(s, "join_failed", actor_label="join code", record_id=found.id, outcome="expired")
            return JoinResult(
                ok=False,
                message="That code has come to the end of its time. Please ask your trainer for a fresh one.",
            )
        if found is not None:
            joined = s.exec(
                select(func.count())
                .select_from(CohortMember)
                .join(Person, col(Person.id) == col(CohortMember.person_id))
                .where(CohortMember.cohort_id == found.id, Person.role == TRAINEE)
            ).one()
            if joined >= JOIN_LIMIT:
                audit.record(s, "join_failed", actor_label="join code", record_id=found.id, outcome="full")
                return JoinResult(
                    ok=False,
                    message="This cohort is full, so nobody else can join with its code. Please speak to your trainer.",
                )
        if found is None:
            if throttle is None:
                throttle = SignInThrottle(key=key, failures=0)
            throttle.failures += 1
            throttle.last_failure_at = now
            s.add(throttle)
            audit.record(s, "join_failed", actor_label="join code", outcome="refused")
            return JoinResult(
                ok=False,
                message="That code doesn't match a cohort that's open to join. Please check it with your trainer.",
            )
        person = Person(
            username=f"trainee-{secrets.token_hex(6)}",
            display_name=name,
            role=TRAINEE,
            password_hash=None,
        )
        s.add(person)
        s.flush()
        s.add(CohortMember(cohort_id=found.id, person_id=person.id, team_id=None))
        token = _new_session(s, int(person.id), now, replaces)
        audit.record(
            s,
            "join",
            actor_id=person.id,
            actor_label=person.username,
            record_type="training_cohort",
            record_id=found.id,
        )
        return JoinResult(ok=True, token=token)


# ---------------------------------------------------------------- running an exercise


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
        if found.version != version:
            raise EditConflict("The run moved on in another window a moment ago; here is where it is now.")
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
        found.version += 1
        s.add(found)
        _audit(s, actor, "change", "exercise_run", run_id)


def save_run_notes(actor: Actor, run_id: int, *, notes: str, version: int) -> None:
    c = Checks()
    notes = c.text("notes", notes, "Your notes", required=False, max_len=6000)
    c.raise_if_any()
    with session_scope(write=True) as s:
        found, _ = _own_run(s, actor, run_id)
        if found.version != version:
            raise EditConflict(
                "The run changed after you opened these notes (a step moved, or the notes were saved from "
                "another window). Here is what is saved now; your notes are still in the form.",
                {"notes": found.trainer_notes},
            )
        found.trainer_notes = notes
        found.version += 1
        s.add(found)
        _audit(s, actor, "change", "exercise_run", run_id)


# ---------------------------------------------------------------- taking part


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


# ---------------------------------------------------------------- history and export


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
                ExerciseAnswer, col(Person.display_name), col(Exercise.title), col(Exercise.steps), col(ExerciseRun.started_at)
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


# ---------------------------------------------------------------- into supervision


def send_theme(
    actor: Actor, cohort_id: int, person_id: int, theme: str, *, now: datetime | None = None
) -> ThemeSent:
    """Put a theme from induction on the new starter's team's next planned group supervision.

    It arrives as a reflection brought by the new starter (source "training"), so the team
    talks about it with them; the trainer learns only which day it landed on.
    """
    now = now or utcnow()
    c = Checks()
    theme = c.text("theme", theme, "The theme", max_len=500)
    c.raise_if_any()
    with session_scope(write=True) as s:
        _own_cohort(s, actor, cohort_id)
        member = s.exec(
            select(CohortMember).where(
                CohortMember.cohort_id == cohort_id, CohortMember.person_id == person_id
            )
        ).first()
        if member is None:
            raise NotValid({"person": "They aren't in this cohort."})
        if member.team_id is None:
            raise NotValid(
                {
                    "person": "They joined with the cohort's code and have no team yet, so there is no supervision to send it to."
                }
            )
        in_team = s.exec(
            select(Membership.id).where(
                Membership.team_id == member.team_id,
                Membership.person_id == person_id,
                col(Membership.left_on).is_(None),
            )
        ).first()
        team = s.get(Team, member.team_id)
        team_name = team.name if team else "their team"
        if in_team is None:
            raise NotValid({"person": f"They are no longer in {team_name}, so the theme has nowhere to go."})
        session = s.exec(
            select(SupervisionSession)
            .where(
                SupervisionSession.team_id == member.team_id,
                SupervisionSession.status == "planned",
                SupervisionSession.scheduled_for >= now - timedelta(hours=12),
            )
            .order_by(col(SupervisionSession.scheduled_for))
        ).first()
        if session is None:
            raise NotValid(
                {
                    "theme": f"{team_name} has no group supervision planned yet. Once their supervisor plans "
                    "the next one, send this again; your text is still here."
                }
            )
        position = s.exec(
            select(func.coalesce(func.max(AgendaItem.position), 0)).where(AgendaItem.session_id == session.id)
        ).one()
        item = AgendaItem(
            session_id=session.id,
            case_id=None,
            brought_by_id=person_id,
            ask=f"From induction: {theme}",
            kind="reflection",
            source="training",
            time_box_minutes=10,
            position=int(position) + 1,
        )
        s.add(item)
        s.flush()
        s.add(
            InductionTheme(
                cohort_id=cohort_id,
                person_id=person_id,
                team_id=member.team_id,
                theme=theme,
                session_id=session.id,
                agenda_item_id=item.id,
                created_by_id=actor.person_id,
            )
        )
        audit.record(
            s,
            "create",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="agenda_item",
            record_id=item.id,
            team_id=member.team_id,
        )
        return ThemeSent(team_name, session.scheduled_for)
