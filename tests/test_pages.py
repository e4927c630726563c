"""Every screen, for every role, through Streamlit's AppTest: it renders without an
exception, navigation holds exactly the role's pages, and other pages cannot be reached."""

from __future__ import annotations

import pytest

from components.navigation import ALL_ROLES, SCREENS, pages_for
from tests import factories
from tests.conftest import ROOT, app_for

PAGE_FILES = {key: screen.script for key, screen in SCREENS.items()}
# What each screen's heading starts with (Home greets the person by name).
TITLES = {key: screen.title for key, screen in SCREENS.items()} | {"home": "Hello"}


def test_signed_out_visitors_see_only_the_way_back_to_sign_in(sqlite_db: str) -> None:
    at = app_for(None)
    assert not at.exception
    assert at.title[0].value == "Circle"
    assert "sign-in has come to an end" in at.markdown[0].value
    assert not at.sidebar.text  # nobody is named


def test_a_revoked_token_is_signed_out(team_of_five: dict[str, factories.Someone]) -> None:
    from db import accounts

    someone = team_of_five["practitioner"]
    accounts.sign_out_token(someone.token)
    at = app_for(someone.token)
    assert not at.exception and at.title[0].value == "Circle"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_renders_for_every_role(role: str, team_of_five: dict[str, factories.Someone]) -> None:
    at = app_for(team_of_five[role].token)
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Hello")
    for page in pages_for(role):
        at.switch_page(PAGE_FILES[page]).run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value.startswith(TITLES[page]), (page, at.title[0].value)
        assert not at.error, (page, [e.value for e in at.error])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_outside_a_role_cannot_be_reached(
    role: str, team_of_five: dict[str, factories.Someone]
) -> None:
    at = app_for(team_of_five[role].token)
    for page, script in PAGE_FILES.items():
        if page in pages_for(role):
            continue
        # The role's navigation has no such page, so there is nothing to switch to.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(script)


def test_navigation_by_role() -> None:
    assert pages_for("admin") == ("home", "account", "agreement_template", "admin", "audit", "privacy")
    for role in ("practitioner", "supervisor", "manager", "trainer"):
        assert "admin" not in pages_for(role)


def test_every_screen_has_a_script_and_names_only_known_roles() -> None:
    from db.models import ROLES

    for key, screen in SCREENS.items():
        assert (ROOT / screen.script).exists(), screen.script
        assert screen.roles and set(screen.roles) <= set(ROLES), key


def test_home_names_a_few_cases_to_bring_back_and_points_to_the_board_for_the_rest(
    team_of_five: dict[str, factories.Someone],
) -> None:
    from components.week import NOT_DISCUSSED_SHOWN
    from db import case_board

    sam = team_of_five["supervisor"]
    team_id = sam.actor().team_ids[0]
    refs = [f"QT-{n:02d}" for n in range(NOT_DISCUSSED_SHOWN + 5)]
    for ref in refs:
        case_board.create_case(sam.actor(), team_id, reference=ref, lead_id=sam.person_id)

    at = app_for(sam.token)
    assert not at.exception
    (line,) = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("Worth bringing back")]
    assert ", ".join(refs[:NOT_DISCUSSED_SHOWN]) in line and refs[NOT_DISCUSSED_SHOWN] not in line
    assert line.endswith(", and 5 more.")
    assert any("case board" in link.label for link in at.get("page_link"))  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
