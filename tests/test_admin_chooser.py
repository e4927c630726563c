"""Issue 22: on Teams and people, the person chosen stays chosen through every save.

st.selectbox remembers its choice by label; after a rename the old label was gone and the
chooser fell back to the first person (the administrator), so the next save changed the
wrong record. Here: rename the same person three times, then deactivate them, through
AppTest and through Chromium; exactly that person changes, the administrator never does.
"""

from __future__ import annotations

from sqlmodel import select

from components.text import plain
from db.engine import session_scope
from db.models import Membership, Person
from tests import factories
from tests.conftest import app_for


def _record(username: str) -> Person:
    with session_scope() as s:
        found = s.exec(select(Person).where(Person.username == username)).one()
        s.expunge(found)
        return found


def _said(messages) -> str:
    """The first message as read on screen (markdown escapes taken out)."""
    return messages[0].value.replace("\\", "")


def _chooser(at):
    return next(sb for sb in at.selectbox if sb.label == "Choose someone to look after")


def _save_name(at, person_id: int, name: str):
    box = next(
        ti for ti in at.text_input if ti.label == "Name" and ti.key.startswith(f"admin_name_{person_id}_")
    )
    box.input(name)
    at.button(key=f"FormSubmitter:admin_edit_{person_id}-Save changes").click().run()
    assert not at.exception, at.exception
    return at


def test_renaming_the_same_person_three_times_then_deactivating_them(sqlite_db: str) -> None:
    # "Aaron" sorts first, so a chooser that falls back to its first option lands on him.
    admin = factories.person("aaron", "admin")
    ben = factories.person("ben")
    factories.person("cleo")
    before = _record("aaron")
    before_ben = _record("ben").version

    at = app_for(admin.token).switch_page("pages/admin.py").run()
    _chooser(at).select(ben.person_id).run()
    assert at.query_params["person"] == [str(ben.person_id)] or at.query_params["person"] == str(
        ben.person_id
    )

    for n, name in enumerate(("Ben Hughes", "Ben Hughes-Test", "Ben Hughes-Test Again"), start=1):
        _save_name(at, ben.person_id, name)
        assert f"Saved {name}." in _said(at.success)
        assert _record("ben").display_name == name
        chooser = _chooser(at)
        # Still Ben, and the chooser's label shows the new name.
        assert chooser.value == ben.person_id
        assert chooser.format_func(chooser.value) == f"{name} (ben)"
        assert _record("ben").version == before_ben + n  # one save, one version
    # The deactivate button asks first, naming him.
    submit = f"FormSubmitter:admin_deactivate_{ben.person_id}-Deactivate {plain('Ben Hughes-Test Again')}"
    at.button(key=submit).click().run()
    assert "Please tick the box" in _said(at.warning) and "Ben Hughes" in _said(at.warning)
    assert _record("ben").is_active
    at.checkbox(key=f"admin_deactivate_sure_{ben.person_id}").check()
    at.button(key=submit).click().run()
    assert "Deactivated Ben Hughes-Test Again" in _said(at.success)
    assert not _record("ben").is_active
    assert _chooser(at).value == ben.person_id

    after = _record("aaron")
    assert (after.display_name, after.role, after.is_active, after.version) == (
        before.display_name,
        before.role,
        before.is_active,
        before.version,
    )
    assert _record("cleo").display_name == "Cleo Example"


def test_the_chosen_person_comes_from_the_address(sqlite_db: str) -> None:
    admin = factories.person("aaron", "admin")
    ben = factories.person("ben")
    at = app_for(admin.token)
    at.query_params["person"] = str(ben.person_id)
    at.switch_page("pages/admin.py").run()
    assert _chooser(at).value == ben.person_id


def test_password_reset_asks_to_confirm_whom_it_is_for(sqlite_db: str) -> None:
    from db import accounts

    admin = factories.person("aaron", "admin")
    ben = factories.person("ben")
    at = app_for(admin.token).switch_page("pages/admin.py").run()
    _chooser(at).select(ben.person_id).run()
    at.text_input(key=f"admin_password_{ben.person_id}").input("a brand new passphrase")
    submit = f"FormSubmitter:admin_reset_{ben.person_id}-Set a new password for Ben Example"
    at.button(key=submit).click().run()
    assert "Ben Example (ben)" in _said(at.warning)
    assert not accounts.sign_in("ben", "a brand new passphrase").ok
    at.checkbox(key=f"admin_password_sure_{ben.person_id}").check()
    at.button(key=submit).click().run()
    assert "New password set for Ben Example" in _said(at.success)
    assert accounts.sign_in("ben", "a brand new passphrase").ok
    assert accounts.sign_in("aaron", factories.PASSWORD).ok


def test_someone_leaving_a_team_stays_chosen_after_a_rename(sqlite_db: str) -> None:
    riverside = factories.team("Riverside")
    admin = factories.person("aaron", "admin", {riverside: "practitioner"})
    ben = factories.person("ben", teams={riverside: "practitioner"})
    with session_scope() as s:
        bens = s.exec(select(Membership.id).where(Membership.person_id == ben.person_id)).one()
    at = app_for(admin.token).switch_page("pages/admin.py").run()
    next(sb for sb in at.selectbox if sb.label == "Someone leaving a team").select(bens).run()
    _chooser(at).select(ben.person_id).run()
    _save_name(at, ben.person_id, "Ben Renamed")
    leaving = next(sb for sb in at.selectbox if sb.label == "Someone leaving a team")
    assert leaving.value == bens
    at.button(key="admin_end_membership").click().run()
    assert "Ben Renamed in Riverside has left" in _said(at.success)
    with session_scope() as s:
        left = {m.person_id: m.left_on for m in s.exec(select(Membership)).all()}
    assert left[ben.person_id] is not None and left[admin.person_id] is None
