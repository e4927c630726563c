"""Admin work: teams, people, memberships and roles, password resets, deactivation.

Only admins reach these functions. Changes that matter for access (role, team, password,
deactivation) take effect on the person's next interaction, because every rerun resolves
the actor afresh from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, func, select

from db import accounts, audit, clock, versioning
from db.access import Actor, require_role
from db.clock import utcnow
from db.credentials import clean_username, hash_password, password_problem
from db.engine import session_scope
from db.errors import NotValid
from db.models import ROLES, TEAM_ROLES, Membership, Person, Team
from db.settings import get_settings
from db.validation import Checks

ROLE_LABELS = {
    "practitioner": "Practitioner",
    "supervisor": "Supervisor (runs group supervision)",
    "manager": "Manager (oversees teams)",
    "trainer": "Trainer",
    "admin": "Administrator",
    "trainee": "Trainee (training screens only)",
}


@dataclass(frozen=True)
class PersonRow:
    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
    teams: str
    version: int


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    description: str
    not_discussed_weeks: int
    members: int
    version: int


@dataclass(frozen=True)
class MembershipRow:
    id: int
    team_id: int
    team_name: str
    person_id: int
    display_name: str
    role: str
    joined_on: date


def list_people(actor: Actor) -> list[PersonRow]:
    require_role(actor, "admin")
    with session_scope() as s:
        people = s.exec(select(Person).order_by(Person.display_name)).all()
        teams = s.exec(
            select(Membership.person_id, Team.name)
            .join(Team, col(Team.id) == col(Membership.team_id))
            .where(col(Membership.left_on).is_(None))
            .order_by(Team.name)
        ).all()
    by_person: dict[int, list[str]] = {}
    for pid, name in teams:
        by_person.setdefault(pid, []).append(name)
    return [
        PersonRow(
            p.id,
            p.username,
            p.display_name,
            p.role,
            p.is_active,
            ", ".join(by_person.get(p.id, [])),
            p.version,
        )
        for p in people
    ]


def list_teams(actor: Actor) -> list[TeamRow]:
    require_role(actor, "admin")
    with session_scope() as s:
        counts = dict(
            s.exec(
                select(Membership.team_id, func.count())
                .where(col(Membership.left_on).is_(None))
                .group_by(col(Membership.team_id))
            ).all()
        )
        teams = s.exec(select(Team).order_by(Team.name)).all()
        return [
            TeamRow(t.id, t.name, t.description, t.not_discussed_weeks, counts.get(t.id, 0), t.version)
            for t in teams
        ]


def list_memberships(actor: Actor) -> list[MembershipRow]:
    require_role(actor, "admin")
    with session_scope() as s:
        rows = s.exec(
            select(Membership, Team.name, Person.display_name)
            .join(Team, col(Team.id) == col(Membership.team_id))
            .join(Person, col(Person.id) == col(Membership.person_id))
            .where(col(Membership.left_on).is_(None))
            .order_by(Team.name, Person.display_name)
        ).all()
        return [
            MembershipRow(m.id, m.team_id, tn, m.person_id, dn, m.role, m.joined_on) for m, tn, dn in rows
        ]


def create_team(actor: Actor, name: str, description: str = "", not_discussed_weeks: int | str = 4) -> int:
    require_role(actor, "admin")
    c = Checks()
    name = c.text("name", name, "The team's name", max_len=120, single_line=True)
    description = c.text("description", description, "Description", required=False, max_len=500)
    weeks = c.whole_number(
        "not_discussed_weeks", not_discussed_weeks, "Weeks before a gentle nudge", low=1, high=26
    )
    with session_scope(write=True) as s:
        if name and s.exec(select(Team).where(func.lower(Team.name) == name.lower())).first():
            c.add("name", "There's already a team with that name; please choose another.")
        c.raise_if_any()
        team = Team(name=name, description=description, not_discussed_weeks=weeks)  # type: ignore[arg-type]  # Checks refuses above (raise_if_any) when it is None
        s.add(team)
        s.flush()
        audit.by(s, actor, "create", "team", team.id, team.id)
        return int(team.id)


def create_person(
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    password: str,
    team_id: int | None = None,
    team_role: str | None = None,
) -> int:
    require_role(actor, "admin")
    c = Checks()
    key, problem = clean_username(username)
    if problem:
        c.add("username", problem)
    display_name = c.text("display_name", display_name, "Name", max_len=120, single_line=True)
    c.choice("role", role, "Role", ROLES)
    if (p := password_problem(password or "")) is not None:
        c.add("password", p)
    if team_id is not None:
        c.choice("team_role", team_role, "Role in the team", TEAM_ROLES)
    with session_scope(write=True) as s:
        if not problem and s.exec(select(Person).where(Person.username == key)).first():
            c.add("username", "Someone already has that username; please choose another.")
        if team_id is not None and s.get(Team, team_id) is None:
            c.add("team_id", "That team no longer exists; please choose another.")
        c.raise_if_any()
        person = Person(
            username=key,
            display_name=display_name,
            role=role,
            password_hash=hash_password(password),
            password_changed_at=utcnow(),
        )
        s.add(person)
        s.flush()
        if team_id is not None:
            s.add(Membership(team_id=team_id, person_id=person.id, role=team_role or "practitioner"))
        audit.by(s, actor, "create", "person", person.id)
        return int(person.id)


def update_person(actor: Actor, person_id: int, *, display_name: str, role: str, version: int) -> str:
    """Saves one person's name and role; returns the name now saved, to say whom it acted on."""
    require_role(actor, "admin")
    c = Checks()
    display_name = c.text("display_name", display_name, "Name", max_len=120, single_line=True)
    c.choice("role", role, "Role", ROLES)
    c.raise_if_any()
    with session_scope(write=True) as s:
        person = s.get(Person, person_id, with_for_update=True)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        versioning.check(
            person,
            version,
            "Someone else changed this person's details while you were editing. "
            "Here is what they saved; your changes are still in the form.",
            {"display_name": person.display_name, "role": person.role},
        )
        if person.id == actor.person_id and role != "admin":
            raise NotValid({"role": "You can't remove your own administrator role; ask another admin."})
        old_role = person.role
        person.display_name, person.role = display_name, role
        person.updated_at = utcnow()
        versioning.saved(s, actor, person, "change", "person", person_id)
        if role != old_role:
            audit.role_change(s, actor, person_id, old_role, role)
    if role != old_role:
        # A new role is a new set of doors: every open tab signs in again, on every server.
        accounts.revoke_all_sessions(person_id, "role_changed")
    return display_name


