"""The outbox: what is written to it and when (changes, the daily pass), and the admin's view of it."""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit, clock, restriction
from db.access import Actor, require_role
from db.engine import session_scope
from db.models import Action, Membership, Person, SupervisionSession, Team
from db.notification_models import Notification, NotificationChoice
from db.notifications.choices import _wants
from db.notifications.kinds import KINDS, NOTIFIED_ROLES, STATUS_LABELS, mail_configured
from db.risk_threads import open_risks


def _email_of(s: Session, person_id: int) -> str:
    row = s.get(NotificationChoice, person_id)
    return row.email if row else ""


def enqueue(
    s: Session,
    person_id: int,
    kind: str,
    *,
    team_id: int | None = None,
    session_id: int | None = None,
    thread_id: str | None = None,
    action_id: int | None = None,
    colleague_id: int | None = None,
    counts: dict[str, int] | None = None,
    dedupe_key: str | None = None,
    attachment: str = "",
) -> bool:
    """Add one message to the outbox inside the caller's transaction, if the person wants
    this kind. With a `dedupe_key` already used, nothing is added (the daily pass can run
    as often as it likes). Returns whether a message was added."""
    if kind not in KINDS:
        raise ValueError(kind)
    person = s.get(Person, person_id)
    if person is None or not person.is_active or person.role not in NOTIFIED_ROLES:
        return False
    if not _wants(s, person_id, KINDS[kind]):
        return False
    if dedupe_key is not None:
        if s.exec(select(Notification.id).where(Notification.dedupe_key == dedupe_key)).first():
            return False
    by_mail = mail_configured() and bool(_email_of(s, person_id))
    row = Notification(
        person_id=person_id,
        kind=kind,
        team_id=team_id,
        session_id=session_id,
        thread_id=thread_id,
        action_id=action_id,
        colleague_id=colleague_id,
        counts=json.dumps(counts or {}, sort_keys=True) if counts else "",
        dedupe_key=dedupe_key,
        status="waiting" if by_mail else "in_app",
        attachment=attachment if by_mail else "",
    )
    if dedupe_key is None:
        s.add(row)
        s.flush()
        return True
    try:
        # A savepoint: two daily passes racing on one key lose one insert, not the transaction.
        with s.begin_nested():
            s.add(row)
            s.flush()
    except IntegrityError:
        return False
    return True


def _session_people(s: Session, session: SupervisionSession) -> list[int]:
    from db.models import SessionAttendee

    return [
        int(pid)
        for pid in s.exec(
            select(SessionAttendee.person_id).where(
                SessionAttendee.session_id == session.id, SessionAttendee.attendance != "apologies"
            )
        ).all()
    ]


def session_changed(s: Session, actor: Actor, session: SupervisionSession, kind: str) -> int:
    """A session was planned, moved or cancelled: tell everyone expected at it except the
    person who did it, with the calendar invitation (or cancellation) as it now stands."""
    from db import calendar

    sequence = calendar.bump_sequence(s, int(session.id), first=kind == "session_planned")
    added = 0
    for person_id in _session_people(s, session):
        if person_id == actor.person_id:
            continue
        ics = calendar.invitation_for(
            s, session, person_id, sequence=sequence, cancel=kind == "session_cancelled"
        )
        added += enqueue(
            s,
            person_id,
            kind,
            team_id=session.team_id,
            session_id=session.id,
            colleague_id=actor.person_id,
            attachment=ics,
        )
    return added


def worry_holders_named(
    s: Session,
    actor: Actor,
    *,
    team_id: int,
    thread_id: str,
    holder_ids: set[int],
    already: AbstractSet[int] = frozenset(),
) -> int:
    """New holders of a worry (not the person naming them, nor those already holding it)."""
    added = 0
    for person_id in sorted(holder_ids - set(already) - {actor.person_id}):
        added += enqueue(
            s, person_id, "worry_holder", team_id=team_id, thread_id=thread_id, colleague_id=actor.person_id
        )
    return added


