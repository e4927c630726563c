"""The shared case board: a team's cases as cards, and the few settings the team owns.

Read side: `board()` pages the team's cases in SQL (filters, search, grouping order and the
"not talked about lately" signal are all in the query) and then fetches the details only
for the cards on the page: the latest two relationship check-ins (for the trend), open
risk threads, the scale from the current mapping. Nothing loads a whole table.

Write side: creating a case, changing its details (status, lead, best relationship, next
review) against its version, and the team's own status names and "not talked about" weeks.

Scope: practitioners and supervisors see and change their own teams' cases; managers see
the teams they oversee and change nothing; trainers and admins see no case at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from db import audit, clock, restriction
from db.access import Actor, case_team_ids, require_team, supervised_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    CASE_STATUSES,
    AgendaItem,
    AuditEvent,
    Case,
    CaseMapping,
    Membership,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.pseudonymise import reference_problem
from db.settings import get_settings
from db.validation import Checks

DEFAULT_STATUS_LABELS: dict[str, str] = {
    "new": "New",
    "active": "Active",
    "stuck": "Stuck",
    "stepping_down": "Stepping down",
    "closed": "Closed",
}
OPEN_STATUSES = tuple(s for s in CASE_STATUSES if s != "closed")
EDITOR_ROLES = ("practitioner", "supervisor")
PAGE_SIZE = 24
GROUPINGS = ("status", "practitioner")


# --- Read models ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamChoice:
    team_id: int
    name: str
    can_edit: bool  # add and change cases
    can_set_up: bool  # rename statuses, choose the weeks (the team's supervisor)


@dataclass(frozen=True)
class BoardSettings:
    team_id: int
    team_name: str
    labels: dict[str, str]
    not_discussed_weeks: int
    version: int

    def label(self, status: str) -> str:
        return self.labels.get(status, status.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Colleague:
    person_id: int
    name: str


@dataclass(frozen=True)
class Card:
    case_id: int
    reference: str
    status: str
    status_label: str
    lead_id: int
    lead_name: str
    best_name: str | None
    check_in_on: date | None
    check_in_score: float | None  # the mean of the four relationship items, 0 to 10
    check_in_change: float | None  # against the check-in before it
    scale: int | None
    risks_held: int
    last_discussed: date | None
    next_review_on: date | None
    quiet: bool  # not talked about in supervision for the team's number of weeks
    weeks_quiet: int | None  # whole weeks since last talked about (None: never)

    @property
    def trend(self) -> str | None:
        if self.check_in_change is None:
            return None
        if self.check_in_change >= 0.5:
            return "up"
        if self.check_in_change <= -0.5:
            return "down"
        return "steady"

    def review_due(self, today: date) -> bool:
        return self.next_review_on is not None and self.next_review_on <= today


@dataclass(frozen=True)
class BoardPage:
    settings: BoardSettings
    cards: tuple[Card, ...]
    total: int  # cards matching the filters, across all pages
    page: int
    pages: int
    page_size: int
    status_counts: dict[str, int]  # every case in the team, by status
    quiet_count: int  # open cases not talked about lately
    colleagues: tuple[Colleague, ...]
    today: date
    can_edit: bool
    can_set_up: bool
    group_by: str = "status"
    filters_on: bool = False
    grouped: tuple[tuple[str, tuple[Card, ...]], ...] = field(default=())


# --- Scope helpers -------------------------------------------------------------------------
def can_edit_team(actor: Actor, team_id: int) -> bool:
    return actor.role in EDITOR_ROLES and team_id in case_team_ids(actor)


def require_editor(actor: Actor, team_id: int) -> None:
    require_team(actor, team_id)
    if actor.role not in EDITOR_ROLES:
        raise NotAllowed("You can look at this team's cases; changes are made by the team itself.")


def _labels(team: Team) -> dict[str, str]:
    labels = dict(DEFAULT_STATUS_LABELS)
    try:
        own = json.loads(team.status_labels or "{}")
    except ValueError:
        own = {}
    if isinstance(own, dict):
        labels.update({k: str(v) for k, v in own.items() if k in labels and str(v).strip()})
    return labels


def _settings(team: Team) -> BoardSettings:
    return BoardSettings(
        team.id,
        team.name,
        _labels(team),
        team.not_discussed_weeks,
        team.version,
    )


def _team(s: Session, actor: Actor, team_id: int) -> Team:
    require_team(actor, team_id)
    team = s.get(Team, team_id)
    if team is None:
        raise NotAllowed("That team's records aren't open to you.")
    return team


def teams(actor: Actor) -> list[TeamChoice]:
    """The teams whose board this person may open, by name."""
    ids = case_team_ids(actor)
    if not ids:
        return []
    supervised = set(supervised_team_ids(actor))
    with session_scope() as s:
        rows = s.exec(select(Team.id, Team.name).where(col(Team.id).in_(ids)).order_by(Team.name)).all()
    return [TeamChoice(tid, name, can_edit_team(actor, tid), tid in supervised) for tid, name in rows]


def colleagues(s: Session, team_id: int) -> tuple[Colleague, ...]:
    """Current practitioners and supervisors of a team: who can lead a case or hold a relationship."""
    rows = s.exec(
        select(Person.id, Person.display_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.team_id == team_id,
            col(Membership.left_on).is_(None),
            col(Membership.role).in_(EDITOR_ROLES),
            Person.is_active,
        )
        .order_by(Person.display_name)
    ).all()
    return tuple(Colleague(pid, name) for pid, name in rows)


def team_colleagues(actor: Actor, team_id: int) -> tuple[Colleague, ...]:
    with session_scope() as s:
        _team(s, actor, team_id)
        return colleagues(s, team_id)


# --- The board -----------------------------------------------------------------------------
def _discussed_subquery(team_id: int):
    """When each of the team's cases was last talked about in a held (closed) session."""
    return (
        select(
            col(AgendaItem.case_id).label("case_id"),
            func.max(SupervisionSession.scheduled_for).label("at"),
        )
        .join(SupervisionSession, col(SupervisionSession.id) == col(AgendaItem.session_id))
        .where(
            SupervisionSession.team_id == team_id,
            SupervisionSession.status == "closed",
            col(AgendaItem.case_id).is_not(None),
        )
        .group_by(col(AgendaItem.case_id))
        .subquery()
    )


