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


ALL_ROLES = ("practitioner", "supervisor", "manager", "trainer", "admin")
# Someone who joined an induction cohort with its code: no team, no password, and only the
# training screen they answer on (kept out of ALL_ROLES so Home and the rest stay closed).
TRAINEE = "trainee"

# Which screens each role's navigation holds. A page missing here cannot be reached: the
# app builds st.navigation from this list alone. Later screens add their line here.
PAGES: dict[str, tuple[str, ...]] = {
    "home": ALL_ROLES,
    "account": ALL_ROLES,
    "insights": ("supervisor", "manager"),
    "sessions": ("practitioner", "supervisor"),
    "session_room": ("practitioner", "supervisor"),
    "session_record": ("practitioner", "supervisor"),
    "one_to_one": ("practitioner", "supervisor"),
    "agreement": ("practitioner", "supervisor"),
    "agreement_template": ("admin",),
    "case_board": ("practitioner", "supervisor", "manager"),
    "case": ("practitioner", "supervisor", "manager"),
    "admin": ("admin",),
    "audit": ("admin",),
    "privacy": ("admin",),
    "risk_log": ("practitioner", "supervisor", "manager"),
    "risk_entry": ("practitioner", "supervisor", "manager"),
    "training": ("trainer",),
    "training_run": ("trainer",),
    "training_take": ("practitioner", "supervisor", TRAINEE),
    "language": ("practitioner", "supervisor"),
}


def pages_for(role: str) -> tuple[str, ...]:
    return tuple(page for page, roles in PAGES.items() if role in roles)
