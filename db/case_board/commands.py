"""Changing the case board: creating a case, changing its details or its reference against
its version, and the team's own status names and "not talked about" weeks."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit, clock, restriction, versioning
from db.access import Actor, case_team_ids, supervised_team_ids
from db.case_board.common import (
    DEFAULT_STATUS_LABELS,
    BoardSettings,
    _at,
    _settings,
    _team,
    colleagues,
    last_changed_by,
    require_editor,
)
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import CASE_STATUSES, Case, Person, Team
from db.pseudonymise import reference_problem
from db.settings import get_settings
from db.validation import Checks

# --- Changing cases ------------------------------------------------------------------------
CASE_LABELS = {
    "reference": "Reference",
    "status": "Where things are",
    "lead_id": "Lead practitioner",
    "best_id": "Best relationship",
    "next_review_on": "Next review",
    "team_id": "Team",
}


def _check_details(
    s: Session,
    c: Checks,
    team_id: int,
    *,
    status: str,
    lead_id: int | None,
    best_id: int | None,
    next_review_on: date | None,
    today: date,
) -> None:
    c.choice("status", status, CASE_LABELS["status"], CASE_STATUSES)
    people = {p.person_id for p in colleagues(s, team_id)}
    if lead_id not in people:
        c.add("lead_id", "Please choose someone in the team to lead this case.")
    if best_id is not None and best_id not in people:
        c.add("best_id", "Please choose someone in the team, or leave it as not known yet.")
    c.day("next_review_on", next_review_on, CASE_LABELS["next_review_on"], required=False, today=today)


REFERENCE_SHAPE = (
    "A case reference is a code, never a name: letters and digits with at least one digit, "
    "joined by - or / if you like (for example JT-07 or EH/00421)."
)


def _check_reference(c: Checks, reference: str) -> str:
    """The reference, trimmed, after checking it looks like a code and names nobody."""
    reference = c.text("reference", reference, "A reference", max_len=40, single_line=True)
    if not reference or "reference" in c.problems:
        return reference
    if not re.fullmatch(get_settings().case_reference_pattern, reference):
        c.add("reference", REFERENCE_SHAPE)
    elif problem := reference_problem(reference):
        c.add("reference", problem)
    return reference


def create_case(
    actor: Actor,
    team_id: int,
    *,
    reference: str,
    lead_id: int | None,
    status: str = "new",
    next_review_on: date | None = None,
    best_id: int | None = None,
) -> int:
    """Add a case to the team's board; the reference must be pseudonymised."""
    require_editor(actor, team_id)
    today = clock.today()
    c = Checks()
    reference = _check_reference(c, reference)
    try:
        with session_scope(write=True) as s:
            _check_details(
                s,
                c,
                team_id,
                status=status,
                lead_id=lead_id,
                best_id=best_id,
                next_review_on=next_review_on,
                today=today,
            )
            if (
                reference
                and s.exec(
                    select(Case.id).where(Case.team_id == team_id, Case.reference == reference)
                ).first()
            ):
                c.add("reference", "Your team already has a case with this reference; please choose another.")
            c.raise_if_any()
            new = Case(
                team_id=team_id,
                reference=reference,
                status=status,
                lead_practitioner_id=lead_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                best_relationship_person_id=best_id,
                next_review_on=next_review_on,
                closed_on=today if status == "closed" else None,
            )
            s.add(new)
            s.flush()
            audit.by(s, actor, "create", "case", new.id, team_id)
            return int(new.id)
    except IntegrityError as exc:  # a colleague added the same reference at the same moment
        raise NotValid(
            {"reference": "Your team already has a case with this reference; please choose another."}
        ) from exc


def update_case(
    actor: Actor,
    case_id: int,
    *,
    status: str,
    lead_id: int | None,
    best_id: int | None,
    next_review_on: date | None,
    version: int,
) -> int:
    """Change a case's details, refusing an edit made on a stale copy. Returns the new version."""
    today = clock.today()
    with session_scope(write=True) as s:
        current = s.get(Case, case_id)
        if current is None or current.team_id not in case_team_ids(actor):
            raise NotAllowed("That case isn't open to you.")
        restriction.require_case_in_use(s, case_id)
        require_editor(actor, current.team_id)
        c = Checks()
        _check_details(
            s,
            c,
            current.team_id,
            status=status,
            lead_id=lead_id,
            best_id=best_id,
            next_review_on=next_review_on,
            today=today,
        )
        c.raise_if_any()
        done = s.exec(
            update(Case)
            .where(col(Case.id) == case_id, col(Case.version) == version)
            .values(
                status=status,
                lead_practitioner_id=lead_id,
                best_relationship_person_id=best_id,
                next_review_on=next_review_on,
                closed_on=_closed_on(current, status, today),
                updated_at=utcnow(),
                version=Case.version + 1,
            )
        )
        if done.rowcount != 1:
            s.refresh(current)
            raise _case_conflict(s, current, case_id)
        audit.by(s, actor, "change", "case", case_id, current.team_id)
        return version + 1


def _closed_on(current: Case, status: str, today: date) -> date | None:
    """Closing sets the day; staying closed keeps it; reopening clears it."""
    if status == "closed" and current.status != "closed":
        return today
    if status != "closed":
        return None
    return current.closed_on


