"""Reading the case board: one page of a team's cases, paged and filtered in SQL, with the
details fetched only for the cards on the page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from db import clock, restriction
from db.access import Actor, supervised_team_ids
from db.case_board.common import (
    GROUPINGS,
    OPEN_STATUSES,
    PAGE_SIZE,
    BoardPage,
    BoardSettings,
    Card,
    _as_date,
    _settings,
    _team,
    can_edit_team,
    colleagues,
)
from db.engine import session_scope
from db.models import (
    CASE_STATUSES,
    AgendaItem,
    Case,
    CaseMapping,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SupervisionSession,
)


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
        total, page, pages, rows = _page_of_cases(
            s,
            team_id,
            statuses,
            lead_id,
            quiet if quiet_only else None,
            search,
            group_by,
            discussed,
            page=page,
            page_size=page_size,
        )
        ids = [r[0] for r in rows]
        check_ins = _latest_check_ins(s, ids)
        risks = _open_risks_by_case(s, team_id, ids)
        status_counts = _status_counts(s, team_id)
        quiet_count = _quiet_count(s, team_id, discussed, quiet)
        people = colleagues(s, team_id)

    cards = [_card(row, settings, check_ins, risks, cutoff=cutoff, today=today) for row in rows]
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
        grouped=_grouped(cards, group_by),
    )


def _grouped(cards: list[Card], group_by: str) -> tuple[tuple[str, tuple[Card, ...]], ...]:
    """The page's cards under their status's name or their lead's, in the board's order."""
    grouped: dict[str, list[Card]] = {}
    for c in cards:
        grouped.setdefault(c.status_label if group_by == "status" else c.lead_name, []).append(c)
    return tuple((k, tuple(v)) for k, v in grouped.items())


def _page_of_cases(
    s: Session,
    team_id: int,
    statuses: tuple[str, ...],
    lead_id: int | None,
    quiet,
    search: str,
    group_by: str,
    discussed,
    *,
    page: int,
    page_size: int,
) -> tuple[int, int, int, list]:
    """How many cases match, the page (kept in range), how many pages, and the page's rows."""
    lead = aliased(Person)
    best = aliased(Person)
    where = _board_where(team_id, statuses, lead_id, quiet, search, lead=lead, best=best)
    joined = _joiner(lead, best, discussed)
    total = int(s.exec(joined(select(func.count(col(Case.id))).select_from(Case)).where(*where)).one())
    pages = max(1, -(-total // page_size))
    page = max(1, min(page, pages))
    rows = _card_rows(
        s, joined, where, _board_order(group_by, lead), lead, best, discussed, page=page, page_size=page_size
    )
    return total, page, pages, rows


def _board_where(
    team_id: int,
    statuses: tuple[str, ...],
    lead_id: int | None,
    quiet,  # the "not talked about lately" condition when only those are wanted, else None
    search: str,
    *,
    lead,
    best,
) -> list:
    """The board's filters: the team's cases in use, by status, lead, quiet and search words."""
    where = [
        Case.team_id == team_id,
        col(Case.status).in_(statuses or ("",)),
        restriction.case_in_use(Case.id),
    ]
    if lead_id is not None:
        where.append(Case.lead_practitioner_id == lead_id)
    if quiet is not None:
        where.append(quiet)
    if search:
        where.append(
            or_(
                col(Case.reference).icontains(search, autoescape=True),
                col(lead.display_name).icontains(search, autoescape=True),
                col(best.display_name).icontains(search, autoescape=True),
            )
        )
    return where


def _joiner(lead, best, discussed):
    """A query joined to the case's lead, best relationship and when it was last talked about."""

    def joined(query):
        return (
            query.join(lead, lead.id == Case.lead_practitioner_id)
            .outerjoin(best, best.id == Case.best_relationship_person_id)
            .outerjoin(discussed, discussed.c.case_id == Case.id)
        )

    return joined


def _board_order(group_by: str, lead) -> tuple:
    """By where things are (in the statuses' own order), or by who leads."""
    status_order = case(
        {status: i for i, status in enumerate(CASE_STATUSES)}, value=Case.status, else_=literal(99)
    )
    return (
        (status_order, Case.reference, Case.id)
        if group_by == "status"
        else (lead.display_name, lead.id, Case.reference, Case.id)
    )


def _card_rows(
    s: Session, joined, where: list, order: tuple, lead, best, discussed, *, page: int, page_size: int
) -> list:
    """The page's cases with what their cards show, in the board's order."""
    return s.exec(  # type: ignore[return-value]  # Result.all() builds a list; SQLAlchemy types it as Sequence
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
        .outerjoin(CaseMapping, col(CaseMapping.case_id) == col(Case.id))
        .where(*where)
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()


def _status_counts(s: Session, team_id: int) -> dict[str, int]:
    """Every case in the team (in use), by status."""
    status_counts = {status: 0 for status in CASE_STATUSES}
    for status, n in s.exec(
        select(Case.status, func.count(col(Case.id)))
        .where(Case.team_id == team_id, restriction.case_in_use(Case.id))
        .group_by(Case.status)
    ).all():
        status_counts[status] = int(n)
    return status_counts


def _quiet_count(s: Session, team_id: int, discussed, quiet) -> int:
    """Open cases not talked about lately."""
    return int(
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


def _card(
    row: tuple,
    settings: BoardSettings,
    check_ins: dict[int, list[tuple[date, float]]],
    risks: dict[int, int],
    *,
    cutoff: date,
    today: date,
) -> Card:
    cid, reference, status, lead_pid, lead_name, best_name, review_on, opened_on, at, scale = row
    last = _as_date(at)
    latest = check_ins.get(cid, [])
    score = latest[0][1] if latest else None
    change = round(latest[0][1] - latest[1][1], 1) if len(latest) > 1 else None
    waited_since = last or opened_on
    return Card(
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
            and_(
                col(RiskReview.thread_id) == last_review.c.thread_id,
                col(RiskReview.reviewed_at) == last_review.c.at,
            ),
        )
        .where(RiskReview.next_step == "close")
    )
    rows = s.exec(
        select(RiskEntry.case_id, func.count(col(RiskEntry.id)))
        .join(
            latest,
            and_(col(RiskEntry.thread_id) == latest.c.thread_id, col(RiskEntry.revision) == latest.c.rev),
        )
        .where(
            RiskEntry.status == "open",
            col(RiskEntry.case_id).in_(case_ids),
            col(RiskEntry.thread_id).not_in(closed_by_review),
            restriction.not_restricted("risk_thread", RiskEntry.thread_id),
        )
        .group_by(col(RiskEntry.case_id))
    ).all()
    return {cid: int(n) for cid, n in rows if cid is not None}
