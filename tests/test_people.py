"""Admin work through the data layer: only admins, clear messages, conflicts refused."""

from __future__ import annotations

import pytest

from db import people
from db.errors import EditConflict, NotAllowed, NotValid
from tests import factories


@pytest.fixture
def admin(db: str) -> factories.Someone:
    return factories.person("ada", "admin")


def test_only_admins_reach_admin_functions(admin: factories.Someone) -> None:
    riverside = factories.team("Riverside")
    for role in ("practitioner", "supervisor", "manager", "trainer"):
        someone = factories.person(
            f"{role[:3]}x", role, {riverside: "practitioner"} if role != "trainer" else None
        )
        actor = someone.actor()
        calls = {
            "list_people": (people.list_people, (actor,)),
            "list_teams": (people.list_teams, (actor,)),
            "list_memberships": (people.list_memberships, (actor,)),
            "create_team": (people.create_team, (actor, "Another team")),
            "create_person": (
                people.create_person,
                (actor, "newbie", "New Person", "practitioner", "long enough pass"),
            ),
            "reset_password": (people.reset_password, (actor, admin.person_id, "long enough pass")),
            "set_active": (people.set_active, (actor, admin.person_id, False)),
            "add_membership": (people.add_membership, (actor, riverside, admin.person_id, "manager")),
        }
        for func, args in calls.values():
            with pytest.raises(NotAllowed):
                func(*args)  # type: ignore[operator]  # the race helper calls each with its worker number only; the other argument is bound


def test_create_person_explains_every_problem(admin: factories.Someone) -> None:
    with pytest.raises(NotValid) as refused:
        people.create_person(admin.actor(), "Not A Username!", "", "wizard", "short")
    assert set(refused.value.problems) == {"username", "display_name", "role", "password"}
    people.create_person(admin.actor(), "asha", "Asha Khan", "practitioner", "long enough pass")
    with pytest.raises(NotValid) as again:
        people.create_person(admin.actor(), "ASHA", "Asha Two", "practitioner", "long enough pass")
    assert "already has that username" in again.value.problems["username"]


def test_names_with_control_characters_are_refused(admin: factories.Someone) -> None:
    with pytest.raises(NotValid) as refused:
        people.create_person(admin.actor(), "asha", "Asha\x00Khan", "practitioner", "long enough pass")
    assert "control character" in refused.value.problems["display_name"]


def test_team_names_are_unique_and_bounded(admin: factories.Someone) -> None:
    people.create_team(admin.actor(), "Riverside Early Help")
    with pytest.raises(NotValid) as refused:
        people.create_team(admin.actor(), "riverside early help")
    assert "already a team" in refused.value.problems["name"]
    with pytest.raises(NotValid) as too_long:
        people.create_team(admin.actor(), "x" * 121, not_discussed_weeks=0)
    assert set(too_long.value.problems) == {"name", "not_discussed_weeks"}


def test_a_stale_edit_is_refused_with_what_was_saved(admin: factories.Someone) -> None:
    pid = people.create_person(admin.actor(), "asha", "Asha Khan", "practitioner", "long enough pass")
    seen = next(p for p in people.list_people(admin.actor()) if p.id == pid)
    people.update_person(
        admin.actor(), pid, display_name="Asha K. Khan", role="practitioner", version=seen.version
    )
    with pytest.raises(EditConflict) as conflict:
        people.update_person(
            admin.actor(), pid, display_name="Asha Khan-Ali", role="supervisor", version=seen.version
        )
    assert conflict.value.theirs == {"display_name": "Asha K. Khan", "role": "practitioner"}
    now = next(p for p in people.list_people(admin.actor()) if p.id == pid)
    assert now.display_name == "Asha K. Khan"


def test_admins_cannot_lock_themselves_out(admin: factories.Someone) -> None:
    me = next(p for p in people.list_people(admin.actor()) if p.id == admin.person_id)
    with pytest.raises(NotValid):
        people.update_person(
            admin.actor(), admin.person_id, display_name="Ada", role="practitioner", version=me.version
        )
    with pytest.raises(NotValid):
        people.set_active(admin.actor(), admin.person_id, False)


def test_memberships_join_leave_and_rejoin(admin: factories.Someone) -> None:
    riverside = people.create_team(admin.actor(), "Riverside")
    asha = factories.person("asha")
    people.add_membership(admin.actor(), riverside, asha.person_id, "practitioner")
    assert asha.actor().team_ids == (riverside,)
    membership = next(m for m in people.list_memberships(admin.actor()) if m.person_id == asha.person_id)
    people.end_membership(admin.actor(), membership.id)
    assert asha.actor().team_ids == ()
    people.add_membership(admin.actor(), riverside, asha.person_id, "supervisor")
    assert [(m.team_id, m.role) for m in asha.actor().memberships] == [(riverside, "supervisor")]
