"""Issue 22's paste promise, in Chromium (Debian's): a paste longer than a field can hold is
kept whole, and the save is refused with how many characters to take out.

A browser silently drops whatever goes past a field's `maxlength`, so a long paste used to
lose its end before anyone saw it. Here twice each field's limit is pasted
(`keyboard.insert_text` after focusing the field, as a paste arrives) into the ask on the
session screen, the room's notes and case-file summary on the shared screen, the fields of a
new worry and a case's mapping. After pressing the save button every character is still in
the field, an error says how many characters are over, and the server's database is
unchanged. One server (`own_server`, its own SQLite file) serves this module's tests.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, LAUNCH_ARGS, own_server, sign_in, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[tuple[str, Path]]:
    """The server's address and its database file."""
    folder = tmp_path_factory.mktemp("paste")
    with own_server(folder) as base:
        yield base, folder / "circle.db"


@pytest.fixture
def page(site: tuple[str, Path], chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        browser.close()


def _long(length: int, tag: str) -> str:
    """`length` characters of ordinary prose, ending on a letter (a save trims spaces)."""
    words = f"{tag} -- a long paste from another document, kept whole. "
    return (words * (length // len(words) + 1))[: length - 1] + "z"


def _paste(field, text: str) -> None:
    field.click()
    field.press("Control+a")
    field.page.keyboard.insert_text(text)


def _tables(db: Path, *names: str) -> dict[str, list[tuple]]:
    """Every row of these tables, as the server saved them."""
    with sqlite3.connect(db) as conn:
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY id").fetchall() for n in names}  # noqa: S608


def _refused(page, limit: int) -> None:
    """The save was refused naming how many characters to take out (twice the limit pasted)."""
    from playwright.sync_api import expect

    said = page.locator('[data-testid="stAlert"]').filter(
        has_text=re.compile(
            rf"has {2 * limit:,} characters and holds up to {limit:,}; please take out {limit:,} characters"
        )
    )
    expect(said.first).to_be_visible(timeout=20000)


def _shot(page, what: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"paste-{what}.png", full_page=True)


def test_the_ask_on_the_session_screen(site: tuple[str, Path], page) -> None:
    from playwright.sync_api import expect

    base, db = site
    sign_in(page, base, "hannah")
    page.goto(base + "/sessions")
    wait_for_app(page)
    before = _tables(db, "agenda_item")
    ask = _long(1200, "ask")
    field = page.get_by_role("textbox", name="Your ask of the team", exact=True)
    _paste(field, ask)
    page.get_by_role("button", name="Add to the agenda").click()
    _refused(page, 600)
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Your ask of the team", exact=True)).to_have_value(ask)
    _shot(page, "ask")
    assert _tables(db, "agenda_item") == before


def test_the_notes_and_summary_in_the_room(site: tuple[str, Path], page) -> None:
    from playwright.sync_api import expect

    base, db = site
    sign_in(page, base, "hannah")
    page.goto(base + "/session_room")
    wait_for_app(page)
    begin = page.get_by_role("button", name="Begin with the arrival round")
    if begin.count():
        begin.click()
        wait_for_app(page)
    notes_label = "What the team thought together"
    for _ in range(30):
        if page.get_by_role("textbox", name=notes_label, exact=True).count():
            break
        page.get_by_role("button", name="Next", exact=True).click()
        wait_for_app(page)
    else:
        pytest.fail("the room never reached a case discussion")
    summary_label = "Summary for the case file (short; the reflective notes above stay in Circle)"
    before = _tables(db, "agenda_item")
    notes, summary = _long(12000, "notes"), _long(4000, "summary")
    _paste(page.get_by_role("textbox", name=notes_label, exact=True), notes)
    _paste(page.get_by_role("textbox", name=summary_label, exact=True), summary)
    page.get_by_role("button", name="Save notes").click()
    _refused(page, 6000)
    _refused(page, 2000)
    wait_for_app(page)
    expect(page.get_by_role("textbox", name=notes_label, exact=True)).to_have_value(notes)
    expect(page.get_by_role("textbox", name=summary_label, exact=True)).to_have_value(summary)
    _shot(page, "room")
    assert _tables(db, "agenda_item") == before


RISK_FIELDS = (
    "What are you worried might happen?",
    "What makes you think so?",
    "What would be reasonable for any young person of this age?",
    "What do the young person and their family say?",
    "What is already keeping them safe?",
    "What have we decided to do?",
    "Why is that right for now?",
)


def test_a_new_worry_in_the_risk_log(site: tuple[str, Path], page) -> None:
    from datetime import date, timedelta

    from playwright.sync_api import expect

    base, db = site
    sign_in(page, base, "priya")
    page.goto(base + "/risk_log")
    wait_for_app(page)
    page.get_by_role("button", name="Name a new worry").click()
    wait_for_app(page)
    before = _tables(db, "risk_entry", "risk_holder")
    pasted = {label: _long(4000, f"field {n}") for n, label in enumerate(RISK_FIELDS)}
    for label, text in pasted.items():
        _paste(page.get_by_role("textbox", name=label, exact=True), text)
    # Everything else filled in as it should be, so the length is the only thing in the way.
    page.get_by_text("Some of each").click()
    holders = page.get_by_role("combobox", name=re.compile("Who is holding this with you"))
    holders.click()
    page.keyboard.type("Hannah")
    page.get_by_role("option", name="Hannah Okafor").click()
    page.keyboard.press("Escape")
    page.get_by_role("radiogroup", name=re.compile("How worried were you before")).get_by_text(
        "7", exact=True
    ).click()
    page.get_by_role("radiogroup", name=re.compile("after talking it through")).get_by_text(
        "4", exact=True
    ).click()
    review = page.get_by_role("textbox", name="When shall we look at this again?", exact=True)
    review.fill(f"{date.today() + timedelta(days=14):%d/%m/%Y}")
    page.get_by_role("button", name="Hold this together").click()
    _refused(page, 2000)
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="please take out").first
    assert alert.inner_text().count("please take out 2,000 characters") == len(RISK_FIELDS)
    for label, text in pasted.items():
        expect(page.get_by_role("textbox", name=label, exact=True)).to_have_value(text)
    _shot(page, "worry")
    assert _tables(db, "risk_entry", "risk_holder") == before


def test_a_case_mapping(site: tuple[str, Path], page) -> None:
    from playwright.sync_api import expect

    base, db = site
    sign_in(page, base, "priya")
    page.goto(base + "/case_board")
    wait_for_app(page)
    page.get_by_role("link", name=re.compile(r"^Open [A-Z]{2}-\d+")).first.click()
    wait_for_app(page)
    before = _tables(db, "case_mapping", "case_mapping_revision")
    label = "What are we worried about?"
    worries = _long(8000, "worries")
    _paste(page.get_by_role("textbox", name=label, exact=True), worries)
    page.get_by_role("button", name="Save the mapping").click()
    _refused(page, 4000)
    wait_for_app(page)
    expect(page.get_by_role("textbox", name=label, exact=True)).to_have_value(worries)
    _shot(page, "mapping")
    assert _tables(db, "case_mapping", "case_mapping_revision") == before
