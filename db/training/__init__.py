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

Callers use `from db import training` and `training.<name>`; the parts live in:
`read_models` (what callers get back, and the words and limits), `scope` (a trainer's own
cohorts and runs), `checking` (an exercise's steps), `library`, `cohort_setup`, `joining`,
`running` (and the debrief), `participants` (taking part), `history_export` and `themes`
(into supervision).
"""

from __future__ import annotations

from db.training.checking import clean_steps
from db.training.cohort_setup import (
    Starter,
    add_member,
    close_cohort,
    cohort,
    cohorts,
    create_cohort,
    remove_member,
    save_cohort_notes,
    set_join_code,
    starter_choices,
)
from db.training.history_export import history, history_csv, history_pdf
from db.training.joining import join, normalise_code
from db.training.library import (
    MAX_IMPORT_BYTES,
    copy_exercise,
    create_exercise,
    exercise,
    exercises,
    export_exercises,
    import_exercises,
    import_starter_library,
    load_library,
    set_status,
    update_exercise,
)
from db.training.participants import my_runs, save_answer, taking_part
from db.training.read_models import (
    FIELD_TYPES,
    FILE_FORMAT,
    JOIN_ALPHABET,
    JOIN_BACKOFF_MAX_SECONDS,
    JOIN_CODE_LIFETIME,
    JOIN_FORGET_AFTER,
    JOIN_FREE_TRIES,
    JOIN_LIMIT,
    KIND_LABELS,
    LIBRARY_FILE,
    TRAINEE,
    CohortLine,
    CohortView,
    ExerciseView,
    Field,
    HistoryRow,
    ImportResult,
    JoinResult,
    Member,
    MyRun,
    ParticipantView,
    RunLine,
    RunView,
    Spread,
    Step,
    StepDebrief,
    TextAnswer,
    ThemeLine,
    ThemeSent,
)
from db.training.running import debrief, move, run, save_run_notes, start_run
from db.training.themes import send_theme

__all__ = [
    "CohortLine",
    "CohortView",
    "ExerciseView",
    "FIELD_TYPES",
    "FILE_FORMAT",
    "Field",
    "HistoryRow",
    "ImportResult",
    "JOIN_ALPHABET",
    "JOIN_BACKOFF_MAX_SECONDS",
    "JOIN_CODE_LIFETIME",
    "JOIN_FORGET_AFTER",
    "JOIN_FREE_TRIES",
    "JOIN_LIMIT",
    "JoinResult",
    "KIND_LABELS",
    "LIBRARY_FILE",
    "MAX_IMPORT_BYTES",
    "Member",
    "MyRun",
    "ParticipantView",
    "RunLine",
    "RunView",
    "Spread",
    "Starter",
    "Step",
    "StepDebrief",
    "TRAINEE",
    "TextAnswer",
    "ThemeLine",
    "ThemeSent",
    "add_member",
    "clean_steps",
    "close_cohort",
    "cohort",
    "cohorts",
    "copy_exercise",
    "create_cohort",
    "create_exercise",
    "debrief",
    "exercise",
    "exercises",
    "export_exercises",
    "history",
    "history_csv",
    "history_pdf",
    "import_exercises",
    "import_starter_library",
    "join",
    "load_library",
    "move",
    "my_runs",
    "normalise_code",
    "remove_member",
    "run",
    "save_answer",
    "save_cohort_notes",
    "save_run_notes",
    "send_theme",
    "set_join_code",
    "set_status",
    "start_run",
    "starter_choices",
    "taking_part",
    "update_exercise",
]
