"""Least access, proven: every cell of the permission grid, through the real data layer.

For each kind of record and operation, each role tries it on a record of their own team
and of another team. Expected allowed: it succeeds (or is refused only for what was typed,
NotValid). Expected denied: NotAllowed. Zero cells may differ. Then hypothesis draws
random people (role and teams) and records and checks them against the same grid, and
docs/permissions.md is checked to say exactly what the grid says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import NotAllowed, NotValid
from tests import permission_grid as grid

ROOT = Path(__file__).resolve().parent.parent


def outcome(world: grid.World, kind: str, operation: str, role: str, scope: str, actor=None) -> str:
    actor = actor or grid.make_actor(world, role)
    try:
        grid.OPS[(kind, operation)](world, actor, scope)
    except NotAllowed:
        return "denied"
    except NotValid:
        return "allowed"  # the role may; only what was sent needed a change
    return "allowed"


@pytest.fixture
def world(db: str) -> grid.World:
    return grid.build_world()


def test_every_offered_operation_has_a_check_and_every_check_a_cell() -> None:
    assert set(grid.OPS) == set(grid.GRID)
    for (kind, operation), (own, other) in grid.GRID.items():
        assert operation in grid.OPERATIONS, (kind, operation)
        assert set(own + other) <= set(grid.ROLE_LETTERS), (kind, operation)


@pytest.mark.parametrize(
    ("kind", "operation"), sorted(grid.GRID), ids=[f"{k}-{o}" for k, o in sorted(grid.GRID)]
)
def test_every_cell_of_the_grid(world: grid.World, kind: str, operation: str) -> None:
    differ = []
    for role in grid.ROLES:
        for scope in grid.SCOPES:
            want = "allowed" if grid.expected(kind, operation, role, scope) else "denied"
            got = outcome(world, kind, operation, role, scope)
            if got != want:
                differ.append(f"{role} on {scope} team's {kind}: {operation} was {got}, the grid says {want}")
    assert differ == []


def test_the_document_says_what_the_grid_says() -> None:
    """docs/permissions.md has one table row per kind and operation with the same letters."""
    text = (ROOT / "docs" / "permissions.md").read_text()
    rows = {}
    for line in text.splitlines():
        found = re.match(r"^\|\s*`(\w+)`\s*\|\s*(\w+)\s*\|\s*([A-Z]*|—)\s*\|\s*([A-Z]*|—)\s*\|", line)
        if found:
            kind, operation, own, other = found.groups()
            rows[(kind, operation)] = (own.replace("—", ""), other.replace("—", ""))
    assert rows == {key: (own, other) for key, (own, other) in grid.GRID.items()}


# --- Random people and records -----------------------------------------------------------------------
TEAM_ROLES = ("practitioner", "supervisor", "manager")
NOT_A_TEAMS_RECORD = ("cohort", "exercise", "run", "answer", "person", "membership", "audit", "restriction")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(grid.ROLES),
    teams=st.sets(st.sampled_from(grid.SCOPES)),
    cell=st.sampled_from(sorted(grid.GRID)),
    record_in=st.sampled_from(grid.SCOPES),
)
def test_random_people_and_records_follow_the_grid(
    world: grid.World, role: str, teams: set[str], cell: tuple[str, str], record_in: str
) -> None:
    """A person of any role, in any set of teams (their role there following their role in
    Circle), acting on a record in either team: what happens is what the grid says for a
    record of their own team (if they belong to its team) or of another team."""
    kind, operation = cell
    team_role = role if role in TEAM_ROLES else "practitioner"
    actor = grid.make_actor(world, role, memberships={scope: team_role for scope in teams})
    if kind in NOT_A_TEAMS_RECORD or (kind == "team" and operation != "change"):
        scope = record_in  # their own cohort, or an administrator's records: as in the grid
    else:
        scope = "own" if record_in in teams else "other"
    want = "allowed" if grid.expected(kind, operation, role, scope) else "denied"
    assert outcome(world, kind, operation, role, record_in, actor=actor) == want


def test_a_role_change_and_a_deactivation_apply_at_the_next_click(sqlite_db: str) -> None:
    """Through the real app: every rerun resolves the signed-in person from the database, so
    a role change signs them out at the next click (the next sign-in has the new role's
    navigation), and so does a deactivation."""
    from streamlit.testing.v1 import AppTest

    from components.identity import TEST_TOKEN_KEY
    from db import accounts, people
    from db.engine import session_scope
    from db.models import Person
    from tests import factories

    team = factories.team("Riverside")
    pat = factories.person("pat", "practitioner", {team: "practitioner"})
    ada = factories.person("ada", "admin")

    def click(token: str = pat.token) -> AppTest:
        # In the browser every rerun runs app.py first with the same sign-in cookie; AppTest
        # reruns only the page it finished on, so each click here is a fresh run of app.py.
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.session_state[TEST_TOKEN_KEY] = token
        return at.run()

    at = click()
    assert [t.value for t in at.sidebar.text] == ["Pat Example · Practitioner"]
    at.switch_page("pages/case_board.py").run()
    assert at.title[0].value == "Case board"

    with session_scope() as s:
        version = s.get(Person, pat.person_id).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    people.update_person(
        ada.actor(), pat.person_id, display_name="Pat Example", role="trainer", version=version
    )
    at = click()
    assert "sign-in has come to an end" in at.markdown[0].value
    again = accounts.sign_in("pat", factories.PASSWORD).token or ""
    at = click(again)
    assert not at.exception
    assert [t.value for t in at.sidebar.text] == ["Pat Example · Trainer"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/case_board.py")

    people.set_active(ada.actor(), pat.person_id, False)
    at = click(again)
    assert at.title[0].value == "Circle"
    assert "sign-in has come to an end" in at.markdown[0].value
    assert not at.sidebar.text