def reset_password(actor: Actor, person_id: int, new_password: str) -> str:
    """Sets a new password and signs them out everywhere; returns their name."""
    require_role(actor, "admin")
    if (p := password_problem(new_password or "")) is not None:
        raise NotValid({"password": p})
    with session_scope(write=True) as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        person.password_hash = hash_password(new_password)
        person.password_changed_at = utcnow()
        person.version += 1
        name = person.display_name
        audit.by(s, actor, "password_reset", "person", person_id)
    accounts.revoke_all_sessions(person_id, "password_reset")
    return name


def set_active(actor: Actor, person_id: int, active: bool) -> str:
    """Deactivates (or reactivates) one person; returns their name."""
    require_role(actor, "admin")
    if person_id == actor.person_id and not active:
        raise NotValid({"person": "You can't deactivate your own account; ask another admin."})
    with session_scope(write=True) as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        person.is_active = active
        person.version += 1
        name = person.display_name
        audit.by(s, actor, "activate" if active else "deactivate", "person", person_id)
    if not active:
        accounts.revoke_all_sessions(person_id, "deactivated")
    return name


def add_membership(actor: Actor, team_id: int, person_id: int, role: str) -> None:
    require_role(actor, "admin")
    c = Checks()
    c.choice("team_role", role, "Role in the team", TEAM_ROLES)
    c.raise_if_any()
    with session_scope(write=True) as s:
        if s.get(Team, team_id) is None or s.get(Person, person_id) is None:
            raise NotValid({"team_id": "Please choose a team and a person who are both in Circle."})
        existing = s.exec(
            select(Membership).where(Membership.team_id == team_id, Membership.person_id == person_id)
        ).first()
        if existing:
            existing.role, existing.left_on = role, None
        else:
            s.add(Membership(team_id=team_id, person_id=person_id, role=role))
        audit.by(s, actor, "change", "membership", f"{team_id}:{person_id}", team_id)


def end_membership(actor: Actor, membership_id: int) -> None:
    require_role(actor, "admin")
    with session_scope(write=True) as s:
        m = s.get(Membership, membership_id)
        if m is None or m.left_on is not None:
            raise NotValid({"membership": "That person has already left the team."})
        m.left_on = clock.today()
        audit.by(s, actor, "change", "membership", f"{m.team_id}:{m.person_id}", m.team_id)


def link_identity(actor: Actor, person_id: int, subject: str | None, *, issuer: str | None = None) -> None:
    """Link (or, with no subject, unlink) a person to their account at the council's identity
    provider, so they can sign in with it. The issuer defaults to the configured provider."""
    require_role(actor, "admin")
    c = Checks()
    subject = c.text("subject", subject, "Their sign-in id", required=False, max_len=200, single_line=True)
    issuer = (issuer or get_settings().oidc_issuer).strip()
    if subject and not issuer:
        c.add("subject", "Single sign-on isn't set up yet: CIRCLE_OIDC_ISSUER names your council's provider.")
    c.raise_if_any()
    key = accounts.external_key(issuer, subject) if subject else None
    with session_scope(write=True) as s:
        person = s.get(Person, person_id)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        if (
            key
            and s.exec(
                select(Person.id).where(Person.external_subject == key, Person.id != person_id)
            ).first()
        ):
            raise NotValid({"subject": "Someone else in Circle is already linked to that sign-in."})
        person.external_subject = key
        person.version += 1
        person.updated_at = utcnow()
        audit.by(s, actor, "link_identity" if key else "unlink_identity", "person", person_id)
    # A changed link ends the person's current sign-ins, as a password reset does.
    accounts.revoke_all_sessions(person_id, "identity_changed")


def linked_subject(actor: Actor, person_id: int) -> str | None:
    """The subject part of the person's linked identity, for the admin screen."""
    require_role(actor, "admin")
    with session_scope() as s:
        person = s.get(Person, person_id)
        if person is None or not person.external_subject:
            return None
        return person.external_subject.split("#", 1)[-1]
