"""The journeys each kind of user takes, in Debian's Chromium against one real server with
the demo team: a practitioner on the case board and the risk log, a manager with insights
and the PDF, an admin resetting a password, a trainer running an exercise with two
trainees. Every screen a journey visits gets an accessibility audit (axe-core: every WCAG 2.2
A/AA rule and best practice, the whole page, any violation fails; tests.browser.audit) and a
screenshot in test-artifacts/browser/. The security headers are checked on real responses.

The supervisor-runs-a-session journey is tests/test_browser_session.py; it calls the same
audit from here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from db import clock
from db.clock import utcnow
from tests.browser import (
    ARTIFACTS,
    LAUNCH_ARGS,
    PAGE_CONTENT,
    audit,
    check_headers,
    sign_in,
    wait_for_app,
)

pytestmark = pytest.mark.browser


class Journey:
    """Screenshots numbered per journey, each after an audit of the screen."""

    def __init__(self, page, name: str) -> None:
        self.page, self.name, self.step = page, name, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def shot(self, what: str, *, check: bool = True, context: dict | None = None) -> None:
        self.step += 1
        label = f"journey-{self.name}-{self.step:02d}-{what}"
        if check:
            audit(self.page, label, context)
        self.page.screenshot(path=ARTIFACTS / f"{label}.png", full_page=True)


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _new_page(browser, width: int = 1366):
    return browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True).new_page()


def _type_date(page, label: str, day) -> None:
    """Circle's date fields are text typed as DD/MM/YYYY (components/fields.py says why)."""
    page.get_by_role("textbox", name=label).fill(f"{day:%d/%m/%Y}")
    page.keyboard.press("Tab")


# ---------------------------------------------------------------- security headers


def test_security_headers_on_real_responses(server: str, browser) -> None:
    page = _new_page(browser)
    signin = page.goto(server + "/signin")
    assert signin is not None and signin.status == 200
    check_headers(signin.headers, "the sign-in page")
    health = page.request.get(server + "/api/health")
    assert health.status == 200 and health.json()["status"] == "ok"
    check_headers(health.headers, "the health route")
    sign_in(page, server, "priya")
    app = page.goto(server + "/")
    assert app is not None and app.status == 200 and "<html" in app.text().lower()
    check_headers(app.headers, "the app page")
    wait_for_app(page)
    page.context.close()


# ---------------------------------------------------------------- practitioner


def test_practitioner_edits_the_case_board_and_names_a_worry(server: str, browser) -> None:
    from playwright.sync_api import expect

    page = _new_page(browser)
    j = Journey(page, "practitioner")
    page.goto(server + "/signin")
    j.shot("sign-in", context=PAGE_CONTENT)
    sign_in(page, server, "priya")
    j.shot("home")

    page.goto(server + "/case_board")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Case board")
    j.shot("case-board")

    page.get_by_role("link", name=re.compile(r"^Open [A-Z]{2}-\d+")).first.click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text("Case ")
    j.shot("case")

    note = f"Browser journey {utcnow():%H%M%S}: Nan is worried about the evenings."
    worries = page.get_by_label("What are we worried about?")
    worries.fill(note)
    page.get_by_role("button", name="Save the mapping").click()
    expect(
        page.get_by_text(re.compile(r"Saved as version \d+\. The whole team sees it now\."))
    ).to_be_visible(timeout=20000)
    wait_for_app(page)
    expect(page.get_by_label("What are we worried about?")).to_have_value(note)
    j.shot("mapping-saved")

    page.goto(server + "/risk_log")
    wait_for_app(page)
    j.shot("risk-log")
    page.get_by_role("button", name="Name a new worry").click()
    wait_for_app(page)
    expect(page.get_by_text("Name a new worry").first).to_be_visible()
    j.shot("new-worry-form")

    worry = f"Browser journey {utcnow():%H%M%S}: J may stop going to school if he's excluded."
    page.get_by_role("textbox", name="What are you worried might happen?", exact=True).fill(worry)
    page.get_by_text("Some of each").click()
    page.get_by_role("textbox", name="What makes you think so?", exact=True).fill(
        "School's worry is driving some of this."
    )
    page.get_by_role("textbox", name="What have we decided to do?", exact=True).fill(
        "Ask school for a reduced timetable."
    )
    page.get_by_role("textbox", name="Why is that right for now?", exact=True).fill(
        "It keeps the one routine J still has."
    )
    holders = page.get_by_role("combobox", name=re.compile("Who is holding this with you"))
    holders.click()
    page.get_by_role("option", name="Hannah Okafor").click()
    page.keyboard.press("Escape")
    page.get_by_role("radiogroup", name=re.compile("How worried were you before")).get_by_text(
        "7", exact=True
    ).click()
    page.get_by_role("radiogroup", name=re.compile("after talking it through")).get_by_text(
        "4", exact=True
    ).click()
    _type_date(page, "When shall we look at this again?", clock.today() + timedelta(days=14))
    page.get_by_role("button", name="Hold this together").click()
    expect(page.get_by_text(worry).first).to_be_visible(timeout=20000)
    wait_for_app(page)
    j.shot("worry-held")
    page.context.close()


