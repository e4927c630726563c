"""Induction screens through AppTest: a trainer and two participants (a new starter with an
account, and a trainee who joined with the code) run a whole exercise; the trainee's
navigation holds one screen; the lens hint; a team's own words; the join route."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from components.navigation import SCREENS
from db import accounts, language_lens, sessions, training
from db.clock import utcnow
from db.settings import get_settings
from server.security import SecurityHeaders
from server.training_routes import CSRF_COOKIE, JOIN_PATH
from server.training_routes import routes as training_routes
from tests import factories
from tests.conftest import app_for


def _page(token: str, page: str) -> AppTest:
    at = app_for(token)
    return at.switch_page(page).run()


def _run_page(token: str, run_id: int) -> AppTest:
    at = app_for(token)
    at.session_state["training_run_id"] = run_id
    return at.switch_page("pages/training_run.py").run()


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{label}").click().run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    )


@pytest.fixture
def world(sqlite_db: str) -> dict:
    riverside = factories.team("Riverside")
    return {
        "riverside": riverside,
        "ruth": factories.person("ruth", "trainer"),
        "hannah": factories.person("hannah", "supervisor", {riverside: "supervisor"}),
        "leo": factories.person("leo", "practitioner", {riverside: "practitioner"}),
    }


def test_a_whole_exercise_with_a_trainer_and_two_participants(world: dict) -> None:
    ruth = world["ruth"]

    # The library starts empty and invites the starter set in.
    at = _page(ruth.token, "pages/training.py")
    assert at.title[0].value == "Induction and training"
    at.button(key="library_starter").click().run()
    assert not at.exception
    assert len(training.exercises(ruth.actor())) >= 6

    # A cohort: a refused save says what to fix and keeps what was typed.
    at.text_input[0].input("Spring induction")
    _submit(at, "cohort_new", "Start the cohort")
    assert "first session" in at.error[0].value.lower()
    assert at.text_input[0].value == "Spring induction"
    at.text_input(key="cohort_new_starts").input(f"{date.today():%d/%m/%Y}")
    _submit(at, "cohort_new", "Start the cohort")
    (line,) = training.cohorts(ruth.actor())
    assert line.name == "Spring induction"

    # Leo (who has an account) is added; Jo joins with the code.
    at = _page(ruth.token, "pages/training.py")
    who = at.selectbox(key="cohort_add_person")
    who.select_index(who.options.index("Leo Example · Riverside"))
    _submit(at, "cohort_add", "Add to the cohort")
    code = training.cohort(ruth.actor(), line.id).join_code
    assert code and code.replace("-", "\\-") in _texts(at)
    jo = training.join(code, "Jo Newstart", client_key="test")
    assert jo.ok and jo.token
    names = {m.name for m in training.cohort(ruth.actor(), line.id).members}
    assert names == {"Leo Example", "Jo Newstart"}

    # Start "Which risk are we managing?": the trainer's screen opens on the run.
    library = training.exercises(ruth.actor())
    which = next(e for e in library if e.slug == "which-risk-are-we-managing")
    at = _page(ruth.token, "pages/training.py")
    at.selectbox(key="cohort_run_exercise").set_value(which.id)
    at.button(key="cohort_run_start").click().run()
    assert not at.exception
    assert at.title[0].value == "Running an exercise"
    (run_line,) = training.cohort(ruth.actor(), line.id).runs
    run_id = run_line.id
    assert "0 of 2 have answered this step" in [h.value for h in at.header]

    # Both participants answer the first step from their own devices.
    for token, choice, why in (
        (world["leo"].token, "Both", "Hard to say"),
        (jo.token, "Professional anxiety", ""),
    ):
        own = _page(token, "pages/training_take.py")
        assert own.title[0].value == "Induction exercises"
        assert "What the trainer would say" not in _texts(own)
        own.radio(key=f"take_{run_id}_0_s1").set_value(choice)
        own.radio(key=f"take_{run_id}_0_s2").set_value("Professional anxiety")
        own.text_area(key=f"take_{run_id}_0_why").input(why)
        _submit(own, f"take_{run_id}_0", "Send my answer")
        assert not own.error

    at = _run_page(ruth.token, run_id)
    assert "2 of 2 have answered this step" in [h.value for h in at.header]

    # The trainer reveals the model answer: it reaches the participants' screens.
    at.button(key="run_reveal").click().run()
    own = _page(jo.token, "pages/training_take.py")
    assert "What the trainer would say" in _texts(own)
    assert "Professional anxiety" in _texts(own)

    # Next step: a written answer.
    at.button(key="run_next").click().run()
    assert "Step 2 of 2" in at.header[0].value
    own = _page(world["leo"].token, "pages/training_take.py")
    own.text_area(key=f"take_{run_id}_1_plan").input("Say yes, with a plan Keeley helps write.")
    _submit(own, f"take_{run_id}_1", "Send my answer")

    # The debrief: charts with titles that say what they show, answers without names.
    at = _run_page(ruth.token, run_id)
    charts = at.get("vega_lite_chart")
    assert charts, "the debrief draws the spread of answers"
    specs = " ".join(str(c.proto.spec) for c in charts)
    assert "Where people placed" in specs
    shown = _texts(at)
    assert "Person A" in shown and "Say yes, with a plan Keeley helps write." in shown
    assert "Leo Example" not in shown and "Jo Newstart" not in shown

    at.button(key="run_close").click().run()
    assert training.run(ruth.actor(), run_id).status == "closed"

    # The history keeps names (for the trainer), and exports for the induction record.
    at = _page(ruth.token, "pages/training.py")
    assert not at.exception
    record = "\n".join(str(d.value) for d in at.dataframe)
    assert "Leo Example" in record


def test_a_theme_goes_into_the_new_starters_next_session(world: dict) -> None:
    ruth, hannah = world["ruth"], world["hannah"]
    training.import_starter_library(ruth.actor())
    cohort_id = training.create_cohort(ruth.actor(), name="Spring", starts_on=date.today())
    training.add_member(ruth.actor(), cohort_id, world["leo"].person_id, world["riverside"])
    session_id = sessions.plan(
        hannah.actor(),
        world["riverside"],
        day=(utcnow() + timedelta(days=3)).date(),
        start=time(10),
        duration_minutes=90,
    )
    at = _page(ruth.token, "pages/training.py")
    _submit(at, "cohort_theme", "Add to their team's next session")
    assert "please add **the theme**" in at.error[0].value.lower()
    at.text_area(key="cohort_theme_text").input("Keeping hope when a family says no")
    _submit(at, "cohort_theme", "Add to their team's next session")
    assert not at.error

    # Hannah sees it on the agenda, brought by Leo, as a theme rather than a family.
    agenda = _page(hannah.token, "pages/sessions.py")
    assert "From induction: Keeping hope when a family says no" in _texts(agenda)
    (item,) = sessions.agenda(hannah.actor(), session_id).items
    assert item.brought_by == "Leo Example"


def test_a_trainee_reaches_only_the_induction_screen(world: dict) -> None:
    ruth = world["ruth"]
    cohort_id = training.create_cohort(ruth.actor(), name="Spring", starts_on=date.today())
    jo = training.join(training.cohort(ruth.actor(), cohort_id).join_code or "", "Jo", client_key="t")
    at = app_for(jo.token)
    assert not at.exception
    assert at.title[0].value == "Induction exercises"
    assert "When your trainer starts an exercise" in at.info[0].value
    for key, screen in SCREENS.items():
        if key == "training_take":
            continue
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(screen.script)


def test_the_trainer_screens_render_for_the_demo(sqlite_db: str) -> None:
    from db.seed.demo import DEMO_PASSWORD, load_demo

    load_demo()
    ruth = accounts.sign_in("ruth", DEMO_PASSWORD).token or ""
    at = _page(ruth, "pages/training.py")
    assert not at.exception and not at.error
    assert "WELCOME\\-01" in _texts(at)
    assert "It works until" in _texts(at)  # the trainer sees when the join code stops working
    open_runs = [
        r
        for r in training.cohort(
            accounts.actor_for_token(ruth), training.cohorts(accounts.actor_for_token(ruth))[0].id  # type: ignore[arg-type]  # a signed-in page: identity has already stopped the run when nobody is signed in
        ).runs
        if r.status == "open"
    ]
    assert open_runs
    at.button(key=f"cohort_open_run_{open_runs[0].id}").click().run()
    assert not at.exception and at.title[0].value == "Running an exercise"
    assert "2 of 3 have answered this step" in [h.value for h in at.header]
    jo = accounts.sign_in("jo", DEMO_PASSWORD).token or ""
    own = app_for(jo)
    assert not own.exception and own.title[0].value == "Induction exercises"


def test_the_lens_hint_can_be_put_away_and_never_changes_the_text(sqlite_db: str) -> None:
    def screen() -> None:
        import streamlit as st

        from components import lens

        text = st.text_area("Note", key="note")
        lens.hint(text, key="note_hint")

    at = AppTest.from_function(screen).run()
    at.text_area(key="note").input("Supervised contact went well at the contact centre.").run()
    shown = "\n".join(m.value for m in at.markdown)
    assert "family time" in shown and "family centre" in shown
    at.button(key="lens_hide_note_hint").click().run()
    assert not any("family time" in m.value for m in at.markdown)
    assert at.text_area(key="note").value == "Supervised contact went well at the contact centre."
    # A changed text brings the hint back.
    at.text_area(key="note").input("She absconded on Friday.").run()
    assert any("ran away" in m.value for m in at.markdown)


def test_a_supervisor_adds_the_teams_own_words(world: dict) -> None:
    at = _page(world["hannah"].token, "pages/language.py")
    assert at.title[0].value == "Words we use"
    _submit(at, "language_add", "Add to our words")
    assert at.error and at.text_input(key="language_add_term").value == ""
    at.text_input(key="language_add_term").input("tea visit")
    at.text_area(key="language_add_alternatives").input("time with the family")
    at.text_input(key="language_add_why").input("It is a visit, with tea.")
    _submit(at, "language_add", "Add to our words")
    assert [t.term for t in language_lens.team_terms(world["hannah"].actor(), world["riverside"])] == [
        "tea visit"
    ]
    # Leo sees the team's word in hints, and cannot change the list.
    leo = _page(world["leo"].token, "pages/language.py")
    assert not leo.get("form")
    leo.text_area(key="language_try").input("We had a tea visit.").run()
    assert any("a word your team added" in m.value for m in leo.markdown)


# ---------------------------------------------------------------- the join route


@pytest.fixture
def client(sqlite_db: str) -> TestClient:
    app = Starlette(
        routes=[*training_routes, Route("/", lambda r: PlainTextResponse("the app"))],
        middleware=[Middleware(SecurityHeaders)],
    )
    return TestClient(app, base_url="http://localhost", follow_redirects=False)


def _csrf(client: TestClient) -> str:
    page = client.get(JOIN_PATH)
    assert page.status_code == 200 and "Join your induction" in page.text
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def test_joining_through_the_route(client: TestClient) -> None:
    ruth = factories.person("ruth", "trainer").actor()
    cohort_id = training.create_cohort(ruth, name="Spring", starts_on=date.today())
    code = training.cohort(ruth, cohort_id).join_code or ""

    token = _csrf(client)
    forged = client.post(JOIN_PATH, data={"code": code, "name": "Jo", "csrf": "not-it"})
    assert forged.status_code == 400 and get_settings().cookie_name not in forged.cookies

    wrong = client.post(JOIN_PATH, data={"code": "ABCD-EFGH", "name": "<b>Jo</b>", "csrf": token})
    assert wrong.status_code == 400 and "doesn&#x27;t match" in wrong.text
    assert "<b>Jo</b>" not in wrong.text and "&lt;b&gt;Jo&lt;/b&gt;" in wrong.text

    joined = client.post(JOIN_PATH, data={"code": code, "name": "Jo", "csrf": token})
    assert joined.status_code == 303 and joined.headers["location"] == "/"
    cookie = joined.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    actor = accounts.actor_for_token(joined.cookies[get_settings().cookie_name])
    assert actor is not None and actor.role == "trainee" and actor.display_name == "Jo"


def test_the_join_page_is_open_without_a_sign_in(client: TestClient) -> None:
    page = client.get(JOIN_PATH)
    assert page.status_code == 200
    assert CSRF_COOKIE in page.cookies
    assert page.headers["x-frame-options"] == "DENY"
