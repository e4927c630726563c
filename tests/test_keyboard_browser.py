"""A whole group supervision with the keyboard alone, in Debian's Chromium, on a server of its
own: Hannah signs in, brings a case, opens the room and runs it on the shared screen (the
arrival round, a relationship check-in, the case discussion's notes, an action, the closing
round, close), adding for someone in the room through the shared screen's forms. No mouse:
only Tab, Shift+Tab, Enter, Space, the arrow keys and typing.

At every stop focus must be visible (an outline of at least 2 px on the focused element, or on
the label or chooser it sits in when the element itself is hidden, as a radio's input is), and
Tab must always move on: a screen whose Tab order never comes back round has trapped it. Each
step of the room is audited with axe-core (tests.browser.audit: any violation fails).
"""

from __future__ import annotations

import re

import pytest

from db.sessions import CHECK_IN_ITEMS, CLOSING_ITEMS
from tests.browser import ARTIFACTS, AUDITED, LAUNCH_ARGS, audit, own_server, wait_for_app, write_figures

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const clean = (t) => (t || '').trim().replace(/\\s+/g, ' ');
  let name = el.getAttribute('aria-label') || '';
  if (!name && el.labels && el.labels.length) name = el.labels[0].innerText;
  if (!name) {
    const copy = el.cloneNode(true);  // the accessible name leaves out what is aria-hidden (icons)
    copy.querySelectorAll('[aria-hidden=true]').forEach((n) => n.remove());
    name = copy.textContent || el.value || '';
  }
  const group = el.closest('[role=radiogroup]');
  const outlined = (node) => {
    if (!node) return false;
    const s = getComputedStyle(node);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  };
  const box = el.getBoundingClientRect();
  const hidden = box.width < 4 || box.height < 4 || getComputedStyle(el).opacity === '0';
  const holder = el.closest('label, [data-baseweb="select"]');
  return {
    tag: el.tagName.toLowerCase(), role: el.getAttribute('role') || el.getAttribute('type') || '',
    name: clean(name).slice(0, 120), group: group ? clean(group.getAttribute('aria-label')) : '',
    value: el.value === undefined ? '' : String(el.value),
    visible: outlined(el) || ((hidden || el.tagName === 'INPUT') && outlined(holder)),
    key: el.outerHTML.slice(0, 160),
  };
}"""


class Keys:
    """Moving through a screen with Tab and acting with keys, checking focus at every stop."""

    def __init__(self, page) -> None:
        self.page = page
        self.stops = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str | re.Pattern, *, role: str | None = None, limit: int = 250) -> dict:
        """Press Tab until the focused element's name matches (and its role, if given)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            info = self.focused()
            if info is None:
                continue
            self.stops += 1
            assert info["visible"], f"focus isn't visible on {info['key']}"
            label = info["name"] if not info["group"] or info["role"] != "radio" else info["group"]
            found = name.search(label) if isinstance(name, re.Pattern) else label == name
            if found and (role is None or info["role"] == role or info["tag"] == role):
                return info
        raise AssertionError(f"Tab never reached {name!r} on {self.page.url}")

    def press(self, name: str | re.Pattern, key: str = "Enter", *, role: str | None = None) -> None:
        self.tab_to(name, role=role)
        self.page.keyboard.press(key)

    def type_into(self, name: str | re.Pattern, text: str) -> None:
        self.tab_to(name)
        self.page.keyboard.type(text)

    def choose(self, name: str, typed: str) -> None:
        """A Streamlit chooser: focus it, type to narrow the options, Enter takes the first.
        Checked by what the chooser then shows: the whole option, not just what was typed."""
        self.tab_to(name)
        self.page.keyboard.type(typed)
        option = self.page.get_by_role("option", name=re.compile(re.escape(typed))).first
        # On a busy machine typing alone doesn't always leave the list open: the down arrow
        # opens it again, as a person would.
        for _ in range(10):
            try:
                option.wait_for(timeout=1500)
                whole = option.inner_text(timeout=1000).strip()
            except Exception:  # noqa: BLE001 - the list isn't open: the down arrow opens it
                self.page.keyboard.press("ArrowDown")
                continue
            self.page.keyboard.press("Enter")
            try:
                self.page.wait_for_function(
                    """([name, whole]) => [...document.querySelectorAll('input[role=combobox]')].some((i) =>
                      i.getAttribute('aria-label') === name
                      && (i.value === whole || i.closest('[data-testid="stSelectbox"]').innerText.includes(whole))
                      && !document.querySelector('[role=option]'))""",
                    arg=[name, whole],
                    timeout=4000,
                )
                return
            except Exception:  # noqa: BLE001 - not taken yet: open the list again and retry
                self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name}: the list never took {typed!r}")

    def scale(self, group: str, value: int) -> None:
        """A 0-10 radio scale: Tab reaches the group, Space picks 0, the right arrow moves on."""
        info = self.tab_to(group, role="radio")
        assert info["group"] == group
        self.page.keyboard.press("Space")
        for _ in range(value):
            self.page.keyboard.press("ArrowRight")

    def settle(self) -> None:
        wait_for_app(self.page)

    def not_trapped(self, limit: int = 400) -> int:
        """Tab from the top of the page until focus comes back round to where it started."""
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        self.page.keyboard.press("Tab")
        assert self.focused() is not None, "Tab focuses nothing"
        self.page.evaluate("() => { document.activeElement.dataset.circleFirstStop = '1'; }")
        for n in range(1, limit):
            self.page.keyboard.press("Tab")
            info = self.focused()
            if info is not None:
                assert info["visible"], f"focus isn't visible on {info['key']}"
                if self.page.evaluate("() => document.activeElement.dataset.circleFirstStop === '1'"):
                    return n
        raise AssertionError(f"Tab never came back round on {self.page.url}: focus is trapped")