def _case_conflict(s: Session, current: Case, case_id: int) -> EditConflict:
    """Who changed the case while it was open here, and what they saved."""
    who, when = last_changed_by(s, "case", case_id)
    names = dict(
        s.exec(
            select(Person.id, Person.display_name).where(
                col(Person.id).in_((current.lead_practitioner_id, current.best_relationship_person_id or 0))
            )
        ).all()
    )
    return EditConflict(
        f"{who} changed this case's details{_at(when)} while you had them open. "
        "Here is what they saved; your changes are still in the form, so you can "
        "compare and save again.",
        {
            "Where things are": current.status.replace("_", " "),
            "Lead practitioner": names.get(current.lead_practitioner_id, ""),
            "Best relationship": names.get(current.best_relationship_person_id, "not known yet"),  # type: ignore[arg-type]  # dict.get with a None key gives the default, which is what is shown then
            "Next review": f"{current.next_review_on:%d %B %Y}" if current.next_review_on else "",
        },
    )


def rename_case(actor: Actor, case_id: int, *, reference: str, version: int) -> int:
    """Give a case a new reference (the team's supervisor), refusing an edit on a stale copy.
    The audit trail keeps the old and the new reference. Returns the new version."""
    with session_scope(write=True) as s:
        current = s.get(Case, case_id) if isinstance(case_id, int) else None
        if current is None or current.team_id not in case_team_ids(actor):
            raise NotAllowed("That case isn't open to you.")
        restriction.require_case_in_use(s, case_id)
        if current.team_id not in supervised_team_ids(actor):
            raise NotAllowed(
                "The team's supervisor renames a case; ask them if this one needs a new reference."
            )
        c = Checks()
        reference = _check_reference(c, reference)
        old = current.reference
        if reference and reference != old and "reference" not in c.problems:
            taken = s.exec(
                select(Case.id).where(Case.team_id == current.team_id, Case.reference == reference)
            ).first()
            if taken is not None:
                c.add("reference", "Your team already has a case with this reference; please choose another.")
        c.raise_if_any()
        if reference == old:
            return current.version
        done = s.exec(
            update(Case)
            .where(col(Case.id) == case_id, col(Case.version) == version)
            .values(reference=reference, updated_at=utcnow(), version=Case.version + 1)
        )
        if done.rowcount != 1:
            s.refresh(current)
            who, when = last_changed_by(s, "case", case_id)
            raise EditConflict(
                f"{who} changed this case{_at(when)} while you had it open. Its reference is now "
                f"{current.reference}; what you typed is still in the form.",
                {"Reference": current.reference},
            )
        done_by: audit.Who = {
            "actor_id": actor.person_id,
            "actor_label": actor.username,
            "team_id": current.team_id,
        }
        audit.record(s, "rename", record_type="case", record_id=case_id, **done_by)
        audit.record(s, "rename", record_type="case_reference_old", record_id=old, **done_by)
        audit.record(s, "rename", record_type="case_reference_new", record_id=reference, **done_by)
        return version + 1


# --- The team's own settings ---------------------------------------------------------------
def board_settings(actor: Actor, team_id: int) -> BoardSettings:
    with session_scope() as s:
        return _settings(_team(s, actor, team_id))


def save_board_settings(
    actor: Actor, team_id: int, *, labels: dict[str, str], not_discussed_weeks: int | str, version: int
) -> None:
    """The team's supervisor renames statuses and chooses the weeks before a gentle nudge."""
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Your team's supervisor looks after these settings.")
    c = Checks()
    own: dict[str, str] = {}
    for status in CASE_STATUSES:
        text = c.text(
            f"label_{status}",
            labels.get(status, ""),
            f"The name for {DEFAULT_STATUS_LABELS[status].lower()}",
            required=False,
            max_len=30,
            single_line=True,
        )
        if text and text != DEFAULT_STATUS_LABELS[status]:
            own[status] = text
    # What was typed, read as a whole number: 10.5 is refused with the range, never rounded.
    weeks = c.whole_number(
        "not_discussed_weeks", not_discussed_weeks, "Weeks before a gentle nudge", low=1, high=26
    )
    c.raise_if_any()
    with session_scope(write=True) as s:
        team = _team(s, actor, team_id)
        s.refresh(team, with_for_update=True)  # PostgreSQL: one version check at a time
        versioning.check(
            team, version, lambda: _settings_conflict(s, team, team_id), lambda: _settings_shown(team)
        )
        team.status_labels = json.dumps(own, sort_keys=True)
        team.not_discussed_weeks = weeks  # type: ignore[assignment]  # checked above
        versioning.saved(s, actor, team, "change", "team", team_id, team_id=team_id)


def _settings_conflict(s: Session, team: Team, team_id: int) -> str:
    who, when = last_changed_by(s, "team", team_id)
    return (
        f"{who} changed the board's settings{_at(when)} while you had them open. "
        "Here is what is saved now; what you typed is still in the form."
    )


def _settings_shown(team: Team) -> dict[str, object]:
    theirs = _settings(team)
    return {
        **{DEFAULT_STATUS_LABELS[k]: v for k, v in theirs.labels.items()},
        "Weeks before a gentle nudge": theirs.not_discussed_weeks,
    }