# ---------------------------------------------------------------- manager


def test_manager_reads_insights_and_downloads_the_pdf(server: str, browser) -> None:
    from playwright.sync_api import expect

    page = _new_page(browser)
    j = Journey(page, "manager")
    sign_in(page, server, "marcus")
    j.shot("home")
    page.goto(server + "/insights")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Insights")
    page.wait_for_selector(
        '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas', timeout=30000
    )
    j.shot("insights")

    page.get_by_role("button", name="Prepare the PDF report").click()
    download_button = page.get_by_role("button", name="Download circle-insights.pdf")
    expect(download_button).to_be_visible(timeout=60000)
    wait_for_app(page)
    j.shot("pdf-ready")
    with page.expect_download(timeout=30000) as waiting:
        download_button.click()
    download = waiting.value
    path = ARTIFACTS / "journey-manager-insights.pdf"
    download.save_as(path)
    assert download.suggested_filename == "circle-insights.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    page.context.close()


# ---------------------------------------------------------------- admin


def test_admin_resets_a_password_and_the_person_signs_in_with_it(server: str, browser) -> None:
    from playwright.sync_api import expect

    page = _new_page(browser)
    j = Journey(page, "admin")
    sign_in(page, server, "alex")
    j.shot("home")
    page.goto(server + "/admin")
    wait_for_app(page)
    expect(page.locator("h1").first).to_have_text("Teams and people")
    j.shot("teams-and-people")

    # Ben is in the second team and in no other browser test, so his new password harms none.
    chooser = page.get_by_role("combobox", name="Choose someone to look after")
    chooser.click()
    page.get_by_role("option", name="Ben Hughes (ben)").click()
    wait_for_app(page)
    new_password = "a new long passphrase for ben"
    page.get_by_role("textbox", name="Set a new password", exact=True).fill(new_password)
    page.get_by_text("Yes, this new password is for Ben Hughes (ben)").click()
    page.get_by_role("button", name="Set a new password for Ben Hughes").click()
    expect(
        page.get_by_text("New password set for Ben Hughes. They've been signed out everywhere.")
    ).to_be_visible(timeout=20000)
    wait_for_app(page)
    j.shot("password-reset")
    page.context.close()

    ben = _new_page(browser)
    jb = Journey(ben, "admin")
    jb.step = j.step
    ben.goto(server + "/signin")
    ben.fill("#username", "ben")
    ben.fill("#password", new_password)
    ben.click("button[type=submit]")
    ben.wait_for_url(server + "/")
    wait_for_app(ben)
    expect(ben.locator("h1").first).to_contain_text("Hello, Ben")
    jb.shot("ben-signs-in-with-it")
    ben.context.close()


# ---------------------------------------------------------------- trainer