STATES: list[dict] = []


def _shot(page, name: str) -> None:
    audit(page, f"keyboard-{name}")
    screen = page.url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0] or "home"
    STATES.append({"role": "supervisor", "screen": screen, "state": f"keyboard only: {name}"})
    page.screenshot(path=ARTIFACTS / f"keyboard-{name}.png", full_page=True)


def test_a_whole_group_supervision_with_the_keyboard_alone(tmp_path, chromium_path: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    from db.seed.demo import DEMO_PASSWORD

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first = len(AUDITED)
    with own_server(tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        keys = Keys(page)

        # Sign in: the username field has focus as the page opens.
        page.goto(base + "/signin")
        page.wait_for_selector("#username:focus")
        page.keyboard.type("hannah")
        keys.type_into("Password", DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/")
        keys.settle()
        assert keys.not_trapped() > 5
        _shot(page, "01-home")

        # Bring a case to this week's session, from the navigation.
        keys.press("Group supervision", role="a")
        page.wait_for_url(re.compile(r"/sessions"))
        keys.settle()
        keys.choose("Which child or family? (or a theme for the team)", "RS-04")
        keys.type_into("Your ask of the team", "How do we keep Nan and the school talking over the holidays?")
        keys.press("Add to the agenda")
        expect(page.get_by_text("How do we keep Nan and the school talking").first).to_be_visible(
            timeout=20000
        )
        keys.settle()
        _shot(page, "02-case-brought")

        # Open the room and begin.
        keys.press(re.compile(r"^Open the session room"), role="a")
        page.wait_for_url(re.compile(r"/session_room"))
        keys.settle()
        keys.press("Begin with the arrival round")
        expect(page.get_by_text("How is everyone arriving today?")).to_be_visible(timeout=20000)
        keys.settle()
        _shot(page, "03-arrival-round")

        # Arrival, added for Priya through the shared screen's form.
        keys.press("Add for someone in the room", role="summary")
        keys.choose("Who is this for?", "Priya")
        keys.scale("How are you arriving today?", 6)
        keys.type_into("A word for how you are (optional)", "steady")
        keys.press("Add to the circle")
        expect(page.get_by_text(re.compile(r"Priya Shah · 6 out of 10"))).to_be_visible(timeout=20000)
        keys.settle()
        _shot(page, "04-arrival-added")

        # On to the check-in for the case Hannah brought.
        check_in_done = notes_done = False
        for step in range(5, 40):
            keys.press("Next")
            page.wait_for_timeout(600)
            keys.settle()
            heading = page.locator('[data-testid="stMain"] h2').first.inner_text()
            if heading.startswith("Relationship check-in: RS-04") and not check_in_done:
                keys.press(re.compile(r"check-in for them$"), role="summary")
                for label in CHECK_IN_ITEMS.values():
                    keys.scale(label, 7)
                keys.type_into("What's working in the relationship?", "Nan rings back now.")
                keys.press("Save the check-in")
                expect(page.get_by_text("Check-in saved.").first).to_be_visible(timeout=20000)
                check_in_done = True
                keys.settle()
                _shot(page, f"{step:02d}-check-in")
            elif heading.startswith("RS-04") and not notes_done:
                keys.type_into("What the team thought together", "Nan holds the family's routine.")
                keys.type_into(
                    re.compile(r"^Summary for the case file"), "Team agreed to keep school and Nan talking."
                )
                keys.press("Save notes")
                expect(page.get_by_text("Notes saved.").first).to_be_visible(timeout=20000)
                notes_done = True
                keys.settle()
                _shot(page, f"{step:02d}-notes")
            elif heading.startswith("Actions"):
                keys.type_into("What will happen?", "Ring school before the holidays.")
                keys.choose("Who will do it?", "Hannah")
                keys.press("Add the action")
                expect(page.get_by_text("Ring school before the holidays.").first).to_be_visible(
                    timeout=20000
                )
                keys.settle()
                _shot(page, f"{step:02d}-action")
            elif heading.startswith("Closing round"):
                keys.press("Add for someone in the room", role="summary")
                keys.choose("Who is this for?", "Priya")
                for n, label in enumerate(CLOSING_ITEMS.values()):
                    keys.scale(label, 7 + n)
                keys.press("Add to the closing round")
                expect(page.get_by_text("Added to the closing round.").first).to_be_visible(timeout=20000)
                keys.settle()
                _shot(page, f"{step:02d}-closing")
                keys.press("Everyone has had their say, and the notes and actions are as we agreed.", "Space")
                keys.settle()
                keys.press("Close the session and keep the record")
                expect(page.get_by_text("This session has closed and its record is kept.")).to_be_visible(
                    timeout=20000
                )
                keys.settle()
                break
            else:
                _shot(page, f"{step:02d}-step")
        else:
            raise AssertionError("the keyboard never reached the closing round")
        assert check_in_done and notes_done

        keys.press("Read the record", role="a")
        page.wait_for_url(re.compile(r"/session_record"))
        keys.settle()
        expect(page.locator("h1").first).to_have_text("Session record")
        expect(page.get_by_text("Ring school before the holidays.").first).to_be_visible()
        assert keys.not_trapped() > 5
        _shot(page, "99-record")
        print(f"\nkeyboard: {keys.stops} focus stops, each with a visible outline")
        browser.close()
    write_figures("keyboard", STATES, AUDITED[first:])