def _quiet_condition(discussed, cutoff: date):
    """Not talked about since the cutoff; a case opened after it has not been waiting yet."""
    cutoff_at = datetime.combine(cutoff, time.min, tzinfo=UTC)
    return or_(
        and_(discussed.c.at.is_(None), col(Case.opened_on) < cutoff),
        discussed.c.at < cutoff_at,
    )


def board(
    actor: Actor,
    team_id: int,
    *,
    statuses: tuple[str, ...] | None = None,
    lead_id: int | None = None,
    search: str = "",
    quiet_only: bool = False,
    group_by: str = "status",
    page: int = 1,
    page_size: int = PAGE_SIZE,
    today: date | None = None,
) -> BoardPage:
    """One page of the team's board. `statuses=None` means every open status."""
    today = today or clock.today()
    statuses = OPEN_STATUSES if statuses is None else tuple(x for x in statuses if x in CASE_STATUSES)
    group_by = group_by if group_by in GROUPINGS else "status"
    page_size = max(1, min(page_size, 200))
    search = (search or "").strip()[:80]
    with session_scope() as s:
        team = _team(s, actor, team_id)
        settings = _settings(team)
        cutoff = today - timedelta(weeks=team.not_discussed_weeks)
        discussed = _discussed_subquery(team_id)
        quiet = _quiet_condition(discussed, cutoff)
        lead = aliased(Person)
        best = aliased(Person)

        where = [
            Case.team_id == team_id,
            col(Case.status).in_(statuses or ("",)),
            restriction.case_in_use(Case.id),
        ]
        if lead_id is not None:
            where.append(Case.lead_practitioner_id == lead_id)
        if quiet_only:
            where.append(quiet)
        if search:
            where.append(
                or_(
                    col(Case.reference).icontains(search, autoescape=True),
                    col(lead.display_name).icontains(search, autoescape=True),
                    col(best.display_name).icontains(search, autoescape=True),
                )
            )

        def joined(query):
            return (
                query.join(lead, lead.id == Case.lead_practitioner_id)
                .outerjoin(best, best.id == Case.best_relationship_person_id)
                .outerjoin(discussed, discussed.c.case_id == Case.id)
            )

        total = int(s.exec(joined(select(func.count(col(Case.id))).select_from(Case)).where(*where)).one())
        pages = max(1, -(-total // page_size))
        page = max(1, min(page, pages))
        status_order = case(
            {status: i for i, status in enumerate(CASE_STATUSES)}, value=Case.status, else_=literal(99)
        )
        order = (
            (status_order, Case.reference, Case.id)
            if group_by == "status"
            else (lead.display_name, lead.id, Case.reference, Case.id)
        )
        rows = s.exec(
            joined(
                select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                    col(Case.id),
                    col(Case.reference),
                    col(Case.status),
                    col(Case.lead_practitioner_id),
                    lead.display_name,
                    best.display_name,
                    col(Case.next_review_on),
                    col(Case.opened_on),
                    discussed.c.at,
                    col(CaseMapping.scale),
                ).select_from(Case)
            )
            .outerjoin(CaseMapping, CaseMapping.case_id == Case.id)
            .where(*where)
            .order_by(*order)
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        ids = [r[0] for r in rows]
        check_ins = _latest_check_ins(s, ids)
        risks = _open_risks_by_case(s, team_id, ids)

        status_counts = {status: 0 for status in CASE_STATUSES}
        for status, n in s.exec(
            select(Case.status, func.count(col(Case.id)))
            .where(Case.team_id == team_id, restriction.case_in_use(Case.id))
            .group_by(Case.status)
        ).all():
            status_counts[status] = int(n)
        quiet_count = int(
            s.exec(
                select(func.count(col(Case.id)))
                .select_from(Case)
                .outerjoin(discussed, discussed.c.case_id == Case.id)
                .where(
                    Case.team_id == team_id,
                    col(Case.status).in_(OPEN_STATUSES),
                    quiet,
                    restriction.case_in_use(Case.id),
                )
            ).one()
        )
        people = colleagues(s, team_id)

    cards = []
    for cid, reference, status, lead_pid, lead_name, best_name, review_on, opened_on, at, scale in rows:
        last = _as_date(at)
        latest = check_ins.get(cid, [])
        score = latest[0][1] if latest else None
        change = round(latest[0][1] - latest[1][1], 1) if len(latest) > 1 else None
        waited_since = last or opened_on
        cards.append(
            Card(
                case_id=cid,
                reference=reference,
                status=status,
                status_label=settings.label(status),
                lead_id=lead_pid,
                lead_name=lead_name,
                best_name=best_name,
                check_in_on=latest[0][0] if latest else None,
                check_in_score=score,
                check_in_change=change,
                scale=scale,
                risks_held=risks.get(cid, 0),
                last_discussed=last,
                next_review_on=review_on,
                quiet=status != "closed" and waited_since < cutoff,
                weeks_quiet=(today - last).days // 7 if last else None,
            )
        )
    grouped: dict[str, list[Card]] = {}
    for c in cards:
        grouped.setdefault(c.status_label if group_by == "status" else c.lead_name, []).append(c)
    return BoardPage(
        settings=settings,
        cards=tuple(cards),
        total=total,
        page=page,
        pages=pages,
        page_size=page_size,
        status_counts=status_counts,
        quiet_count=quiet_count,
        colleagues=people,
        today=today,
        can_edit=can_edit_team(actor, team_id),
        can_set_up=team_id in supervised_team_ids(actor),
        group_by=group_by,
        filters_on=bool(search or quiet_only or lead_id is not None or set(statuses) != set(OPEN_STATUSES)),
        grouped=tuple((k, tuple(v)) for k, v in grouped.items()),
    )


def _as_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite hands back text for an aggregate over a datetime
        return datetime.fromisoformat(value).date()
    return value


def _latest_check_ins(s: Session, case_ids: list[int]) -> dict[int, list[tuple[date, float]]]:
    """The newest two relationship check-ins per case (date, mean of the four items)."""
    if not case_ids:
        return {}
    rn = (
        func.row_number()
        .over(
            partition_by=col(RelationshipCheckIn.case_id),
            order_by=(col(RelationshipCheckIn.created_at).desc(), col(RelationshipCheckIn.id).desc()),
        )
        .label("rn")
    )
    ranked = (
        select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
            col(RelationshipCheckIn.case_id),
            col(RelationshipCheckIn.created_at),
            col(RelationshipCheckIn.trust),
            col(RelationshipCheckIn.feel_heard),
            col(RelationshipCheckIn.what_matters),
            col(RelationshipCheckIn.hope),
            rn,
        )
        .where(col(RelationshipCheckIn.case_id).in_(case_ids))
        .subquery()
    )
    found: dict[int, list[tuple[date, float]]] = {}
    r = ranked.c
    for cid, at, trust, heard, matters, hope in s.exec(
        select(r.case_id, r.created_at, r.trust, r.feel_heard, r.what_matters, r.hope)  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
        .where(r.rn <= 2)
        .order_by(r.case_id, r.rn)
    ).all():
        found.setdefault(cid, []).append((_as_date(at), round((trust + heard + matters + hope) / 4, 1)))  # type: ignore[arg-type]  # created_at is NOT NULL, so _as_date gives a date here
    return found


def _open_risks_by_case(s: Session, team_id: int, case_ids: list[int]) -> dict[int, int]:
    """Open risk threads per case, the way the risk log reads them: the newest revision is
    the risk, and a review that decided to close it closes it."""
    if not case_ids:
        return {}
    threads = select(RiskEntry.thread_id).where(
        RiskEntry.team_id == team_id, col(RiskEntry.case_id).in_(case_ids)
    )
    latest = (
        select(RiskEntry.thread_id, func.max(RiskEntry.revision).label("rev"))
        .where(col(RiskEntry.thread_id).in_(threads))
        .group_by(RiskEntry.thread_id)
        .subquery()
    )
    last_review = (
        select(RiskReview.thread_id, func.max(RiskReview.reviewed_at).label("at"))
        .where(col(RiskReview.thread_id).in_(threads))
        .group_by(RiskReview.thread_id)
        .subquery()
    )
    closed_by_review = (
        select(RiskReview.thread_id)
        .join(
            last_review,
            and_(col(RiskReview.thread_id) == last_review.c.thread_id, col(RiskReview.reviewed_at) == last_review.c.at),
        )
        .where(RiskReview.next_step == "close")
    )
    rows = s.exec(
        select(RiskEntry.case_id, func.count(col(RiskEntry.id)))
        .join(latest, and_(col(RiskEntry.thread_id) == latest.c.thread_id, col(RiskEntry.revision) == latest.c.rev))
        .where(
            RiskEntry.status == "open",
            col(RiskEntry.case_id).in_(case_ids),
            col(RiskEntry.thread_id).not_in(closed_by_review),
            restriction.not_restricted("risk_thread", RiskEntry.thread_id),
        )
        .group_by(col(RiskEntry.case_id))
    ).all()
    return {cid: int(n) for cid, n in rows if cid is not None}


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
            audit.record(
                s,
                "create",
                actor_id=actor.person_id,
                actor_label=actor.username,
                record_type="case",
                record_id=new.id,
                team_id=team_id,
            )
            return int(new.id)
    except IntegrityError as exc:  # a colleague added the same reference at the same moment
        raise NotValid(
            {"reference": "Your team already has a case with this reference; please choose another."}
        ) from exc


def last_changed_by(s: Session, record_type: str, record_id: object) -> tuple[str, datetime | None]:
    """Who last changed a record, from the audit trail (for naming them in a conflict)."""
    row = s.exec(
        select(Person.display_name, AuditEvent.at)
        .join(Person, col(Person.id) == col(AuditEvent.actor_id))
        .where(
            AuditEvent.record_type == record_type,
            AuditEvent.record_id == str(record_id),
            col(AuditEvent.action).in_(("create", "change")),
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else ("A colleague", None)


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
        closed_on = current.closed_on
        if status == "closed" and current.status != "closed":
            closed_on = today
        elif status != "closed":
            closed_on = None
        done = s.exec(
            update(Case)
            .where(col(Case.id) == case_id, col(Case.version) == version)
            .values(
                status=status,
                lead_practitioner_id=lead_id,
                best_relationship_person_id=best_id,
                next_review_on=next_review_on,
                closed_on=closed_on,
                updated_at=utcnow(),
                version=Case.version + 1,
            )
        )
        if done.rowcount != 1:
            s.refresh(current)
            who, when = last_changed_by(s, "case", case_id)
            names = dict(
                s.exec(
                    select(Person.id, Person.display_name).where(
                        col(Person.id).in_(
                            (current.lead_practitioner_id, current.best_relationship_person_id or 0)
                        )
                    )
                ).all()
            )
            raise EditConflict(
                f"{who} changed this case's details{_at(when)} while you had them open. "
                "Here is what they saved; your changes are still in the form, so you can "
                "compare and save again.",
                {
                    "Where things are": current.status.replace("_", " "),
                    "Lead practitioner": names.get(current.lead_practitioner_id, ""),
                    "Best relationship": names.get(current.best_relationship_person_id, "not known yet"),  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                    "Next review": f"{current.next_review_on:%d %B %Y}" if current.next_review_on else "",
                },
            )
        audit.record(
            s,
            "change",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="case",
            record_id=case_id,
            team_id=current.team_id,
        )
        return version + 1


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
        by: audit.Who = {"actor_id": actor.person_id, "actor_label": actor.username, "team_id": current.team_id}
        audit.record(s, "rename", record_type="case", record_id=case_id, **by)
        audit.record(s, "rename", record_type="case_reference_old", record_id=old, **by)
        audit.record(s, "rename", record_type="case_reference_new", record_id=reference, **by)
        return version + 1


def _at(when: datetime | None) -> str:
    return f" at {when:%H:%M} on {when:%d %B}" if when else ""


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
        if team.version != version:
            who, when = last_changed_by(s, "team", team_id)
            theirs = _settings(team)
            raise EditConflict(
                f"{who} changed the board's settings{_at(when)} while you had them open. "
                "Here is what is saved now; what you typed is still in the form.",
                {
                    **{DEFAULT_STATUS_LABELS[k]: v for k, v in theirs.labels.items()},
                    "Weeks before a gentle nudge": theirs.not_discussed_weeks,
                },
            )
        team.status_labels = json.dumps(own, sort_keys=True)
        team.not_discussed_weeks = weeks  # type: ignore[assignment]  # checked above
        team.version += 1
        audit.record(
            s,
            "change",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="team",
            record_id=team_id,
            team_id=team_id,
        )
