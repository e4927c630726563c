"""Which kinds each person gets: their own choices, else their team's defaults, else all."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from db import clock, versioning
from db.access import Actor, require_role, supervised_team_ids
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import Membership, Team
from db.notification_models import NotificationChoice, TeamNotificationDefault
from db.notifications.kinds import CHOICES, NOTIFIED_ROLES, mail_configured
from db.validation import Checks


def _kinds(raw: str) -> dict[str, bool]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {k: bool(v) for k, v in found.items() if k in CHOICES} if isinstance(found, dict) else {}


def _team_default(s: Session, person_id: int) -> dict[str, bool]:
    """The defaults of the person's teams (their first team with any, by team id)."""
    rows = s.exec(
        select(TeamNotificationDefault.kinds)
        .join(Membership, col(Membership.team_id) == col(TeamNotificationDefault.team_id))
        .where(Membership.person_id == person_id, col(Membership.left_on).is_(None))
        .order_by(col(TeamNotificationDefault.team_id))
    ).all()
    merged: dict[str, bool] = {}
    for raw in rows:
        for key, value in _kinds(raw).items():
            merged.setdefault(key, value)
    return merged


def _wants(s: Session, person_id: int, choice: str) -> bool:
    own = s.get(NotificationChoice, person_id)
    if own is not None and choice in _kinds(own.kinds):
        return _kinds(own.kinds)[choice]
    return _team_default(s, person_id).get(choice, True)


@dataclass(frozen=True)
class MyChoices:
    email: str
    chosen: dict[str, bool]  # what applies to them now, choice by choice
    own: dict[str, bool]  # what they chose themselves (the rest follows the team)
    team_default: dict[str, bool]
    version: int
    mail_on: bool


def my_choices(actor: Actor) -> MyChoices:
    require_role(actor, *NOTIFIED_ROLES)
    with session_scope() as s:
        row = s.get(NotificationChoice, actor.person_id)
        own = _kinds(row.kinds) if row else {}
        team = _team_default(s, actor.person_id)
        chosen = {k: own.get(k, team.get(k, True)) for k in CHOICES}
        return MyChoices(
            row.email if row else "", chosen, own, team, row.version if row else 0, mail_configured()
        )


def save_choices(actor: Actor, *, email: str, chosen: dict[str, bool], version: int) -> None:
    """Your own choices (only ever your own: the actor's person id is the row's key)."""
    require_role(actor, *NOTIFIED_ROLES)
    c = Checks()
    email = c.text("email", email, "Your email address", required=False, max_len=254)
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        c.add("email", "That doesn't look like an email address yet; it needs a name, an @ and a place.")
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = s.get(NotificationChoice, actor.person_id, with_for_update=True)
        versioning.check(
            row,
            version,
            "You changed these choices in another window a moment ago; here is what is saved now.",
            lambda: (
                {"Email": row.email, **{CHOICES[k]: v for k, v in _kinds(row.kinds).items()}} if row else {}
            ),
        )
        if row is None:
            row = NotificationChoice(person_id=actor.person_id, version=0)
        row.email = email
        row.kinds = json.dumps({k: bool(v) for k, v in chosen.items() if k in CHOICES}, sort_keys=True)
        row.updated_at = clock.utcnow()
        versioning.saved(s, actor, row, "change", "notification_choice", actor.person_id)


@dataclass(frozen=True)
class TeamDefaults:
    team_id: int
    team_name: str
    chosen: dict[str, bool]
    where_we_meet: str
    version: int


def team_defaults(actor: Actor, team_id: int) -> TeamDefaults:
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Only the team's supervisor sets the team's defaults.")
    with session_scope() as s:
        row = s.get(TeamNotificationDefault, team_id)
        team = s.get(Team, team_id)
        kinds = _kinds(row.kinds) if row else {}
        return TeamDefaults(
            team_id,
            team.name if team else "",
            {k: kinds.get(k, True) for k in CHOICES},
            row.where_we_meet if row else "",
            row.version if row else 0,
        )


def save_team_defaults(
    actor: Actor, team_id: int, *, chosen: dict[str, bool], where_we_meet: str, version: int
) -> None:
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Only the team's supervisor sets the team's defaults.")
    c = Checks()
    where_we_meet = c.text(
        "where_we_meet", where_we_meet, "Where the team meets", required=False, max_len=120
    )
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = s.get(TeamNotificationDefault, team_id, with_for_update=True)
        versioning.check(
            row,
            version,
            "Someone saved the team's defaults a moment ago; here is what is saved now.",
            {"Where the team meets": row.where_we_meet if row else ""},
        )
        if row is None:
            row = TeamNotificationDefault(team_id=team_id, version=0)
        row.kinds = json.dumps({k: bool(v) for k, v in chosen.items() if k in CHOICES}, sort_keys=True)
        row.where_we_meet = where_we_meet
        row.updated_by_id = actor.person_id
        row.updated_at = clock.utcnow()
        versioning.saved(s, actor, row, "change", "team_notification_default", team_id, team_id=team_id)


def where_we_meet(s: Session, team_id: int) -> str:
    row = s.get(TeamNotificationDefault, team_id)
    return row.where_we_meet if row else ""
