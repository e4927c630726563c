"""Reading the risk-holding log's threads: the latest revision of each, who holds it, and
when it is next reviewed. Entries are append-only, so "the risk" is its newest revision
and "closed" is either a closing revision or a review that decided to close."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists
from sqlmodel import Session, col, func, select

from db.models import Case, Person, RiskEntry, RiskHolder, RiskReview
from db.restriction import worry_in_use


@dataclass(frozen=True)
class HeldRisk:
    thread_id: str
    team_id: int
    case_reference: str | None
    worry: str
    whose_risk: str
    holders: tuple[str, ...]
    next_review_on: date
    # Added for the risk log's views; Home reads only the fields above.
    holder_ids: tuple[int, ...] = ()
    revision: int = 1
    awaiting_manager: bool = False

    def overdue(self, today: date) -> bool:
        return self.next_review_on < today

    def due_soon(self, today: date, days: int = 7) -> bool:
        """Due within the coming week (and not already overdue)."""
        return today <= self.next_review_on <= today + timedelta(days=days)


def next_review(entry: RiskEntry, last_review: RiskReview | None) -> date:
    """When a thread is next looked at: set by whichever came last, the newest revision or the
    newest review (a review that changes the plan writes both at the same moment)."""
    if last_review is not None and last_review.next_review_on and last_review.reviewed_at >= entry.created_at:
        return last_review.next_review_on
    return entry.review_on


def is_closed(entry: RiskEntry, last_review: RiskReview | None) -> bool:
    return entry.status == "closed" or (last_review is not None and last_review.next_step == "close")


def _holders(s: Session, entry_ids: list[int | None]) -> dict[int, list[tuple[int, str]]]:
    """Who holds each entry, (person id, name) by name."""
    holders: dict[int, list[tuple[int, str]]] = {}
    for entry_id, person_id, name in s.exec(
        select(RiskHolder.risk_entry_id, Person.id, Person.display_name)
        .join(Person, col(Person.id) == col(RiskHolder.person_id))
        .where(col(RiskHolder.risk_entry_id).in_(entry_ids))
        .order_by(Person.display_name)
    ).all():
        holders.setdefault(entry_id, []).append((person_id, name))
    return holders


def _last_reviews(s: Session, threads: list[str]) -> dict[str, RiskReview]:
    last_review: dict[str, RiskReview] = {}
    for review in s.exec(
        select(RiskReview).where(col(RiskReview.thread_id).in_(threads)).order_by(col(RiskReview.reviewed_at))
    ).all():
        last_review[review.thread_id] = review
    return last_review


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
        .join(
            latest,
            and_(col(RiskEntry.thread_id) == latest.c.thread_id, col(RiskEntry.revision) == latest.c.rev),
        )
        .outerjoin(Case, col(Case.id) == col(RiskEntry.case_id))
        .where(RiskEntry.status == "open", worry_in_use(RiskEntry.thread_id, RiskEntry.case_id))
    )
    if holder_id is not None:
        # EXISTS, not "id IN (...)": SQLite would otherwise probe every listed id per thread.
        query = query.where(
            exists().where(
                col(RiskHolder.risk_entry_id) == col(RiskEntry.id), col(RiskHolder.person_id) == holder_id
            )
        )
    rows = s.exec(query).all()
    if not rows:
        return []
    holders = _holders(s, [e.id for e, _ in rows])
    last_review = _last_reviews(s, [e.thread_id for e, _ in rows])
    result = []
    for entry, reference in rows:
        review = last_review.get(entry.thread_id)
        if is_closed(entry, review):
            continue
        held = holders.get(entry.id, [])
        result.append(
            HeldRisk(
                entry.thread_id,
                entry.team_id,
                reference,
                entry.worry,
                entry.whose_risk,
                tuple(name for _, name in held),
                next_review(entry, review),
                holder_ids=tuple(pid for pid, _ in held),
                revision=entry.revision,
                awaiting_manager=entry.needs_manager and entry.manager_agreed_by_id is None,
            )
        )
    return sorted(result, key=lambda r: r.next_review_on)