def test_trainer_runs_an_exercise_with_two_trainees(server: str, browser) -> None:
    from playwright.sync_api import expect

    room = _new_page(browser)
    j = Journey(room, "trainer")
    sign_in(room, server, "ruth")
    j.shot("home")
    room.goto(server + "/training")
    wait_for_app(room)
    expect(room.locator("h1").first).to_have_text("Induction and training")
    j.shot("cohorts")
    code_line = room.get_by_text(re.compile(r"^Join code: ")).first.inner_text()
    code = code_line.split(":", 1)[1].strip()

    picker = room.get_by_role("combobox", name="Run an exercise now")
    picker.click()
    room.keyboard.type("Rewriting a case")  # the list is long: narrow it as a person would
    room.get_by_role("option", name="Rewriting a case note in relational language").click()
    room.get_by_role("button", name="Start it").click()
    wait_for_app(room)
    expect(room.locator("h1").first).to_have_text("Running an exercise")
    expect(room.get_by_text(re.compile(r"0 of \d+ have answered this step"))).to_be_visible(timeout=20000)
    j.shot("run-started")

    trainees = []
    for n, name in enumerate(("Robin Trainee", "Sasha Trainee"), start=1):
        own = _new_page(browser, width=420)
        own.goto(server + "/auth/join")
        if n == 1:
            jt = Journey(own, "trainer")
            jt.step = j.step
            jt.shot("join-page", context=PAGE_CONTENT)
            j.step = jt.step
        own.fill("#code", code)
        own.fill("#name", name)
        own.click("button[type=submit]")
        # A trainee's one screen is their home page: the join lands straight on it.
        own.wait_for_url(server + "/")
        wait_for_app(own)
        expect(own.locator("h1").first).to_have_text("Induction exercises")
        own.get_by_role("textbox", name="Your version of the note").first.fill(
            f"{name.split()[0]} wrote: Mum and I talked about what mornings are like for her."
        )
        own.get_by_role("button", name="Send my answer").first.click()
        expect(own.get_by_text("Sent. The trainer's screen will pick it up in a few seconds.")).to_be_visible(
            timeout=20000
        )
        if n == 1:
            jt = Journey(own, "trainer")
            jt.step = j.step
            jt.shot("trainee-answered")
            j.step = jt.step
        trainees.append(own)

    # The shared screen refreshes itself and counts both answers.
    expect(room.get_by_text(re.compile(r"^2 of \d+ have answered this step"))).to_be_visible(timeout=20000)
    j.shot("two-answers-in")
    room.get_by_role("button", name="Reveal the answer").click()
    wait_for_app(room)
    expect(room.get_by_text("What the trainer would say").first).to_be_visible(timeout=20000)
    j.shot("answer-revealed")
    room.get_by_role("tab", name="Debrief").click()
    wait_for_app(room)
    j.shot("debrief")
    room.get_by_role("tab", name="Live").click()
    room.get_by_role("button", name="Finish the exercise").click()
    wait_for_app(room)
    expect(room.get_by_text("This exercise has finished.").first).to_be_visible(timeout=20000)
    j.shot("finished")
    for own in trainees:
        own.context.close()
    room.context.close()


def test_trainer_downloads_the_induction_record_and_the_library(server: str, browser) -> None:
    """These files are built when the button is pressed (not on every click elsewhere on the
    page), so this checks that what arrives is the real file."""
    import json

    from playwright.sync_api import expect

    page = _new_page(browser)
    sign_in(page, server, "ruth")
    page.goto(server + "/training")
    wait_for_app(page)
    pdf_button = page.get_by_role("button", name="Download as a PDF")
    expect(pdf_button).to_be_visible(timeout=30000)
    with page.expect_download(timeout=30000) as waiting:
        pdf_button.click()
    record = ARTIFACTS / "journey-trainer-induction-record.pdf"
    waiting.value.save_as(record)
    assert waiting.value.suggested_filename == "induction-record.pdf"
    assert record.read_bytes().startswith(b"%PDF")
    wait_for_app(page)

    page.get_by_role("tab", name="Exercise library").click()
    wait_for_app(page)
    library_button = page.get_by_role("button", name="Export the library (JSON)")
    expect(library_button).to_be_visible(timeout=30000)
    with page.expect_download(timeout=30000) as waiting:
        library_button.click()
    exported = json.loads(waiting.value.path().read_text(encoding="utf-8"))
    assert exported and waiting.value.suggested_filename == "circle-exercises.json"
    page.context.close()
