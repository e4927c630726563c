"""Small builders for tests: teams, people with a role and teams, and signed-in tokens."""

from __future__ import annotations

from dataclasses import dataclass

from db import accounts, credentials
from db.access import Actor
from db.engine import session_scope
from db.models import Membership, Person, Team

PASSWORD = "a fine long passphrase"


def team(name: str = "Riverside") -> int:
    with session_scope(write=True) as s:
        t = Team(name=name)
        s.add(t)
        s.flush()
        return int(t.id)


@dataclass(frozen=True)
class Someone:
    person_id: int
    username: str
    token: str

    def actor(self) -> Actor:
        found = accounts.actor_for_token(self.token)
        assert found is not None
        return found


def person(
    username: str,
    role: str = "practitioner",
    teams: dict[int, str] | None = None,
    password: str = PASSWORD,
    active: bool = True,
) -> Someone:
    with session_scope(write=True) as s:
        p = Person(
            username=username,
            display_name=username.capitalize() + " Example",
            role=role,
            password_hash=credentials.hash_password(password),
            is_active=active,
        )
        s.add(p)
        s.flush()
        for team_id, team_role in (teams or {}).items():
            s.add(Membership(team_id=team_id, person_id=p.id, role=team_role))
        pid = int(p.id)
    token = ""
    if active:
        result = accounts.sign_in(username, password)
        assert result.ok, result.message
        token = result.token or ""
    return Someone(pid, username, token)
