"""Who reaches a one-to-one: the two people in it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from db import audit, names
from db.access import Actor, supervised_team_ids
from db.errors import NotAllowed, NotValid
from db.models import Membership
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


_audit = audit.by  # what the person did, in the same transaction


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    return names.of(s, ids)


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
