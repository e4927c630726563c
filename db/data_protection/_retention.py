"""Retention: a period per kind of finished record, and the purge that keeps to it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_
from sqlmodel import Session, col, func, select

import db.models as m
from db import audit
from db.access import Actor, require_role
from db.clock import utcnow
from db.data_protection._erasure import _erase, _exists_any
from db.data_protection._holds import _held_cases, _held_people, _is_held
from db.data_protection._kinds import DAYS_PER_MONTH, KINDS, MAX_MONTHS, PurgeResult, RetentionLine, _who
from db.engine import session_scope
from db.validation import Checks


def retention(actor: Actor) -> tuple[RetentionLine, ...]:
    require_role(actor, "admin")
    with session_scope() as s:
        rules = {r.kind: r for r in s.exec(select(m.RetentionRule)).all()}
    return tuple(
        RetentionLine(
            k, label, rules[k].keep_months if k in rules else None, rules[k].version if k in rules else 0
        )
        for k, label in KINDS.items()
    )


def set_retention(actor: Actor, kind: str, keep_months: int | None) -> None:
    """Keep a kind of finished record this many months (None: keep until someone decides)."""
    require_role(actor, "admin")
    c = Checks()
    c.choice("kind", kind, "Kind of record", tuple(KINDS))
    if keep_months is not None and (
        not isinstance(keep_months, int)
        or isinstance(keep_months, bool)
        or not 1 <= keep_months <= MAX_MONTHS
    ):
        c.add("keep_months", f"Please choose between 1 and {MAX_MONTHS} months.")
    c.raise_if_any()
    with session_scope(write=True) as s:
        rule = s.get(m.RetentionRule, kind)
        if keep_months is None:
            if rule is not None:
                s.delete(rule)
        elif rule is None:
            s.add(m.RetentionRule(kind=kind, keep_months=keep_months, set_by_id=actor.person_id))
        else:
            rule.keep_months, rule.set_by_id, rule.set_at = keep_months, actor.person_id, utcnow()
            rule.version += 1
            s.add(rule)
        audit.record(s, "retention", record_type=kind, record_id=keep_months or "", **_who(actor))


def _ids(s: Session, query) -> list:
    return list(s.exec(query).all())


def _closed_cases(s: Session, cutoff: datetime) -> list:
    return _ids(
        s,
        select(m.Case.id).where(
            m.Case.status == "closed",
            col(m.Case.closed_on).is_not(None),
            col(m.Case.closed_on) < cutoff.date(),
        ),
    )


def _closed_worries(s: Session, cutoff: datetime) -> list:
    """Worries closed (by an entry or a review) whose last entry and last review are older."""
    latest = (
        select(m.RiskEntry.thread_id, func.max(m.RiskEntry.created_at).label("last"))
        .group_by(m.RiskEntry.thread_id)
        .subquery()
    )
    closed = exists().where(
        col(m.RiskEntry.thread_id) == latest.c.thread_id, col(m.RiskEntry.status) == "closed"
    )
    closed_by_review = exists().where(
        col(m.RiskReview.thread_id) == latest.c.thread_id, col(m.RiskReview.next_step) == "close"
    )
    last_review = (
        select(func.max(m.RiskReview.reviewed_at))
        .where(m.RiskReview.thread_id == latest.c.thread_id)
        .scalar_subquery()
    )
    return _ids(
        s,
        select(latest.c.thread_id).where(
            or_(closed, closed_by_review),
            latest.c.last < cutoff,
            or_(last_review.is_(None), last_review < cutoff),
        ),
    )


def _closed_sessions(s: Session, cutoff: datetime) -> list:
    query = select(m.SupervisionSession.id).where(
        m.SupervisionSession.status == "closed", m.SupervisionSession.scheduled_for < cutoff
    )
    return _ids(s, query)


def _check_ins(s: Session, cutoff: datetime) -> list:
    return _ids(s, select(m.RelationshipCheckIn.id).where(m.RelationshipCheckIn.created_at < cutoff))


def _young_voice_answers(s: Session, cutoff: datetime) -> list:
    return _ids(s, select(m.YoungVoiceAnswer.id).where(m.YoungVoiceAnswer.created_at < cutoff))


def _finished_cohorts(s: Session, cutoff: datetime) -> list:
    query = select(m.TrainingCohort.id).where(
        m.TrainingCohort.status != "active", m.TrainingCohort.created_at < cutoff
    )
    return _ids(s, query)


def _ended_sign_ins(s: Session, cutoff: datetime) -> list:
    ended = or_(col(m.SignInSession.revoked_at).is_not(None), col(m.SignInSession.expires_at) < utcnow())
    return _ids(s, select(m.SignInSession.id).where(ended, m.SignInSession.created_at < cutoff))


# Finished records of each kind that ended before a cutoff.
_CANDIDATES = {
    "case": _closed_cases,
    "risk_thread": _closed_worries,
    "supervision_session": _closed_sessions,
    "relationship_check_in": _check_ins,
    "young_voice_answer": _young_voice_answers,
    "training_cohort": _finished_cohorts,
    "signin_session": _ended_sign_ins,
}


def purge(*, actor: Actor | None = None, now: datetime | None = None) -> PurgeResult:
    """Remove finished records older than their kind's retention period, except those a legal
    hold keeps. One audit line per kind says how many went (and how many a hold kept)."""
    if actor is not None:
        require_role(actor, "admin")
    now = now or utcnow()
    removed: dict[str, int] = {}
    kept: dict[str, int] = {}
    with session_scope(write=True) as s:
        rules = {r.kind: r.keep_months for r in s.exec(select(m.RetentionRule)).all()}
        cases, people = _held_cases(s), _held_people(s)
        for kind in KINDS:
            if kind not in rules:
                continue
            cutoff = now - timedelta(days=round(rules[kind] * DAYS_PER_MONTH))
            gone = held = 0
            for record_id in _CANDIDATES[kind](s, cutoff):
                if not _exists_any(s, kind, record_id):
                    continue  # already erased with a case purged just before
                if _is_held(s, kind, record_id, cases, people):
                    held += 1
                    continue
                _erase(s, kind, record_id)
                gone += 1
            removed[kind], kept[kind] = gone, held
            audit.record(
                s,
                "purge",
                record_type=kind,
                record_id=f"{gone} removed, {held} held",
                outcome="ok",
                **_who(actor),
            )
    return PurgeResult(removed, kept)