def daily_pass(*, now: datetime | None = None) -> int:
    """Reviews due tomorrow, actions due today and (on Mondays) the week's digest, each at
    most once per item, person and day however often this runs. Returns how many it added."""
    now = now or clock.utcnow()
    today = clock.local(now).date()
    tomorrow = today + timedelta(days=1)
    added = 0
    with session_scope(write=True) as s:
        team_ids = [int(t) for t in s.exec(select(Team.id)).all()]
        for risk in open_risks(s, team_ids=team_ids):
            if risk.next_review_on != tomorrow:
                continue
            for person_id in risk.holder_ids:
                added += enqueue(
                    s,
                    person_id,
                    "review_due",
                    team_id=risk.team_id,
                    thread_id=risk.thread_id,
                    dedupe_key=f"review_due:{risk.thread_id}:{today.isoformat()}:{person_id}",
                )
        due = s.exec(
            select(Action.id, Action.owner_id, Action.team_id).where(
                Action.status == "open", Action.due_on == today, restriction.case_in_use(Action.case_id)
            )
        ).all()
        # One reminder per person and day, however many of their actions fall due.
        by_owner: dict[int, list[tuple[int, int]]] = {}
        for action_id, owner_id, team_id in due:
            by_owner.setdefault(int(owner_id), []).append((int(action_id), int(team_id)))
        for owner_id, actions in by_owner.items():
            added += enqueue(
                s,
                owner_id,
                "action_due",
                team_id=actions[0][1],
                action_id=actions[0][0],
                counts={"actions": len(actions)},
                dedupe_key=f"action_due:{owner_id}:{today.isoformat()}",
            )
        if today.weekday() == 0:
            added += _digests(s, today)
    return added


def _digests(s: Session, today: date) -> int:
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    people = s.exec(
        select(Person.id)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(Person.is_active, col(Membership.left_on).is_(None), col(Person.role).in_(NOTIFIED_ROLES))
        .distinct()
    ).all()
    added = 0
    for person_id in people:
        counts = digest_counts(s, int(person_id), today)
        added += enqueue(
            s,
            int(person_id),
            "weekly_digest",
            counts=counts,
            dedupe_key=f"weekly_digest:{person_id}:{week}",
        )
    return added


def digest_counts(s: Session, person_id: int, today: date) -> dict[str, int]:
    """Counts only: sessions this week, actions due this week or overdue, worries held and
    reviews due this week."""
    from db.models import SessionAttendee

    end = today + timedelta(days=7)
    team_ids = [
        int(t)
        for t in s.exec(
            select(Membership.team_id).where(
                Membership.person_id == person_id, col(Membership.left_on).is_(None)
            )
        ).all()
    ]
    sessions = s.exec(
        select(func.count())
        .select_from(SupervisionSession)
        .join(SessionAttendee, col(SessionAttendee.session_id) == col(SupervisionSession.id))
        .where(
            SessionAttendee.person_id == person_id,
            SupervisionSession.status != "cancelled",
            SupervisionSession.scheduled_for >= clock.local_midnight(today),
            SupervisionSession.scheduled_for < clock.local_midnight(end),
        )
    ).one()
    actions = s.exec(
        select(func.count())
        .select_from(Action)
        .where(
            Action.owner_id == person_id,
            Action.status == "open",
            Action.due_on < end,
            restriction.case_in_use(Action.case_id),
        )
    ).one()
    held = open_risks(s, team_ids=team_ids, holder_id=person_id)
    return {
        "sessions": int(sessions),
        "actions_due": int(actions),
        "worries_held": len(held),
        "reviews_due": sum(1 for r in held if r.next_review_on < end),
    }


# ------------------------------------------------------------------ the admin's view


@dataclass(frozen=True)
class OutboxLine:
    id: int
    kind: str
    recipient: str
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str


@dataclass(frozen=True)
class Outbox:
    counts: dict[str, int]
    lines: tuple[OutboxLine, ...]


def outbox(actor: Actor, *, limit: int = 50) -> Outbox:
    """What is waiting, sent and failed: kinds, recipients and status, never a body."""
    require_role(actor, "admin")
    with session_scope() as s:
        counts = dict(s.exec(select(Notification.status, func.count()).group_by(Notification.status)).all())
        rows = s.exec(
            select(Notification, Person.username)
            .join(Person, col(Person.id) == col(Notification.person_id))
            .where(Notification.status != "in_app")
            .order_by(
                and_(col(Notification.status) == "sent").asc(),
                col(Notification.created_at).desc(),
            )
            .limit(limit)
        ).all()
        return Outbox(
            {k: int(counts.get(k, 0)) for k in STATUS_LABELS},
            tuple(
                OutboxLine(
                    int(n.id),
                    n.kind,
                    username,
                    n.status,
                    n.attempts,
                    n.created_at,
                    n.sent_at,
                    n.next_attempt_at,
                    n.last_error,
                )
                for n, username in rows
            ),
        )


def retry_failed(actor: Actor) -> int:
    """An administrator sends the failed messages again (after fixing the mail settings)."""
    require_role(actor, "admin")
    with session_scope(write=True) as s:
        rows = s.exec(select(Notification).where(Notification.status == "failed")).all()
        for row in rows:
            row.status, row.attempts, row.next_attempt_at = "waiting", 0, clock.utcnow()
            row.claimed_at = row.claimed_by = None
            s.add(row)
        audit.by(s, actor, "retry", "outbox", len(rows))
        return len(rows)
