"""Issue 22 in Chromium (Debian's): on Teams and people, the person chosen stays chosen
through every save.

The demo administrator (alex) chooses Ben Hughes, renames him three times in a row and
then deactivates him, confirming with his name. The server's own database then shows that
exactly Ben changed (one version per save, deactivated at the end) and that nobody else,
least of all the administrator, did. It runs on its own server (`own_server`) because it
deactivates someone the shared server's other tests may sign in as.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, LAUNCH_ARGS, own_server, sign_in, wait_for_app

pytestmark = pytest.mark.browser

CHOOSER = "Choose someone to look after"
NAMES = ("Ben Hughes-Test", "Ben Hughes-Test Again", "Ben Hughes, once more")


def _people(db: Path) -> dict[str, tuple]:
    """Everyone's record as the server saved it: username -> (name, role, active, version)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT username, display_name, role, is_active, version FROM person").fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


def test_renaming_ben_three_times_then_deactivating_him_changes_only_ben(
    tmp_path: Path, chromium_path: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with own_server(tmp_path) as base, sync_playwright() as p:
        db = tmp_path / "circle.db"
        before = _people(db)
        assert before["ben"][:3] == ("Ben Hughes", "practitioner", 1)
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(page, base, "alex")
        page.goto(base + "/admin")
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text("Teams and people")

        page.get_by_role("combobox", name=CHOOSER).click()
        page.get_by_role("option", name="Ben Hughes (ben)").click()
        wait_for_app(page)

        for n, name in enumerate(NAMES, start=1):
            field = page.get_by_role("textbox", name="Name", exact=True).last
            field.fill(name)
            page.get_by_role("button", name="Save changes").click()
            expect(page.get_by_text(f"Saved {name}.")).to_be_visible(timeout=20000)
            wait_for_app(page)
            # Still Ben in the chooser (under his new name), and in the form below it.
            expect(page.get_by_role("combobox", name=CHOOSER)).to_have_value(f"{name} (ben)")
            expect(page.get_by_role("textbox", name="Name", exact=True).last).to_have_value(name)
            saved = _people(db)
            assert saved["ben"][0] == name and saved["ben"][3] == before["ben"][3] + n
            assert saved["alex"] == before["alex"]
        page.screenshot(path=_shot("renamed"), full_page=True)

        last = NAMES[-1]
        deactivate = page.get_by_role("button", name=f"Deactivate {last}")
        deactivate.click()
        expect(page.get_by_text(re.compile(r"Please tick the box to confirm it's .*\(ben\)"))).to_be_visible(
            timeout=20000
        )
        assert _people(db)["ben"][2] == 1  # not yet: he wasn't confirmed
        page.get_by_text(f"Yes, deactivate {last} (ben)").click()
        deactivate.click()
        expect(page.get_by_text(f"Deactivated {last}: they can no longer sign in.")).to_be_visible(
            timeout=20000
        )
        wait_for_app(page)
        expect(page.get_by_role("combobox", name=CHOOSER)).to_have_value(f"{last} (ben)")
        expect(page.get_by_role("button", name=f"Reactivate {last}")).to_be_visible()
        page.screenshot(path=_shot("deactivated"), full_page=True)
        browser.close()

    after = _people(db)
    assert after["ben"] == (last, "practitioner", 0, before["ben"][3] + len(NAMES) + 1)
    assert after["alex"] == before["alex"]
    assert {u: r for u, r in after.items() if u != "ben"} == {u: r for u, r in before.items() if u != "ben"}


def _shot(what: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"admin-chooser-{what}.png"
