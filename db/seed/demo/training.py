"""Ruth's induction cohort: the starter exercise library, three exercises run with Leo, Kai
and Jo (answers and the trainer's notes), and one theme Leo takes into Riverside's planned
session (content: demo_training.json)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import Session, select

from db.models import (
    AgendaItem,
    CohortMember,
    Exercise,
    ExerciseAnswer,
    ExerciseRun,
    InductionTheme,
    Person,
    SupervisionSession,
    Team,
    TrainingCohort,
)
from db.seed import read_content
from db.seed.demo.dates import Calendar

_DATA = read_content("demo_training")


def add_training(s: Session, people: dict[str, Person], teams: dict[str, Team], cal: Calendar) -> None:
    from db.training import load_library  # local: training imports the data layer

    load_library(session=s)
    starts = cal.past[4] - timedelta(days=7)  # a Tuesday, six weeks ago
    cohort = _cohort(s, people, teams, cal, starts)
    exercises = {e.slug: e for e in s.exec(select(Exercise)).all()}
    for run in _DATA["runs"]:
        _run(
            s,
            cohort,
            exercises[run["exercise"]],
            run,
            people,
            cal.at(starts + timedelta(weeks=run["week"] - 1), 14),
        )
    _theme(s, cohort, people, teams, cal)


def _cohort(
    s: Session, people: dict[str, Person], teams: dict[str, Team], cal: Calendar, starts: date
) -> TrainingCohort:
    data = _DATA["cohort"]
    season = ("Winter", "Spring", "Summer", "Autumn")[(starts.month % 12) // 3]
    cohort = TrainingCohort(
        name=data["name"].replace("{season}", season),
        trainer_id=people[data["trainer"]].id,
        join_code=data["join_code"],
        # Join codes expire (db.training.JOIN_CODE_LIFETIME); the demo's works for a fortnight.
        join_code_expires_at=cal.at(cal.today + timedelta(days=14), 17),
        starts_on=starts,
        created_at=cal.at(starts - timedelta(days=14), 9),
        notes=data["notes"],
    )
    s.add(cohort)
    s.flush()
    for member in data["members"]:
        team = member["team"]
        s.add(
            CohortMember(
                cohort_id=cohort.id,
                person_id=people[member["username"]].id,
                team_id=teams[team].id if team else None,
                joined_at=cal.at(starts, 13),
            )
        )
    return cohort


def _run(
    s: Session, cohort: TrainingCohort, exercise: Exercise, data: dict, people: dict[str, Person], started
) -> None:
    """One exercise run with the cohort, and each trainee's answers, step by step."""
    run = ExerciseRun(
        cohort_id=cohort.id,
        exercise_id=exercise.id,
        started_at=started,
        current_step=data["current_step"],
        revealed_step=data["revealed_step"],
        status="closed" if data["finished"] else "open",
        trainer_notes=data["trainer_notes"],
    )
    s.add(run)
    s.flush()
    for username, steps in data["answers"].items():
        for step, values in enumerate(steps):
            s.add(
                ExerciseAnswer(
                    run_id=run.id,
                    person_id=people[username].id,
                    step=step,
                    answer=json.dumps(values),
                    created_at=started + timedelta(minutes=10 + 15 * step),
                )
            )


def _theme(
    s: Session, cohort: TrainingCohort, people: dict[str, Person], teams: dict[str, Team], cal: Calendar
) -> None:
    """One theme already on a team's agenda for this week, brought from induction."""
    data = _DATA["theme"]
    team = teams[data["team"]]
    planned = s.exec(
        select(SupervisionSession).where(
            SupervisionSession.team_id == team.id, SupervisionSession.status == "planned"
        )
    ).first()
    if planned is None:
        return
    by = people[data["by"]]
    item = AgendaItem(
        session_id=planned.id,
        brought_by_id=by.id,
        ask=f"From induction: {data['text']}",
        kind="reflection",
        source="training",
        position=99,
        created_at=cal.at(cal.today - timedelta(days=1), 16),
    )
    s.add(item)
    s.flush()
    s.add(
        InductionTheme(
            cohort_id=cohort.id,
            person_id=by.id,
            team_id=team.id,
            theme=data["text"],
            session_id=planned.id,
            agenda_item_id=item.id,
            created_by_id=people[data["sent_by"]].id,
            created_at=cal.at(cal.today - timedelta(days=1), 16),
        )
    )
