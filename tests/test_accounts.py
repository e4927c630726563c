"""Sign-in, sessions and passwords, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import col, select

from db import accounts, credentials, people
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.models import AuditEvent, Person, SignInSession
from tests import factories


def _audit_actions() -> list[str]:
    with session_scope() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()]


def test_production_hashes_are_argon2id_at_the_chosen_parameters() -> None:
    # Chosen on purpose (README, security): OWASP's argon2id configuration, 19 MiB, two
    # passes, one lane; never below it.
    production = PasswordHasher(**credentials.HASH_PARAMETERS)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
    encoded = production.hash("correct horse battery staple")
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert production.memory_cost >= 19456 and production.time_cost >= 2
    # Tests use cheap parameters; a hash made with them is flagged for upgrade in production.
    assert production.check_needs_rehash(credentials.hash_password("correct horse battery staple"))


def test_rehash_on_sign_in_upgrades_cheap_hashes(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    factories.person("asha")
    monkeypatch.setattr(credentials, "_hasher", PasswordHasher(**credentials.HASH_PARAMETERS))  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
    assert accounts.sign_in("asha", factories.PASSWORD).ok
    with session_scope() as s:
        stored = s.exec(select(Person).where(Person.username == "asha")).one().password_hash
    assert stored and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_right_password_signs_in_and_wrong_one_does_not(db: str) -> None:
    someone = factories.person("asha")
    actor = accounts.actor_for_token(someone.token)
    assert actor is not None and actor.username == "asha"
    wrong = accounts.sign_in("asha", "not the password")
    assert not wrong.ok and wrong.token is None
    assert "don't match" in wrong.message
    unknown = accounts.sign_in("nobody", "whatever it is")
    assert unknown.message == wrong.message  # no hint about which usernames exist
    assert _audit_actions().count("signin_failed") == 2


def test_usernames_are_not_case_sensitive(db: str) -> None:
    factories.person("asha")
    assert accounts.sign_in("  ASHA ", factories.PASSWORD).ok


def test_password_rules_are_length_only() -> None:
    assert credentials.password_problem("short") is not None
    assert credentials.password_problem("eightchr") is None
    assert credentials.password_problem("all lower case words are fine") is None
    assert credentials.password_problem("x" * 200) is None
    assert credentials.password_problem("x" * 257) is not None


def test_back_off_slows_repeated_failures_then_expires(db: str) -> None:
    factories.person("asha")
    start = utcnow()
    for i in range(accounts.BACKOFF_FREE_TRIES):
        result = accounts.sign_in("asha", "wrong guess", now=start + timedelta(seconds=i))
        assert not result.ok and result.wait_seconds == 0
    last = start + timedelta(seconds=accounts.BACKOFF_FREE_TRIES - 1)
    # Straight after the third failure even the right password waits.
    paused = accounts.sign_in("asha", factories.PASSWORD, now=last + timedelta(milliseconds=500))
    assert not paused.ok and paused.wait_seconds >= 1 and "try again in" in paused.message
    # Once the wait has passed, the right password works again and clears the count.
    assert accounts.sign_in("asha", factories.PASSWORD, now=last + timedelta(seconds=3)).ok
    # The back-off grows with more failures, and is capped.
    for i in range(12):
        accounts.sign_in("asha", "wrong guess", now=last + timedelta(minutes=1, seconds=400 * i))
    t = last + timedelta(minutes=1, seconds=400 * 11)
    capped = accounts.sign_in("asha", factories.PASSWORD, now=t + timedelta(seconds=1))
    assert not capped.ok and capped.wait_seconds <= accounts.BACKOFF_MAX_SECONDS
    # Left alone long enough, the count is forgotten: no permanent lock-out.
    assert accounts.sign_in(
        "asha", factories.PASSWORD, now=t + accounts.BACKOFF_FORGET_AFTER + timedelta(seconds=1)
    ).ok
    assert "signin_wait" in _audit_actions()


def test_idle_timeout_ends_a_session(db: str) -> None:
    someone = factories.person("asha")
    later = utcnow() + timedelta(minutes=31)
    assert accounts.actor_for_token(someone.token, now=later) is None
    # And it stays ended even if the clock were to go back.
    assert accounts.actor_for_token(someone.token) is None


def test_activity_keeps_a_session_alive_until_its_absolute_lifetime(db: str) -> None:
    someone = factories.person("asha")
    now = utcnow()
    for minutes in range(25, 12 * 60, 25):
        assert accounts.actor_for_token(someone.token, now=now + timedelta(minutes=minutes)) is not None
    assert accounts.actor_for_token(someone.token, now=now + timedelta(hours=12, minutes=1)) is None


def test_sign_out_revokes(db: str) -> None:
    someone = factories.person("asha")
    other = factories.person("ben")
    accounts.sign_out_token(someone.token)
    assert accounts.actor_for_token(someone.token) is None
    assert accounts.actor_for_token(other.token) is not None
    accounts.sign_out_token(other.token)
    assert accounts.actor_for_token(other.token) is None
    assert _audit_actions().count("signout") == 2


def test_password_change_revokes_every_other_session(db: str) -> None:
    someone = factories.person("asha")
    second = accounts.sign_in("asha", factories.PASSWORD).token
    with pytest.raises(NotValid) as refused:
        accounts.change_own_password(someone.actor(), "wrong current", "new passphrase", "new passphrase")
    assert "current" in refused.value.problems
    accounts.change_own_password(
        someone.actor(), factories.PASSWORD, "a brand new passphrase", "a brand new passphrase"
    )
    # The browser that changed it stays signed in (the person has just proved the password).
    assert accounts.actor_for_token(someone.token) is not None
    assert accounts.actor_for_token(second) is None
    assert accounts.sign_in("asha", "a brand new passphrase").ok


def test_deactivation_and_reset_revoke_at_once(db: str) -> None:
    admin = factories.person("root", role="admin")
    someone = factories.person("asha")
    people.set_active(admin.actor(), someone.person_id, False)
    assert accounts.actor_for_token(someone.token) is None
    assert not accounts.sign_in("asha", factories.PASSWORD).ok
    people.set_active(admin.actor(), someone.person_id, True)
    fresh = accounts.sign_in("asha", factories.PASSWORD).token
    people.reset_password(admin.actor(), someone.person_id, "set by the admin today")
    assert accounts.actor_for_token(fresh) is None
    with session_scope() as s:
        reasons = {r.revoked_reason for r in s.exec(select(SignInSession)).all()}
    assert {"deactivated", "password_reset"} <= reasons


def test_role_change_ends_the_sign_in_and_the_next_has_the_new_role(db: str) -> None:
    admin = factories.person("root", role="admin")
    someone = factories.person("asha", role="practitioner")
    assert someone.actor().role == "practitioner"
    person = next(p for p in people.list_people(admin.actor()) if p.username == "asha")
    people.update_person(
        admin.actor(),
        someone.person_id,
        display_name="Asha Example",
        role="supervisor",
        version=person.version,
    )
    assert accounts.actor_for_token(someone.token) is None
    again = accounts.sign_in("asha", factories.PASSWORD).token
    assert accounts.actor_for_token(again).role == "supervisor"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def test_tokens_are_stored_only_as_hashes(db: str) -> None:
    someone = factories.person("asha")
    with session_scope() as s:
        stored = [r.token_hash for r in s.exec(select(SignInSession)).all()]
    assert someone.token not in stored and all(len(h) == 64 for h in stored)


def test_create_admin_validates_and_refuses_duplicates(db: str) -> None:
    with pytest.raises(NotValid) as refused:
        accounts.create_admin("A", "", "short")
    assert set(refused.value.problems) == {"username", "display_name", "password"}
    accounts.create_admin("first.admin", "First Admin", "a long enough phrase")
    with pytest.raises(NotValid):
        accounts.create_admin("first.admin", "Again", "a long enough phrase")
    assert accounts.sign_in("first.admin", "a long enough phrase").ok
