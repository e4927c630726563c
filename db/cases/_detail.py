"""A case's details for its page, and the scope check every case read and write goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from db import audit, restriction
from db.access import CASE_ROLES, Actor, case_team_ids
from db.case_board import BoardSettings, Colleague, _settings, can_edit_team, colleagues
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import Case, Person, Team


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CaseDetail:
    case_id: int
    team_id: int
    team_name: str
    reference: str
    status: str
    settings: BoardSettings
    lead_id: int
    lead_name: str
    best_id: int | None
    best_name: str | None
    opened_on: date
    next_review_on: date | None
    version: int
    can_edit: bool
    colleagues: tuple[Colleague, ...]

    @property
    def status_label(self) -> str:
        return self.settings.label(self.status)


def case_in_reach(s: Session, actor: Actor, case_id: int, *, roles: tuple[str, ...] = CASE_ROLES) -> Case:
    """The case, if this person's teams reach it (and their role is one of `roles`), and it
    is in use. A case elsewhere reads as not there at all; the refusal is audited."""
    found = s.get(Case, case_id) if isinstance(case_id, int) else None
    try:
        if actor.role not in roles or found is None or found.team_id not in case_team_ids(actor):
            raise NotAllowed("That case isn't open to you, or it is no longer in Circle.")
        restriction.require_case_in_use(s, case_id)
    except NotAllowed:
        audit.record_refusal(actor, "case", case_id, team_id=found.team_id if found else None)
        raise
    return found


def case_detail(actor: Actor, case_id: int) -> CaseDetail:
    """The case's details for its page; opening it is noted in the audit trail."""
    with session_scope() as s:
        c = case_in_reach(s, actor, case_id)
        team = s.get(Team, c.team_id)
        assert team is not None
        names = dict(
            s.exec(
                select(Person.id, Person.display_name).where(
                    col(Person.id).in_((c.lead_practitioner_id, c.best_relationship_person_id or 0))
                )
            ).all()
        )
        detail = CaseDetail(
            case_id=c.id,
            team_id=c.team_id,
            team_name=team.name,
            reference=c.reference,
            status=c.status,
            settings=_settings(team),
            lead_id=c.lead_practitioner_id,
            lead_name=names.get(c.lead_practitioner_id, ""),
            best_id=c.best_relationship_person_id,
            best_name=names.get(c.best_relationship_person_id) if c.best_relationship_person_id else None,
            opened_on=c.opened_on,
            next_review_on=c.next_review_on,
            version=c.version,
            can_edit=can_edit_team(actor, c.team_id),
            colleagues=colleagues(s, c.team_id),
        )
    audit.record_view(actor, "case", case_id, team_id=detail.team_id)
    return detail
