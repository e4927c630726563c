"""Who is acting, and what their role and teams let them reach.

Every data-layer function takes an `Actor` and calls these checks itself, so no page can
forget them. Scope, in short (the README has the full table):
- practitioners and supervisors reach their own current teams' records;
- managers reach the teams they oversee (a manager membership);
- trainers reach training cohorts and exercises, never a team's case records;
- admins manage people, teams and roles, and read the audit, but not case records.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.errors import NotAllowed


@dataclass(frozen=True)
class TeamRole:
    team_id: int
    team_name: str
    role: str


@dataclass(frozen=True)
class Actor:
    person_id: int
    username: str
    display_name: str
    role: str
    memberships: tuple[TeamRole, ...] = ()
    signin_session_id: int | None = None

    @property
    def team_ids(self) -> tuple[int, ...]:
        return tuple(m.team_id for m in self.memberships)

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ")[0]


CASE_ROLES = ("practitioner", "supervisor", "manager")


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed()


def case_team_ids(actor: Actor) -> tuple[int, ...]:
    """The teams whose case records this person may see."""
    if actor.role not in CASE_ROLES:
        return ()
    return actor.team_ids


def require_team(actor: Actor, team_id: int) -> None:
    if team_id not in case_team_ids(actor):
        raise NotAllowed("That team's records aren't open to you.")


def supervised_team_ids(actor: Actor) -> tuple[int, ...]:
    """Teams whose group supervision this person runs."""
    if actor.role != "supervisor":
        return ()
    return tuple(m.team_id for m in actor.memberships if m.role == "supervisor")
