"""Training's read models, and the words and limits it uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

TRAINEE = "trainee"
LIBRARY_FILE = Path(__file__).resolve().parent.parent / "exercise_library.json"
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
