"""Joining a cohort with a short code: a training-only sign-in, with a back-off against guessing."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from db import audit
from db.accounts import _new_session
from db.clock import utcnow
from db.engine import session_scope
from db.models import CohortMember, Person, SignInThrottle, TrainingCohort
from db.training.read_models import (
    JOIN_BACKOFF_MAX_SECONDS,
    JOIN_FORGET_AFTER,
    JOIN_FREE_TRIES,
    JOIN_LIMIT,
    TRAINEE,
    JoinResult,
)
from db.validation import Checks


def _join_wait(throttle: SignInThrottle | None) -> int:
    if throttle is None or throttle.failures < JOIN_FREE_TRIES:
        return 0
    return min(2 ** (throttle.failures - JOIN_FREE_TRIES + 1), JOIN_BACKOFF_MAX_SECONDS)


def normalise_code(code: str) -> str:
    raw = re.sub(r"[\s]+", "", (code or "").upper())[:20]
    return raw


def join(
    code: str,
    display_name: str,
    *,
    client_key: str,
    replaces: str | None = None,
    now: datetime | None = None,
) -> JoinResult:
    """Join a cohort with its code: a training-only sign-in (no team, no password, one screen).

    Wrong codes are counted per client and slow further tries, as sign-in does, under their
    own keys (`join:`), so failed sign-ins never hold up a real code. A code works until it
    expires and for at most `JOIN_LIMIT` people. `replaces` is the sign-in token this browser
    held before, which ends now.
    """
    now = now or utcnow()
    key = f"join:{client_key}"[:64]
    c = Checks()
    name = c.text("name", display_name, "Your name", max_len=60, single_line=True)
    wanted = normalise_code(code)
    if not wanted:
        c.add("code", "Please type the join code your trainer gave you.")
    if c.problems:
        return JoinResult(ok=False, message=" ".join(c.problems.values()))
    with session_scope(write=True) as s:
        throttle = s.get(SignInThrottle, key)
        if throttle and now - throttle.last_failure_at > JOIN_FORGET_AFTER:
            s.delete(throttle)
            s.flush()
            throttle = None
        waiting = _still_waiting(throttle, now)
        if waiting:
            return waiting
        found = s.exec(
            select(TrainingCohort).where(
                TrainingCohort.join_code == wanted, TrainingCohort.status == "active"
            )
        ).first()
        if found is None:
            return _no_such_code(s, throttle, key, now)
        closed = _closed_to_joining(s, found, now)
        if closed:
            return closed
        return _add_trainee(s, found, name, now, replaces)


def _still_waiting(throttle: SignInThrottle | None, now: datetime) -> JoinResult | None:
    """After a few codes that didn't match, a refusal saying how long to wait (else None)."""
    wait = _join_wait(throttle)
    if throttle and wait and now < throttle.last_failure_at + timedelta(seconds=wait):
        left = max(1, int((throttle.last_failure_at + timedelta(seconds=wait) - now).total_seconds() + 0.999))
        return JoinResult(
            ok=False,
            wait_seconds=left,
            message=f"There have been a few codes that didn't match, so please wait {left} seconds and try again.",
        )
    return None


def _closed_to_joining(s: Session, found: TrainingCohort, now: datetime) -> JoinResult | None:
    """A refusal if the cohort's code has expired or the cohort is full (else None)."""
    if found.join_code_expires_at is None or now >= found.join_code_expires_at:
        audit.record(s, "join_failed", actor_label="join code", record_id=found.id, outcome="expired")
        return JoinResult(
            ok=False,
            message="That code has come to the end of its time. Please ask your trainer for a fresh one.",
        )
    joined = s.exec(
        select(func.count())
        .select_from(CohortMember)
        .join(Person, col(Person.id) == col(CohortMember.person_id))
        .where(CohortMember.cohort_id == found.id, Person.role == TRAINEE)
    ).one()
    if joined >= JOIN_LIMIT:
        audit.record(s, "join_failed", actor_label="join code", record_id=found.id, outcome="full")
        return JoinResult(
            ok=False,
            message="This cohort is full, so nobody else can join with its code. Please speak to your trainer.",
        )
    return None


def _no_such_code(s: Session, throttle: SignInThrottle | None, key: str, now: datetime) -> JoinResult:
    """A code that matches no open cohort: counted against this client, and refused."""
    if throttle is None:
        throttle = SignInThrottle(key=key, failures=0)
    throttle.failures += 1
    throttle.last_failure_at = now
    s.add(throttle)
    audit.record(s, "join_failed", actor_label="join code", outcome="refused")
    return JoinResult(
        ok=False,
        message="That code doesn't match a cohort that's open to join. Please check it with your trainer.",
    )


def _add_trainee(
    s: Session, found: TrainingCohort, name: str, now: datetime, replaces: str | None
) -> JoinResult:
    """A training-only person in the cohort, signed in (ending the sign-in `replaces`)."""
    person = Person(
        username=f"trainee-{secrets.token_hex(6)}",
        display_name=name,
        role=TRAINEE,
        password_hash=None,
    )
    s.add(person)
    s.flush()
    s.add(CohortMember(cohort_id=found.id, person_id=person.id, team_id=None))
    token = _new_session(s, int(person.id), now, replaces)
    audit.record(
        s,
        "join",
        actor_id=person.id,
        actor_label=person.username,
        record_type="training_cohort",
        record_id=found.id,
    )
    return JoinResult(ok=True, token=token)
