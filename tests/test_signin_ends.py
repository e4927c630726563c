"""Ending a sign-in ends it everywhere: after deactivation, an admin's password reset, a
person's own password change (their other browsers) and a role change, the old tokens no
longer resolve, on SQLite and PostgreSQL. A role change is audited with both roles; the
training exports leave an audit line."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db import accounts, people, training
from db.engine import session_scope
from db.models import AuditEvent, SignInSession
from tests import factories


def _second_sign_in(username: str) -> str:
    result = accounts.sign_in(username, factories.PASSWORD)
    assert result.ok and result.token
    return result.token


def _version(admin: factories.Someone, username: str) -> int:
    return next(p.version for p in people.list_people(admin.actor()) if p.username == username)


def _revoked_reasons(person_id: int) -> set[str | None]:
    with session_scope() as s:
        rows = s.exec(select(SignInSession).where(SignInSession.person_id == person_id)).all()
    return {r.revoked_reason for r in rows}


def _audit(action: str) -> list[AuditEvent]:
    with session_scope() as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_deactivation_ends_every_sign_in(db: str) -> None:
    admin = factories.person("root", role="admin")
    asha = factories.person("asha")
    other = _second_sign_in("asha")
    people.set_active(admin.actor(), asha.person_id, False)
    assert accounts.actor_for_token(asha.token) is None
    assert accounts.actor_for_token(other) is None
    assert _revoked_reasons(asha.person_id) == {"deactivated"}
    # Coming back does not bring the old sign-ins back.
    people.set_active(admin.actor(), asha.person_id, True)
    assert accounts.actor_for_token(asha.token) is None
    assert accounts.actor_for_token(other) is None


def test_an_admins_password_reset_ends_every_sign_in(db: str) -> None:
    admin = factories.person("root", role="admin")
    asha = factories.person("asha")
    other = _second_sign_in("asha")
    people.reset_password(admin.actor(), asha.person_id, "set by the admin today")
    assert accounts.actor_for_token(asha.token) is None
    assert accounts.actor_for_token(other) is None
    assert _revoked_reasons(asha.person_id) == {"password_reset"}
    assert accounts.actor_for_token(admin.token) is not None


def test_ones_own_password_change_ends_the_other_browsers(db: str) -> None:
    asha = factories.person("asha")
    other = _second_sign_in("asha")
    third = _second_sign_in("asha")
    bystander = factories.person("ben")
    accounts.change_own_password(
        asha.actor(), factories.PASSWORD, "a new long passphrase", "a new long passphrase"
    )
    assert accounts.actor_for_token(other) is None
    assert accounts.actor_for_token(third) is None
    # The browser where it was changed carries on; nobody else is touched.
    assert accounts.actor_for_token(asha.token) is not None
    assert accounts.actor_for_token(bystander.token) is not None


@pytest.mark.parametrize(("old", "new"), [("practitioner", "supervisor"), ("supervisor", "practitioner")])
def test_a_role_change_ends_every_sign_in_and_is_audited(db: str, old: str, new: str) -> None:
    admin = factories.person("root", role="admin")
    asha = factories.person("asha", role=old)
    other = _second_sign_in("asha")
    people.update_person(
        admin.actor(), asha.person_id, display_name="Asha Example", role=new, version=_version(admin, "asha")
    )
    assert accounts.actor_for_token(asha.token) is None
    assert accounts.actor_for_token(other) is None
    assert _revoked_reasons(asha.person_id) == {"role_changed"}
    (line,) = _audit(f"role_to_{new}")
    assert (line.actor_id, line.record_type, line.record_id, line.outcome) == (
        admin.person_id,
        "person",
        str(asha.person_id),
        f"from {old}",
    )
    # Signing in again gives the new role.
    assert accounts.actor_for_token(_second_sign_in("asha")).role == new  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def test_a_name_change_alone_keeps_the_sign_ins(db: str) -> None:
    admin = factories.person("root", role="admin")
    asha = factories.person("asha")
    people.update_person(
        admin.actor(),
        asha.person_id,
        display_name="Asha Renamed",
        role="practitioner",
        version=_version(admin, "asha"),
    )
    fresh = accounts.actor_for_token(asha.token)
    assert fresh is not None and fresh.display_name == "Asha Renamed"
    assert not [e for e in _audit_all() if e.action.startswith("role_to_")]


def _audit_all() -> list[AuditEvent]:
    with session_scope() as s:
        return list(s.exec(select(AuditEvent)).all())


def test_training_exports_are_audited(db: str) -> None:
    ruth = factories.person("ruth", "trainer")
    training.import_starter_library(ruth.actor())
    cohort_id = training.create_cohort(ruth.actor(), name="Spring", starts_on=date.today())
    training.export_exercises(ruth.actor())
    training.history_csv(ruth.actor(), cohort_id)
    training.history_pdf(ruth.actor(), cohort_id)
    lines = [(e.actor_id, e.record_type, e.record_id) for e in _audit("export")]
    assert len(lines) == 3
    assert lines[0][:2] == (ruth.person_id, "exercise_library")
    assert lines[1:] == [(ruth.person_id, "cohort", str(cohort_id))] * 2
