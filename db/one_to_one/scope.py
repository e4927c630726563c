"""Who reaches a one-to-one: the two people in it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from db import audit
from db.access import Actor, supervised_team_ids
from db.errors import NotAllowed, NotValid
from db.models import Membership, Person
from db.supervision_models import OneToOne


def _participant(actor: Actor, row: OneToOne) -> bool:
    return actor.role in ("practitioner", "supervisor") and actor.person_id in (
        row.practitioner_id,
        row.supervisor_id,
    )


def _load(s: Session, actor: Actor, one_to_one_id: int) -> OneToOne:
    row = s.get(OneToOne, one_to_one_id)
    if row is None or not _participant(actor, row):
        raise NotAllowed("A one-to-one is open only to the two people in it.")
    return row


def _require_open(row: OneToOne) -> None:
    if row.status != "planned":
        raise NotValid(
            {
                "one_to_one": "This one-to-one is closed and its record is kept as it was. Add an amendment instead."
            }
        )


def _audit(s: Session, actor: Actor, action: str, record_type: str, record_id: object, team_id: int) -> None:
    audit.record(
        s,
        action,
        actor_id=actor.person_id,
        actor_label=actor.username,
        record_type=record_type,
        record_id=record_id,
        team_id=team_id,
    )


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(s.exec(select(Person.id, Person.display_name).where(col(Person.id).in_(ids))).all())


def _practitioner_team(s: Session, supervisor: Actor, practitioner_id: int) -> int:
    teams = supervised_team_ids(supervisor)
    found = (
        s.exec(
            select(Membership.team_id).where(
                Membership.person_id == practitioner_id,
                col(Membership.team_id).in_(teams),
                Membership.role == "practitioner",
                col(Membership.left_on).is_(None),
            )
        ).first()
        if teams
        else None
    )
    if found is None:
        raise NotAllowed("You plan one-to-ones with the practitioners of the team you supervise.")
    return int(found)
