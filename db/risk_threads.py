"""Reading the risk-holding log's threads: the latest revision of each, who holds it, and
when it is next reviewed. Entries are append-only, so "the risk" is its newest revision
and "closed" is either a closing revision or a review that decided to close."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_
from sqlmodel import Session, col, func, select

from db.models import Case, Person, RiskEntry, RiskHolder, RiskReview


@dataclass(frozen=True)
class HeldRisk:
    thread_id: str
    team_id: int
    case_reference: str | None
    worry: str
    whose_risk: str
    holders: tuple[str, ...]
    next_review_on: date

    def overdue(self, today: date) -> bool:
        return self.next_review_on < today


def open_risks(s: Session, *, team_ids: Iterable[int], holder_id: int | None = None) -> list[HeldRisk]:
    """Open threads in these teams (optionally only those this person holds), soonest review first."""
    team_ids = tuple(team_ids)
    if not team_ids:
        return []
    latest = (
        select(RiskEntry.thread_id, func.max(RiskEntry.revision).label("rev"))
        .where(col(RiskEntry.team_id).in_(team_ids))
        .group_by(RiskEntry.thread_id)
        .subquery()
    )
    query = (
        select(RiskEntry, Case.reference)
        .join(latest, and_(RiskEntry.thread_id == latest.c.thread_id, RiskEntry.revision == latest.c.rev))
        .outerjoin(Case, Case.id == RiskEntry.case_id)
        .where(RiskEntry.status == "open")
    )
    if holder_id is not None:
        query = query.where(
            col(RiskEntry.id).in_(select(RiskHolder.risk_entry_id).where(RiskHolder.person_id == holder_id))
        )
    rows = s.exec(query).all()
    if not rows:
        return []
    entry_ids = [e.id for e, _ in rows]
    threads = [e.thread_id for e, _ in rows]
    holders: dict[int, list[str]] = {}
    for entry_id, name in s.exec(
        select(RiskHolder.risk_entry_id, Person.display_name)
        .join(Person, Person.id == RiskHolder.person_id)
        .where(col(RiskHolder.risk_entry_id).in_(entry_ids))
        .order_by(Person.display_name)
    ).all():
        holders.setdefault(entry_id, []).append(name)
    last_review: dict[str, RiskReview] = {}
    for review in s.exec(
        select(RiskReview).where(col(RiskReview.thread_id).in_(threads)).order_by(RiskReview.reviewed_at)
    ).all():
        last_review[review.thread_id] = review
    result = []
    for entry, reference in rows:
        review = last_review.get(entry.thread_id)
        if review is not None and review.next_step == "close":
            continue
        next_on = review.next_review_on if review and review.next_review_on else entry.review_on
        result.append(
            HeldRisk(
                entry.thread_id,
                entry.team_id,
                reference,
                entry.worry,
                entry.whose_risk,
                tuple(holders.get(entry.id, [])),
                next_on,
            )  # type: ignore[arg-type]
        )
    return sorted(result, key=lambda r: r.next_review_on)
