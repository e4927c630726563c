"""The admin screen and the account screen through AppTest: saving works, and a refused
save explains itself and keeps what was typed."""

from __future__ import annotations

from sqlmodel import select

from db import accounts
from db.engine import session_scope
from db.models import Person
from tests import factories
from tests.conftest import app_for


def _admin_page(token: str):
    at = app_for(token)
    return at.switch_page("pages/admin.py").run()


def test_adding_a_person_with_problems_keeps_what_was_typed(sqlite_db: str) -> None:
    admin = factories.person("ada", "admin")
    at = _admin_page(admin.token)
    at.text_input(key="admin_new_username").input("Bad Name!")
    at.text_input(key="admin_new_name").input("Asha Khan")
    at.text_input(key="admin_new_password").input("short")
    at.button(key="FormSubmitter:admin_add_person-Add person").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "everything you typed is still here" in message
    assert "Username" in message and "Password" in message
    assert at.text_input(key="admin_new_username").value == "Bad Name!"
    assert at.text_input(key="admin_new_name").value == "Asha Khan"
    with session_scope() as s:
        assert s.exec(select(Person).where(Person.display_name == "Asha Khan")).first() is None


def test_adding_a_person_then_they_can_sign_in(sqlite_db: str) -> None:
    admin = factories.person("ada", "admin")
    at = _admin_page(admin.token)
    at.text_input(key="admin_new_username").input("asha")
    at.text_input(key="admin_new_name").input("Asha Khan")
    at.text_input(key="admin_new_password").input("a first password")
    at.button(key="FormSubmitter:admin_add_person-Add person").click().run()
    assert not at.exception and not at.error
    assert accounts.sign_in("asha", "a first password").ok


def test_changing_your_password_from_the_account_page(sqlite_db: str) -> None:
    someone = factories.person("asha")
    at = app_for(someone.token).switch_page("pages/account.py").run()
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["Your current password"].input(factories.PASSWORD)
    inputs["New password"].input("a new long passphrase")
    inputs["New password again"].input("a different one")
    at.button(key="FormSubmitter:account_password-Change password").click().run()
    assert "match yet" in at.error[0].value
    inputs = {ti.label: ti for ti in at.text_input}
    inputs["New password again"].input("a new long passphrase")
    at.button(key="FormSubmitter:account_password-Change password").click().run()
    assert not at.error and "password is changed" in at.success[0].value
    assert accounts.sign_in("asha", "a new long passphrase").ok
