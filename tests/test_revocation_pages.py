"""A sign-in that ends while a screen is open: the live parts, downloads and callbacks that
run without app.py check it again (components/identity.py), so nothing more is drawn or
saved for it. Through AppTest, the sign-in is ended at the worst moment: after app.py has
let the run in, before the live part runs (as when another tab signs out between two
refreshes). The browser test is tests/test_revocation_browser.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db import accounts, training
from db.access import Actor
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import ExerciseAnswer
from tests import factories
from tests.conftest import app_for

SEEN: list[str] = []  # what the little scripts below reached, read back by the tests
KEPT: list[Callable[[], bytes | str]] = []


@pytest.fixture
def exercise(sqlite_db: str) -> dict:
    """A trainer running "Which risk are we managing?" with Leo in the cohort."""
    riverside = factories.team("Riverside")
    ruth = factories.person("ruth", "trainer")
    leo = factories.person("leo", "practitioner", {riverside: "practitioner"})
    training.import_starter_library(ruth.actor())
    cohort_id = training.create_cohort(ruth.actor(), name="Spring", starts_on=date.today())
    training.add_member(ruth.actor(), cohort_id, leo.person_id, riverside)
    which = next(e for e in training.exercises(ruth.actor()) if e.slug == "which-risk-are-we-managing")
    run_id = training.start_run(ruth.actor(), cohort_id, which.id)
    SEEN.clear()
    KEPT.clear()
    return {"ruth": ruth, "leo": leo, "run_id": run_id}


def _ended_after(monkeypatch: pytest.MonkeyPatch, module: object, name: str, token: str) -> None:
    """End the sign-in when the page calls `module.name`: after app.py's check, before the
    live part's."""
    original = getattr(module, name)

    def ending(*args: object, **kwargs: object) -> object:
        accounts.sign_out_token(token)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, ending)


def _answers() -> int:
    with session_scope() as s:
        return len(s.exec(select(ExerciseAnswer)).all())


def _signed_out(at: AppTest) -> bool:
    """The live part asked for a whole-app rerun and app.py found nobody signed in."""
    return at.session_state["circle_actor"] is None


def test_an_answer_sent_after_the_sign_in_ended_is_not_saved(
    exercise: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    leo, run_id = exercise["leo"], exercise["run_id"]
    at = app_for(leo.token).switch_page("pages/training_take.py").run()
    assert not at.exception and at.title[0].value == "Induction exercises"
    at.radio(key=f"take_{run_id}_0_s1").set_value("Both")
    at.radio(key=f"take_{run_id}_0_s2").set_value("Professional anxiety")

    _ended_after(monkeypatch, training, "my_runs", leo.token)
    at.button(key=f"FormSubmitter:take_{run_id}_0-Send my answer").click().run()

    assert not at.exception
    assert _answers() == 0
    assert _signed_out(at)
    assert not at.radio and not at.header  # nothing of the exercise is left on the screen
    assert not [t for t in at.success if "Sent" in t.value]


def test_the_trainers_live_count_stops_when_the_sign_in_ends(
    exercise: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    ruth, run_id = exercise["ruth"], exercise["run_id"]
    at = app_for(ruth.token)
    at.session_state["training_run_id"] = run_id
    at = at.switch_page("pages/training_run.py").run()
    assert "0 of 1 have answered this step" in [h.value for h in at.header]

    calls: list[Actor] = []
    original = training.debrief
    monkeypatch.setattr(training, "debrief", lambda who, rid: calls.append(who) or original(who, rid))  # type: ignore[func-returns-value]  # called for its effect inside a lambda or an `or`
    _ended_after(monkeypatch, training, "run", ruth.token)
    at.run()

    assert not at.exception
    assert _signed_out(at)
    assert not [h for h in at.header if "have answered" in h.value]
    assert calls == []  # the debrief's live part never read the answers either


def test_a_live_part_gets_the_fresh_sign_in_each_run(exercise: dict) -> None:
    def screen() -> None:
        import streamlit as st

        from components import identity
        from tests import test_revocation_pages as probe

        @identity.live(run_every=None)
        def part(who) -> None:
            probe.SEEN.append(who.username)
            st.write("for", who.display_name)

        if identity.resolve() is None:  # app.py's door, in miniature
            st.title("Signed out")
            st.stop()
        part()

    ruth = exercise["ruth"]
    at = AppTest.from_function(screen)
    at.session_state["circle_token"] = ruth.token
    at.run()
    assert SEEN == ["ruth"]
    accounts.sign_out_token(ruth.token)
    at.run()
    assert SEEN == ["ruth"] and at.title[0].value == "Signed out"


def test_a_download_is_built_only_while_the_sign_in_holds(exercise: dict) -> None:
    def screen() -> None:
        import streamlit as st

        from components import identity
        from db import training
        from tests import test_revocation_pages as probe

        build = identity.deferred(lambda who: training.export_exercises(who))
        probe.KEPT.append(build)
        st.download_button("Export", data=build, file_name="x.json")

    ruth = exercise["ruth"]
    at = AppTest.from_function(screen)
    at.session_state["circle_token"] = ruth.token
    at.run()
    (build,) = KEPT
    assert b"which-risk-are-we-managing" in build()
    accounts.sign_out_token(ruth.token)
    with pytest.raises(NotAllowed):
        build()


def test_a_callback_does_nothing_once_the_sign_in_has_ended(exercise: dict) -> None:
    def screen() -> None:
        import streamlit as st

        from components import identity
        from tests import test_revocation_pages as probe

        def remember(who) -> None:
            probe.SEEN.append(who.username)

        st.button("Remember", key="remember", on_click=identity.callback(remember))

    leo = exercise["leo"]
    at = AppTest.from_function(screen)
    at.session_state["circle_token"] = leo.token
    at.run()
    at.button(key="remember").click().run()
    assert SEEN == ["leo"]
    accounts.sign_out_token(leo.token)
    at.button(key="remember").click().run()
    assert SEEN == ["leo"]
