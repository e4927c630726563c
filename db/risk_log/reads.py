"""Reading the risk log: one worry's whole thread, what the team holds now, what a person
holds, and the team's searchable log."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from sqlalchemy import and_, exists, or_
from sqlmodel import Session, col, func, select

from db import audit, restriction
from db.access import Actor, case_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import (
    Case,
    Person,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.risk_log.common import (
    _is_manager_of,
    _names,
    _require_team,
    _reviews,
    _session_label,
    _stamp,
    teams_for,
)
from db.risk_log.labels import (
    _TEXT_FIELDS,
    FIELD_LABELS,
    PAGE_SIZE,
    Choice,
    FormOptions,
    LogFilters,
    LogPage,
    LogRow,
    MyHolding,
    Review,
    Revision,
    TeamHolding,
    ThreadDetail,
)
from db.risk_threads import is_closed, next_review, open_risks

# --- Reads ---------------------------------------------------------------------------------
_COMPARED = (
    *_TEXT_FIELDS,
    "whose_risk",
    "case_id",
    "raised_by_id",
    "needs_manager",
    "manager_agreed_by_id",
    "worry_before",
    "worry_after",
    "review_on",
    "status",
)


def thread(actor: Actor, thread_id: str) -> ThreadDetail:
    """One worry with every revision (the original first) and every review."""
    with session_scope() as s:
        entries = list(
            s.exec(
                select(RiskEntry).where(RiskEntry.thread_id == thread_id).order_by(col(RiskEntry.revision))
            ).all()
        )
        if not entries:
            raise NotAllowed("That worry isn't in the log.")
        team_id = entries[-1].team_id
        try:
            _require_team(actor, team_id)
            restriction.require_worry_in_use(s, thread_id)
        except NotAllowed:
            audit.record_refusal(actor, "risk_thread", thread_id, team_id=team_id)
            raise
        audit.record_view(actor, "risk_thread", thread_id, team_id=team_id)
        reviews = _reviews(s, thread_id)
        holders = _holders_by_entry(s, entries)
        names = _names(s, _people_named(entries, reviews, holders))
        refs, session_labels = _case_refs(s, entries), _session_labels(s, entries)
        team = s.get(Team, team_id)
        review_times = {r.reviewed_at for r in reviews if r.next_step in ("change_plan", "close")}
        revisions: list[Revision] = []
        previous: RiskEntry | None = None
        for e in entries:
            ids = tuple(sorted(holders.get(e.id, []), key=lambda p: names.get(p, "")))
            changed = _changed(e, previous, ids, holders)
            revisions.append(_revision(e, ids, changed, names, refs, session_labels, review_times))
            previous = e
        latest = entries[-1]
        last_review = reviews[-1] if reviews else None
        is_open = not is_closed(latest, last_review)
        return ThreadDetail(
            thread_id=thread_id,
            team_id=team_id,
            team_name=team.name if team else "",
            case_reference=revisions[-1].case_reference,
            revisions=tuple(revisions),
            reviews=tuple(_review(r, names) for r in reviews),
            next_review_on=next_review(latest, last_review),
            is_open=is_open,
            can_agree=is_open
            and latest.needs_manager
            and latest.manager_agreed_by_id is None
            and _is_manager_of(actor, team_id),
            stamp=_stamp(latest, reviews),
        )


def _holders_by_entry(s: Session, entries: list[RiskEntry]) -> dict[int, list[int]]:
    """Who holds the worry at each revision (person ids, by revision's entry id)."""
    holders: dict[int, list[int]] = {}
    for entry_id, pid in s.exec(
        select(RiskHolder.risk_entry_id, RiskHolder.person_id).where(
            col(RiskHolder.risk_entry_id).in_([e.id for e in entries])
        )
    ).all():
        holders.setdefault(entry_id, []).append(pid)
    return holders


def _people_named(
    entries: list[RiskEntry], reviews: list[RiskReview], holders: dict[int, list[int]]
) -> set[int]:
    """Everyone a thread names: raisers, writers, the agreeing manager, reviewers, holders."""
    people = {e.raised_by_id for e in entries} | {e.created_by_id for e in entries}
    people |= {e.manager_agreed_by_id for e in entries if e.manager_agreed_by_id}
    people |= {r.reviewed_by_id for r in reviews}
    people |= {pid for ids in holders.values() for pid in ids}
    return people


def _case_refs(s: Session, entries: list[RiskEntry]) -> dict[int, str]:
    case_ids = {e.case_id for e in entries if e.case_id}
    if not case_ids:
        return {}
    return dict(s.exec(select(Case.id, Case.reference).where(col(Case.id).in_(case_ids))).all())


def _session_labels(s: Session, entries: list[RiskEntry]) -> dict[int, str]:
    session_ids = {e.session_id for e in entries if e.session_id}
    if not session_ids:
        return {}
    return {
        x.id: _session_label(x)
        for x in s.exec(select(SupervisionSession).where(col(SupervisionSession.id).in_(session_ids))).all()
    }


def _changed(
    e: RiskEntry, previous: RiskEntry | None, ids: tuple[int, ...], holders: dict[int, list[int]]
) -> tuple[str, ...]:
    """What a revision changed against the one before it (nothing for the original)."""
    if previous is None:
        return ()
    changed = tuple(FIELD_LABELS[k] for k in _COMPARED if getattr(e, k) != getattr(previous, k))
    if set(ids) != set(holders.get(previous.id, [])):
        changed += (FIELD_LABELS["holder_ids"],)
    return changed


def _revision(
    e: RiskEntry,
    ids: tuple[int, ...],
    changed: tuple[str, ...],
    names: dict[int, str],
    refs: dict[int, str],
    session_labels: dict[int, str],
    review_times: set[datetime],
) -> Revision:
    return Revision(
        revision=e.revision,
        created_at=e.created_at,
        created_by=names.get(e.created_by_id, "Someone"),
        case_reference=refs.get(e.case_id) if e.case_id else None,
        session_label=session_labels.get(e.session_id) if e.session_id else None,
        raised_by=names.get(e.raised_by_id, "Someone"),
        worry=e.worry,
        whose_risk=e.whose_risk,
        whose_risk_reasoning=e.whose_risk_reasoning,
        reasonable_for_age=e.reasonable_for_age,
        family_view=e.family_view,
        keeping_safe=e.keeping_safe,
        decision=e.decision,
        decision_reasons=e.decision_reasons,
        needs_manager=e.needs_manager,
        manager_agreed_by=names.get(e.manager_agreed_by_id) if e.manager_agreed_by_id else None,
        manager_agreed_at=e.manager_agreed_at,
        holders=tuple(names.get(p, "Someone") for p in ids),
        holder_ids=ids,
        worry_before=e.worry_before,
        worry_after=e.worry_after,
        review_on=e.review_on,
        status=e.status,
        case_id=e.case_id,
        session_id=e.session_id,
        raised_by_id=e.raised_by_id,
        changed=changed,
        at_review=e.revision > 1 and e.created_at in review_times,
    )


def _review(r: RiskReview, names: dict[int, str]) -> Review:
    return Review(
        r.reviewed_at,
        names.get(r.reviewed_by_id, "Someone"),
        r.what_happened,
        r.what_we_learned,
        r.next_step,
        r.next_review_on,
    )


def holding_now(actor: Actor, team_id: int) -> TeamHolding:
    """The team's open worries, who holds each, soonest review first."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        return TeamHolding(team_id, team.name if team else "", tuple(open_risks(s, team_ids=[team_id])))


def my_holdings(actor: Actor) -> tuple[MyHolding, ...]:
    """Open worries this person holds, in every team they can reach, and who holds each with them."""
    teams = dict((t.id, t.label) for t in teams_for(actor))
    if not teams:
        return ()
    with session_scope() as s:
        risks = open_risks(s, team_ids=teams, holder_id=actor.person_id)
    return tuple(
        MyHolding(
            r,
            teams.get(r.team_id, ""),
            tuple(n for pid, n in zip(r.holder_ids, r.holders, strict=False) if pid != actor.person_id),
        )
        for r in risks
    )


def _thread_rows(s: Session, entries: list[tuple[RiskEntry, str | None, datetime, str]]) -> list[LogRow]:
    if not entries:
        return []
    ids = [e.id for e, *_ in entries]
    threads = [e.thread_id for e, *_ in entries]
    holders: dict[int, list[str]] = {}
    for entry_id, name in s.exec(
        select(RiskHolder.risk_entry_id, Person.display_name)
        .join(Person, col(Person.id) == col(RiskHolder.person_id))
        .where(col(RiskHolder.risk_entry_id).in_(ids))
        .order_by(Person.display_name)
    ).all():
        holders.setdefault(entry_id, []).append(name)
    reviews: dict[str, list[RiskReview]] = {}
    for r in s.exec(
        select(RiskReview)
        .where(col(RiskReview.thread_id).in_(threads))
        .order_by(col(RiskReview.reviewed_at), col(RiskReview.id))
    ).all():
        reviews.setdefault(r.thread_id, []).append(r)
    rows = []
    for e, ref, raised_at, raised_by in entries:
        done = reviews.get(e.thread_id, [])
        last = done[-1] if done else None
        closed = is_closed(e, last)
        rows.append(
            LogRow(
                thread_id=e.thread_id,
                case_reference=ref,
                raised_on=raised_at.date(),
                raised_by=raised_by,
                worry=e.worry,
                whose_risk=e.whose_risk,
                decision=e.decision,
                holders=tuple(holders.get(e.id, [])),
                is_open=not closed,
                next_review_on=None if closed else next_review(e, last),
                reviews=len(done),
                last_outcome=last.what_happened if last else None,
                revisions=e.revision,
            )
        )
    return rows


def _log_query(team_ids: tuple[int, ...], filters: LogFilters):
    """Newest revision of each thread, with its first revision's time, filtered in SQL."""
    latest = (
        select(
            RiskEntry.thread_id,
            func.max(RiskEntry.revision).label("rev"),
            func.min(RiskEntry.created_at).label("raised_at"),
        )
        .where(
            col(RiskEntry.team_id).in_(team_ids),
            restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
        )
        .group_by(RiskEntry.thread_id)
        .subquery()
    )
    raiser = select(Person.id, Person.display_name).subquery("raiser")
    query = (
        select(RiskEntry, Case.reference, latest.c.raised_at, raiser.c.display_name)
        .join(
            latest,
            and_(col(RiskEntry.thread_id) == latest.c.thread_id, col(RiskEntry.revision) == latest.c.rev),
        )
        .outerjoin(Case, col(Case.id) == col(RiskEntry.case_id))
        .join(raiser, raiser.c.id == RiskEntry.raised_by_id)
    )
    query = _filter_by_who_and_what(query, filters)
    query = _filter_by_status(query, filters)
    query = _filter_by_dates(query, filters, latest.c.raised_at)
    return _filter_by_text(query, filters), latest


def _filter_by_who_and_what(query, filters: LogFilters):
    """The family (or team-level only), a holder, whose risk, and an outcome ever reviewed."""
    if filters.team_level_only:
        query = query.where(col(RiskEntry.case_id).is_(None))
    elif filters.case_id is not None:
        query = query.where(RiskEntry.case_id == filters.case_id)
    if filters.holder_id is not None:
        # EXISTS, not "id IN (...)": SQLite would otherwise probe every listed id per thread.
        query = query.where(
            exists().where(
                col(RiskHolder.risk_entry_id) == col(RiskEntry.id),
                col(RiskHolder.person_id) == filters.holder_id,
            )
        )
    if filters.whose_risk:
        query = query.where(RiskEntry.whose_risk == filters.whose_risk)
    if filters.outcome:
        query = query.where(
            exists().where(
                col(RiskReview.thread_id) == col(RiskEntry.thread_id),
                col(RiskReview.what_happened) == filters.outcome,
            )
        )
    return query


def _filter_by_status(query, filters: LogFilters):
    """Open or closed, where a review that decided to close a worry closes it."""
    closed_by_review = exists().where(
        col(RiskReview.thread_id) == col(RiskEntry.thread_id), col(RiskReview.next_step) == "close"
    )
    if filters.status == "open":
        query = query.where(RiskEntry.status == "open", ~closed_by_review)
    elif filters.status == "closed":
        query = query.where(or_(col(RiskEntry.status) == "closed", closed_by_review))
    return query


def _filter_by_dates(query, filters: LogFilters, raised_at):
    """Raised on or after the first day and on or before the last (whole days)."""
    if filters.raised_from:
        query = query.where(
            raised_at >= datetime.combine(filters.raised_from, time.min, tzinfo=utcnow().tzinfo)
        )
    if filters.raised_to:
        query = query.where(
            raised_at
            < datetime.combine(filters.raised_to + timedelta(days=1), time.min, tzinfo=utcnow().tzinfo)
        )
    return query


def _filter_by_text(query, filters: LogFilters):
    """Words in any of the worry's text, its family's reference, or what a review learned."""
    text = filters.text.strip()
    if not text:
        return query
    return query.where(
        or_(
            *(getattr(RiskEntry, f).icontains(text, autoescape=True) for f in _TEXT_FIELDS),
            col(Case.reference).icontains(text, autoescape=True),
            exists().where(
                col(RiskReview.thread_id) == col(RiskEntry.thread_id),
                col(RiskReview.what_we_learned).icontains(text, autoescape=True),
            ),
        )
    )


def team_log(
    actor: Actor,
    team_id: int,
    filters: LogFilters | None = None,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> LogPage:
    """Every worry the team has named, newest first, filtered and paged in the database."""
    _require_team(actor, team_id)
    filters = filters or LogFilters()
    page_size = max(1, min(page_size, 100))
    with session_scope() as s:
        query, latest = _log_query((team_id,), filters)
        total = int(s.exec(select(func.count()).select_from(query.subquery())).one())
        pages = max(1, math.ceil(total / page_size))
        page = max(1, min(page, pages))
        found = s.exec(
            query.order_by(col(latest.c.raised_at).desc(), col(RiskEntry.thread_id))
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        return LogPage(tuple(_thread_rows(s, list(found))), total, page, pages)


def case_log(actor: Actor, case_id: int) -> tuple[LogRow, ...]:
    """Every worry named for one family, open and closed, newest first."""
    with session_scope() as s:
        case = s.get(Case, case_id)
        if case is None or case.team_id not in case_team_ids(actor):
            raise NotAllowed(
                "This family's worries aren't open to you: only their team and its managers see them."
            )
        restriction.require_case_in_use(s, case_id)
        query, latest = _log_query((case.team_id,), LogFilters(case_id=case_id))
        found = s.exec(query.order_by(col(latest.c.raised_at).desc())).all()
        return tuple(_thread_rows(s, list(found)))


def filter_choices(actor: Actor, team_id: int) -> FormOptions:
    """Cases (including closed ones) and people (including past holders) to filter the log by."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        cases = s.exec(
            select(Case.id, Case.reference)
            .where(Case.team_id == team_id, restriction.case_in_use(Case.id))
            .order_by(Case.reference)
        ).all()
        holders = s.exec(
            select(Person.id, Person.display_name)
            .where(
                col(Person.id).in_(
                    select(RiskHolder.person_id)
                    .join(RiskEntry, col(RiskEntry.id) == col(RiskHolder.risk_entry_id))
                    .where(RiskEntry.team_id == team_id)
                )
            )
            .order_by(Person.display_name)
        ).all()
        return FormOptions(
            team_id=team_id,
            team_name=team.name if team else "",
            cases=tuple(Choice(int(cid), ref) for cid, ref in cases),
            members=tuple(Choice(int(pid), name) for pid, name in holders),
            sessions=(),
        )
