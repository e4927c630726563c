"""Repeated buttons and links have distinct names, so a screen reader (and a person scanning
the page) can tell them apart: "Open this worry: DF-58", not six buttons called "Open this
worry". Every screen of every demo role, as it first opens, and the session room's devices."""

from __future__ import annotations

from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from components.identity import TEST_TOKEN_KEY
from components.navigation import SCREENS, pages_for
from db import accounts, sessions
from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS, load_demo
from tests.conftest import ROOT


@pytest.fixture
def demo(sqlite_db: str) -> str:
    load_demo()
    return sqlite_db


def _labels(at: AppTest) -> list[str]:
    return [str(b.label) for b in at.button]


def _repeated(at: AppTest) -> dict[str, int]:
    """Names shared by two buttons a person meets together: within one tab, or outside tabs
    (a hidden tab's buttons are not read out with the open one's)."""
    groups: list[list[str]] = []
    in_tabs: set[str] = set()
    for tab in at.tabs:
        groups.append([str(b.label) for b in tab.button])
        in_tabs |= {b.key or b.id for b in tab.button}
    groups.append([str(b.label) for b in at.button if (b.key or b.id) not in in_tabs])
    twice: dict[str, int] = {}
    for labels in groups:
        twice |= {label: n for label, n in Counter(labels).items() if n > 1}
    return twice


@pytest.mark.parametrize("who", ["hannah", "priya", "marcus", "ruth", "alex"])
def test_no_two_buttons_on_a_screen_share_a_name(demo: str, who: str) -> None:
    role = next(d.role for d in DEMO_SIGNINS if d.username == who)
    token = accounts.sign_in(who, DEMO_PASSWORD).token
    repeated = {}
    for page in pages_for(role):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state[TEST_TOKEN_KEY] = token
        at.run()
        at.switch_page(SCREENS[page].script).run()
        assert not at.exception, (page, at.exception)
        twice = _repeated(at)
        if twice:
            repeated[page] = twice
    assert repeated == {}, f"buttons that share a name on one screen: {repeated}"


def test_the_room_on_a_device_names_each_share_button(demo: str) -> None:
    hannah = accounts.actor_for_token(accounts.sign_in("hannah", DEMO_PASSWORD).token)
    assert hannah is not None
    planned = next(line for line in sessions.sessions_for(hannah) if line.status == "planned")
    sessions.start(hannah, planned.id, sessions.view(hannah, planned.id).version)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TEST_TOKEN_KEY] = accounts.sign_in("tom", DEMO_PASSWORD).token
    at.run()
    at.query_params["session"] = str(planned.id)
    at.switch_page("pages/session_room.py").run()
    labels = _labels(at)
    assert len(labels) == len(set(labels)), labels
