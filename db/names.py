"""Who is who: people's names by id, and a team's current members, read inside the caller's
session (one query each). Shared by every service that names people on a record."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from db.models import Membership, Person


def of(s: Session, ids: Iterable[int]) -> dict[int, str]:
    """Each person's display name by id (ids nobody has are left out)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = s.exec(select(Person.id, Person.display_name).where(col(Person.id).in_(wanted))).all()
    return {int(pid): name for pid, name in rows}


def team_members(s: Session, team_id: int, roles: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """A team's current, active members (only those in `roles`, when given), by name."""
    query = (
        select(Person.id, Person.display_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.team_id == team_id,
            col(Membership.left_on).is_(None),
            col(Person.is_active).is_(True),
        )
        .order_by(Person.display_name)
    )
    if roles is not None:
        query = query.where(col(Membership.role).in_(tuple(roles)))
    return [(int(pid), name) for pid, name in s.exec(query).all()]


def is_member(s: Session, team_id: int, person_id: int) -> bool:
    """Whether the person is in the team now (a membership not ended)."""
    found = s.exec(
        select(Membership.id).where(
            Membership.team_id == team_id,
            Membership.person_id == person_id,
            col(Membership.left_on).is_(None),
        )
    ).first()
    return found is not None
