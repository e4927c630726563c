"""Induction and training, data layer: the library, cohorts and join codes, runs and answers,
the debrief, the induction record, themes into supervision, and the sandbox around it all."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, time, timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import col, func, select

from components.navigation import pages_for
from db import accounts, risk_log, sessions, training
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    AgendaItem,
    AuditEvent,
    Case,
    Exercise,
    RelationshipCheckIn,
    RiskEntry,
    SignInThrottle,
    SupervisionSession,
)
from tests import factories


@pytest.fixture
def world(db: str) -> dict:
    riverside = factories.team("Riverside")
    northgate = factories.team("Northgate")
    people = {
        "ruth": factories.person("ruth", "trainer"),
        "tess": factories.person("tess", "trainer"),
        "hannah": factories.person("hannah", "supervisor", {riverside: "supervisor"}),
        "leo": factories.person("leo", "practitioner", {riverside: "practitioner"}),
        "kai": factories.person("kai", "practitioner", {northgate: "practitioner"}),
        "ada": factories.person("ada", "admin"),
    }
    actors = {k: v.actor() for k, v in people.items()}
    return {"riverside": riverside, "northgate": northgate, "people": people, "actors": actors}


def _cohort_with_run(world: dict, slug: str = "which-risk-are-we-managing") -> tuple[int, int]:
    ruth = world["actors"]["ruth"]
    training.import_starter_library(ruth)
    cohort_id = training.create_cohort(ruth, name="Spring induction", starts_on=date.today())
    training.add_member(ruth, cohort_id, world["people"]["leo"].person_id, world["riverside"])
    training.add_member(ruth, cohort_id, world["people"]["kai"].person_id, world["northgate"])
    exercise_id = next(e.id for e in training.exercises(ruth) if e.slug == slug)
    return cohort_id, training.start_run(ruth, cohort_id, exercise_id)


# ---------------------------------------------------------------- the library


def test_the_starter_library_has_at_least_six_fictional_exercises(world: dict) -> None:
    ruth = world["actors"]["ruth"]
    result = training.import_starter_library(ruth)
    assert len(result.added) >= 6
    library = training.exercises(ruth)
    kinds = {e.kind for e in library}
    assert {
        "relationship_check_in",
        "which_risk",
        "social_discipline_window",
        "relational_rewrite",
        "three_column_mapping",
        "six_ps",
        "restorative_questions",
    } <= kinds
    for e in library:
        assert e.vignette and e.steps and all(s.prompt and s.fields for s in e.steps)
    rewrite = next(e for e in library if e.kind == "relational_rewrite")
    assert any(f.lens for s in rewrite.steps for f in s.fields)
    again = training.import_starter_library(ruth)
    assert not again.added and len(again.unchanged) == len(library)


def test_export_and_import_round_trip(world: dict, tmp_path, monkeypatch) -> None:
    ruth = world["actors"]["ruth"]
    training.import_starter_library(ruth)
    new_id = training.create_exercise(
        ruth,
        title="Naming what went well",
        kind="other",
        vignette="A made-up team had a good week. Ünïcode survives: Zoë, Siân.",
        steps=[
            {
                "title": "First",
                "prompt": "What went well?",
                "fields": [
                    {"key": "what", "label": "What", "type": "text", "lens": True},
                    {"key": "how", "label": "How sure", "type": "scale", "low": "unsure", "high": "sure"},
                    {"key": "who", "label": "Who", "type": "choice", "options": ["Me", "Us"], "model": "Us"},
                ],
                "model_answer": "Us, mostly.",
            }
        ],
    )
    exported = training.export_exercises(ruth)
    before = {e.slug: e.as_dict() for e in training.exercises(ruth)}
    # Into an empty database: everything comes back exactly.
    with session_scope(write=True) as s:
        for e in s.exec(select(Exercise)).all():
            s.delete(e)
    result = training.import_exercises(ruth, exported)
    assert len(result.added) == len(before)
    after = {e.slug: e.as_dict() for e in training.exercises(ruth)}
    assert after == before
    assert json.loads(exported)["format"] == training.FILE_FORMAT
    assert new_id  # the hand-written one travelled too
    assert "Ünïcode" in next(e for e in after.values() if e["title"] == "Naming what went well")["vignette"]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json at all", "isn't readable JSON"),
        (b'{"format": "something-else", "exercises": []}', "isn't a Circle exercise library"),
        (
            json.dumps(
                {
                    "format": "circle-exercises",
                    "exercises": [
                        {
                            "slug": "fine",
                            "title": "Fine",
                            "kind": "other",
                            "vignette": "x",
                            "steps": [{"prompt": "Why?"}],
                        },
                        {"title": "Broken", "kind": "other", "vignette": "x", "steps": []},
                    ],
                }
            ).encode(),
            "Exercise 'Broken'",
        ),
    ],
)
def test_a_bad_file_is_refused_whole_and_says_why(world: dict, data: bytes, says: str) -> None:
    ruth = world["actors"]["ruth"]
    with pytest.raises(NotValid) as refused:
        training.import_exercises(ruth, data)
    assert says in refused.value.problems["file"]
    assert training.exercises(ruth) == ()


def test_edit_copy_and_retire(world: dict) -> None:
    ruth, tess = world["actors"]["ruth"], world["actors"]["tess"]
    training.import_starter_library(ruth)
    ex = training.exercises(ruth)[0]
    as_dicts = [s.as_dict() for s in ex.steps]
    training.update_exercise(
        ruth,
        ex.id,
        version=ex.version,
        title="A better title",
        kind=ex.kind,
        vignette=ex.vignette,
        steps=as_dicts,
    )
    # Tess opened the same version before Ruth saved: her save is refused, nothing is lost.
    with pytest.raises(EditConflict) as stale:
        training.update_exercise(
            tess,
            ex.id,
            version=ex.version,
            title="Tess's title",
            kind=ex.kind,
            vignette=ex.vignette,
            steps=as_dicts,
        )
    assert stale.value.theirs["title"] == "A better title"
    with pytest.raises(NotValid) as bad:
        training.update_exercise(
            ruth, ex.id, version=ex.version + 1, title="", kind="nope", vignette="", steps=[]
        )
    assert set(bad.value.problems) == {"title", "kind", "vignette", "steps"}

    copy_id = training.copy_exercise(ruth, ex.id)
    copy = training.exercise(ruth, copy_id)
    assert copy.title == "A better title (copy)" and copy.slug != ex.slug and copy.steps == ex.steps

    fresh = training.exercise(ruth, ex.id)
    training.set_status(ruth, ex.id, "retired", fresh.version)
    assert ex.id not in {e.id for e in training.exercises(ruth, include_retired=False)}
    cohort_id = training.create_cohort(ruth, name="C", starts_on=date.today())
    with pytest.raises(NotValid):
        training.start_run(ruth, cohort_id, ex.id)


def test_questions_stay_put_once_a_cohort_has_answered(world: dict) -> None:
    ruth = world["actors"]["ruth"]
    _, run_id = _cohort_with_run(world)
    ex = training.run(ruth, run_id).exercise
    steps = [s.as_dict() for s in ex.steps]
    steps[0]["prompt"] = "Reworded, which is fine."
    training.update_exercise(
        ruth, ex.id, version=ex.version, title=ex.title, kind=ex.kind, vignette=ex.vignette, steps=steps
    )
    steps[0]["fields"] = steps[0]["fields"][:2]
    with pytest.raises(NotValid, match="Copy it"):
        training.update_exercise(
            ruth,
            ex.id,
            version=ex.version + 1,
            title=ex.title,
            kind=ex.kind,
            vignette=ex.vignette,
            steps=steps,
        )


def test_only_trainers_reach_the_library(world: dict) -> None:
    for who in ("hannah", "leo", "ada"):
        with pytest.raises(NotAllowed):
            training.exercises(world["actors"][who])
        with pytest.raises(NotAllowed):
            training.import_starter_library(world["actors"][who])


# ---------------------------------------------------------------- cohorts, join codes


def test_joining_with_a_code_gives_a_training_only_sign_in(world: dict) -> None:
    ruth = world["actors"]["ruth"]
    cohort_id = training.create_cohort(ruth, name="Spring", starts_on=date.today())
    code = training.cohort(ruth, cohort_id).join_code
    assert code and len(code) == 9

    joined = training.join(code.lower().replace("-", "- "), "Jo New", client_key="10.0.0.1")
    assert joined.ok and joined.token
    jo = accounts.actor_for_token(joined.token)
    assert jo is not None and jo.role == "trainee" and jo.team_ids == ()
    assert pages_for("trainee") == ("training_take",)
    members = training.cohort(ruth, cohort_id).members
    assert [(m.name, m.with_code, m.team_id) for m in members] == [("Jo New", True, None)]
    # No password: the sign-in form can never be used for a trainee.
    assert not accounts.sign_in(jo.username, "").ok

    assert not training.join(code, "", client_key="10.0.0.1").ok
    training.set_join_code(ruth, cohort_id, on=False)
    refused = training.join(code, "Someone", client_key="10.0.0.2")
    assert not refused.ok and "doesn't match" in refused.message


def test_wrong_codes_slow_down_further_tries(world: dict) -> None:
    now = utcnow()
    for n in range(training.JOIN_FREE_TRIES):
        assert not training.join("NOPE-NOPE", "Guesser", client_key="1.2.3.4", now=now).wait_seconds, n
    waiting = training.join("NOPE-NOPE", "Guesser", client_key="1.2.3.4", now=now)
    assert waiting.wait_seconds > 0 and "wait" in waiting.message
    # Another address is not held back, and the count is forgotten after a quiet while.
    assert not training.join("NOPE-NOPE", "Other", client_key="5.6.7.8", now=now).wait_seconds
    later = now + training.JOIN_FORGET_AFTER + timedelta(minutes=1)
    assert not training.join("NOPE-NOPE", "Guesser", client_key="1.2.3.4", now=later).wait_seconds
    with session_scope() as s:
        assert s.get(SignInThrottle, "join:1.2.3.4") is not None


def test_cohorts_belong_to_their_trainer(world: dict) -> None:
    ruth, tess = world["actors"]["ruth"], world["actors"]["tess"]
    cohort_id, run_id = _cohort_with_run(world)
    assert training.cohorts(tess) == ()
    for call in (
        lambda: training.cohort(tess, cohort_id),
        lambda: training.run(tess, run_id),
        lambda: training.debrief(tess, run_id),
        lambda: training.history(tess, cohort_id),
        lambda: training.move(tess, run_id, 1, reveal=True),
    ):
        with pytest.raises(NotAllowed):
            call()
    assert [c.id for c in training.cohorts(ruth)] == [cohort_id]


def test_finishing_a_cohort_ends_training_only_sign_ins(world: dict) -> None:
    ruth = world["actors"]["ruth"]
    cohort_id, run_id = _cohort_with_run(world)
    code = training.cohort(ruth, cohort_id).join_code
    joined = training.join(code or "", "Jo", client_key="x")
    training.close_cohort(ruth, cohort_id)
    assert accounts.actor_for_token(joined.token) is None
    assert training.run(ruth, run_id).status == "closed"
    assert training.cohort(ruth, cohort_id).join_code is None
    # Staff in the cohort keep their own sign-ins.
    assert accounts.actor_for_token(world["people"]["leo"].token) is not None


# ---------------------------------------------------------------- a run, end to end


def test_a_run_answers_reveal_and_debrief(world: dict) -> None:
    ruth, leo, kai, hannah = (world["actors"][k] for k in ("ruth", "leo", "kai", "hannah"))
    cohort_id, run_id = _cohort_with_run(world)
    assert [r.run_id for r in training.my_runs(leo)] == [run_id]
    assert training.my_runs(hannah) == ()
    with pytest.raises(NotAllowed):
        training.taking_part(hannah, run_id)
    with pytest.raises(NotAllowed):
        training.save_answer(hannah, run_id, 0, {"s1": "Both"})

    # Before the reveal, nothing on a participant's device gives the model answer away.
    view = training.taking_part(leo, run_id)
    assert len(view.steps) == 1 and view.steps[0].model_answer == ""
    assert all(f.model is None for f in view.steps[0].fields)
    with pytest.raises(NotValid, match="hasn't opened"):
        training.save_answer(leo, run_id, 1, {"plan": "Too soon"})
    with pytest.raises(NotValid, match="at least one"):
        training.save_answer(leo, run_id, 0, {})
    with pytest.raises(NotValid):
        training.save_answer(leo, run_id, 0, {"s1": "Made up option"})

    training.save_answer(leo, run_id, 0, {"s1": "Both", "s2": "Professional anxiety", "why": "First go"})
    training.save_answer(
        leo, run_id, 0, {"s1": "Both", "s2": "Professional anxiety", "why": "Changed my mind"}
    )
    training.save_answer(kai, run_id, 0, {"s1": "Risk to the young person", "why": "=HYPERLINK(1)"})
    run = training.run(ruth, run_id)
    assert run.answered == (2, 0) and run.members == 2

    training.move(ruth, run_id, run.version, reveal=True)
    assert training.taking_part(leo, run_id).steps[0].model_answer
    with pytest.raises(EditConflict):
        training.move(ruth, run_id, run.version, to_step=1)
    training.move(ruth, run_id, run.version + 1, to_step=1)
    training.save_answer(kai, run_id, 1, {"plan": "Say yes, with a plan made with Keeley."})

    steps = training.debrief(ruth, run_id)
    first = steps[0]
    assert first.people == 2
    s1 = next(sp for sp in first.spreads if sp.field.key == "s1")
    assert dict(s1.counts) == {"Risk to the young person": 1, "Professional anxiety": 0, "Both": 1}
    assert {t.who for t in first.texts} == {"Person A", "Person B"}
    assert "Changed my mind" in {t.text for t in first.texts}
    assert all("Example" not in t.who for t in first.texts)  # no names on the shared screen

    rows = training.history(ruth, cohort_id)
    assert {r.person for r in rows} == {"Leo Example", "Kai Example"}
    table = list(csv.reader(io.StringIO(training.history_csv(ruth, cohort_id).decode("utf-8-sig"))))
    assert table[0][0] == "Person"
    assert "'=HYPERLINK(1)" in [cell for row in table for cell in row]
    pdf = PdfReader(io.BytesIO(training.history_pdf(ruth, cohort_id)))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Spring induction" in text and "Leo Example" in text

    training.move(ruth, run_id, run.version + 2, close=True)
    with pytest.raises(NotValid, match="finished"):
        training.save_answer(leo, run_id, 1, {"plan": "Late"})
    training.save_run_notes(ruth, run_id, notes="Kai wants more time on anxiety.", version=run.version + 3)
    assert training.run(ruth, run_id).trainer_notes.startswith("Kai")


# ---------------------------------------------------------------- into supervision


def _plan(world: dict, days: int) -> int:
    hannah = world["actors"]["hannah"]
    return sessions.plan(
        hannah,
        world["riverside"],
        day=(utcnow() + timedelta(days=days)).date(),
        start=time(10, 0),
        duration_minutes=90,
    )


def test_a_theme_lands_on_the_new_starters_next_planned_session(world: dict) -> None:
    ruth, hannah, leo = world["actors"]["ruth"], world["actors"]["hannah"], world["actors"]["leo"]
    cohort_id, _ = _cohort_with_run(world)
    leo_id, kai_id = world["people"]["leo"].person_id, world["people"]["kai"].person_id
    with pytest.raises(NotValid, match="no group supervision planned"):
        training.send_theme(ruth, cohort_id, leo_id, "Staying honest about a worry")
    later = _plan(world, 9)
    sooner = _plan(world, 2)
    sent = training.send_theme(ruth, cohort_id, leo_id, "Staying honest about a worry")
    assert (
        sent.team_name == "Riverside" and sent.scheduled_for.date() == (utcnow() + timedelta(days=2)).date()
    )
    items = sessions.agenda(hannah, sooner).items
    (item,) = [i for i in items if "Staying honest" in i.ask]
    assert item.brought_by_id == leo.person_id and item.case_id is None and item.kind == "reflection"
    assert sessions.agenda(hannah, later).items == ()
    with session_scope() as s:
        row = s.get(AgendaItem, item.id)
        assert row is not None and row.source == "training"
    assert [t.theme for t in training.cohort(ruth, cohort_id).themes] == ["Staying honest about a worry"]
    # Kai is in Northgate, which has nothing planned; someone who joined with a code has no team.
    with pytest.raises(NotValid):
        training.send_theme(ruth, cohort_id, kai_id, "A theme")
    with pytest.raises(NotValid):
        training.send_theme(ruth, cohort_id, leo_id, "")
    with pytest.raises(NotAllowed):
        training.send_theme(world["actors"]["tess"], cohort_id, leo_id, "Not my cohort")


# ---------------------------------------------------------------- the sandbox


def test_training_never_reaches_real_records_and_real_screens_never_show_training(world: dict) -> None:
    ruth, hannah = world["actors"]["ruth"], world["actors"]["hannah"]
    riverside = world["riverside"]
    with session_scope(write=True) as s:
        s.add(
            Case(team_id=riverside, reference="RB-1", lead_practitioner_id=world["people"]["leo"].person_id)
        )
    cohort_id, run_id = _cohort_with_run(world)
    code = training.cohort(ruth, cohort_id).join_code
    jo = accounts.actor_for_token(training.join(code or "", "Jo", client_key="j").token)
    assert jo is not None

    def real_rows() -> dict[str, int]:
        with session_scope() as s:
            return {
                m.__name__: int(s.exec(select(func.count()).select_from(m)).one())
                for m in (Case, AgendaItem, RiskEntry, RelationshipCheckIn, SupervisionSession)
            }

    before = real_rows()
    training.save_answer(jo, run_id, 0, {"s1": "Both", "why": "My worry about the festival"})
    training.save_answer(world["actors"]["leo"], run_id, 0, {"s2": "Both"})
    training.move(ruth, run_id, training.run(ruth, run_id).version, reveal=True)
    training.debrief(ruth, run_id)
    assert real_rows() == before

    # Trainers and trainees reach no team's sessions, cases or worries.
    for who in (ruth, jo):
        assert sessions.sessions_for(who) == ()
        with pytest.raises(NotAllowed):
            sessions.team_cases(who, riverside)
        with pytest.raises(NotAllowed):
            risk_log.team_log(who, riverside)
        with pytest.raises(NotAllowed):
            training.exercises(jo)
    # Training events carry no team, so nothing of it shows in a team's audit view either.
    with session_scope() as s:
        training_events = s.exec(
            select(AuditEvent).where(
                col(AuditEvent.record_type).in_(("exercise", "exercise_run", "training_cohort"))
            )
        ).all()
    assert training_events and all(e.team_id is None for e in training_events)
    # A practitioner in the cohort sees their training only on the training screen.
    assert [line.id for line in sessions.sessions_for(hannah)] == []
