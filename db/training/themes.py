"""Sending a theme from training into a new starter's first group supervisions."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from db import audit
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotValid
from db.models import AgendaItem, CohortMember, InductionTheme, Membership, SupervisionSession, Team
from db.training.read_models import ThemeSent
from db.training.scope import _own_cohort
from db.validation import Checks


def send_theme(
    actor: Actor, cohort_id: int, person_id: int, theme: str, *, now: datetime | None = None
) -> ThemeSent:
    """Put a theme from induction on the new starter's team's next planned group supervision.

    It arrives as a reflection brought by the new starter (source "training"), so the team
    talks about it with them; the trainer learns only which day it landed on.
    """
    now = now or utcnow()
    c = Checks()
    theme = c.text("theme", theme, "The theme", max_len=500)
    c.raise_if_any()
    with session_scope(write=True) as s:
        _own_cohort(s, actor, cohort_id)
        team_id, team_name = _new_starters_team(s, cohort_id, person_id)
        session = s.exec(
            select(SupervisionSession)
            .where(
                SupervisionSession.team_id == team_id,
                SupervisionSession.status == "planned",
                SupervisionSession.scheduled_for >= now - timedelta(hours=12),
            )
            .order_by(col(SupervisionSession.scheduled_for))
        ).first()
        if session is None:
            raise NotValid(
                {
                    "theme": f"{team_name} has no group supervision planned yet. Once their supervisor plans "
                    "the next one, send this again; your text is still here."
                }
            )
        _add_theme(s, actor, cohort_id, person_id, team_id, session, theme)
        return ThemeSent(team_name, session.scheduled_for)


def _new_starters_team(s: Session, cohort_id: int, person_id: int) -> tuple[int, str]:
    """The id and name of the team the cohort member came with, if they are still in it."""
    member = s.exec(
        select(CohortMember).where(CohortMember.cohort_id == cohort_id, CohortMember.person_id == person_id)
    ).first()
    if member is None:
        raise NotValid({"person": "They aren't in this cohort."})
    if member.team_id is None:
        raise NotValid(
            {
                "person": "They joined with the cohort's code and have no team yet, so there is no supervision to send it to."
            }
        )
    in_team = s.exec(
        select(Membership.id).where(
            Membership.team_id == member.team_id,
            Membership.person_id == person_id,
            col(Membership.left_on).is_(None),
        )
    ).first()
    team = s.get(Team, member.team_id)
    team_name = team.name if team else "their team"
    if in_team is None:
        raise NotValid({"person": f"They are no longer in {team_name}, so the theme has nowhere to go."})
    return member.team_id, team_name


def _add_theme(
    s: Session,
    actor: Actor,
    cohort_id: int,
    person_id: int,
    team_id: int,
    session: SupervisionSession,
    theme: str,
) -> None:
    """The theme as a reflection brought by the new starter, last on the session's agenda."""
    position = s.exec(
        select(func.coalesce(func.max(AgendaItem.position), 0)).where(AgendaItem.session_id == session.id)
    ).one()
    item = AgendaItem(
        session_id=session.id,
        case_id=None,
        brought_by_id=person_id,
        ask=f"From induction: {theme}",
        kind="reflection",
        source="training",
        time_box_minutes=10,
        position=int(position) + 1,
    )
    s.add(item)
    s.flush()
    s.add(
        InductionTheme(
            cohort_id=cohort_id,
            person_id=person_id,
            team_id=team_id,
            theme=theme,
            session_id=session.id,
            agenda_item_id=item.id,
            created_by_id=actor.person_id,
        )
    )
    audit.by(s, actor, "create", "agenda_item", item.id, team_id)
