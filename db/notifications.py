"""Telling people what is waiting for them in Circle, without case content leaving it.

A notification is a kind and the ids it is about (`db.notification_models.Notification`).
It is written to the outbox in the same transaction as the change that caused it (a
session planned, moved or cancelled; a colleague named to hold a worry), or by the daily
pass (`daily_pass`: reviews due tomorrow, actions due, the Monday digest), which adds each
item at most once a day. `db.mailer` delivers what waits; without a mail server
(`CIRCLE_SMTP_URL` unset, as in the demo) a message is kept for Home's *New for you* list.

What a message says is built here, from its kind and ids, at the moment it is read or
sent (`message`): a colleague's name, the team's name, a date and a time, counts, and a
link into Circle. Never a case reference, a family's name or anything typed into a
record: tests/test_notifications_content.py reads every kind against a world full of
recognisable case text and proves none of it gets out.

Each person chooses which kinds they get on *Your account*; until they choose, their
team's supervisor's default for the team applies; until then, everything is on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from db import audit, clock, restriction
from db.access import Actor, require_role, supervised_team_ids
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed
from db.models import (
    Action,
    Membership,
    Person,
    SupervisionSession,
    Team,
)
from db.notification_models import Notification, NotificationChoice, TeamNotificationDefault
from db.risk_threads import open_risks
from db.validation import Checks

# The kinds a person can choose, with how *Your account* describes each.
CHOICES: dict[str, str] = {
    "sessions": "A group supervision session is planned, moved or cancelled",
    "worry_holder": "You're asked to hold a worry with a colleague",
    "review_due": "A review of a worry you hold is due tomorrow",
    "action_due": "An action of yours is due today",
    "weekly_digest": "Your week in Circle, on Monday mornings",
}
# Every kind of message, and the choice that covers it.
KINDS: dict[str, str] = {
    "session_planned": "sessions",
    "session_moved": "sessions",
    "session_cancelled": "sessions",
    "worry_holder": "worry_holder",
    "review_due": "review_due",
    "action_due": "action_due",
    "weekly_digest": "weekly_digest",
}
NOTIFIED_ROLES = ("practitioner", "supervisor", "manager")
STATUS_LABELS = {
    "waiting": "Waiting to send",
    "sending": "Sending now",
    "sent": "Sent",
    "failed": "Could not be sent",
    "in_app": "Shown in Circle only",
}


def mail_configured() -> bool:
    return bool(os.environ.get("CIRCLE_SMTP_URL", "").strip())


def public_url() -> str:
    return os.environ.get("CIRCLE_PUBLIC_URL", "").strip().rstrip("/") or "http://localhost:8501"


# ------------------------------------------------------------------ choices


def _kinds(raw: str) -> dict[str, bool]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {k: bool(v) for k, v in found.items() if k in CHOICES} if isinstance(found, dict) else {}


def _team_default(s: Session, person_id: int) -> dict[str, bool]:
    """The defaults of the person's teams (their first team with any, by team id)."""
    rows = s.exec(
        select(TeamNotificationDefault.kinds)
        .join(Membership, col(Membership.team_id) == col(TeamNotificationDefault.team_id))
        .where(Membership.person_id == person_id, col(Membership.left_on).is_(None))
        .order_by(col(TeamNotificationDefault.team_id))
    ).all()
    merged: dict[str, bool] = {}
    for raw in rows:
        for key, value in _kinds(raw).items():
            merged.setdefault(key, value)
    return merged


def _wants(s: Session, person_id: int, choice: str) -> bool:
    own = s.get(NotificationChoice, person_id)
    if own is not None and choice in _kinds(own.kinds):
        return _kinds(own.kinds)[choice]
    return _team_default(s, person_id).get(choice, True)


@dataclass(frozen=True)
class MyChoices:
    email: str
    chosen: dict[str, bool]  # what applies to them now, choice by choice
    own: dict[str, bool]  # what they chose themselves (the rest follows the team)
    team_default: dict[str, bool]
    version: int
    mail_on: bool


def my_choices(actor: Actor) -> MyChoices:
    require_role(actor, *NOTIFIED_ROLES)
    with session_scope() as s:
        row = s.get(NotificationChoice, actor.person_id)
        own = _kinds(row.kinds) if row else {}
        team = _team_default(s, actor.person_id)
        chosen = {k: own.get(k, team.get(k, True)) for k in CHOICES}
        return MyChoices(
            row.email if row else "", chosen, own, team, row.version if row else 0, mail_configured()
        )


def save_choices(actor: Actor, *, email: str, chosen: dict[str, bool], version: int) -> None:
    """Your own choices (only ever your own: the actor's person id is the row's key)."""
    require_role(actor, *NOTIFIED_ROLES)
    c = Checks()
    email = c.text("email", email, "Your email address", required=False, max_len=254)
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        c.add("email", "That doesn't look like an email address yet; it needs a name, an @ and a place.")
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = s.get(NotificationChoice, actor.person_id, with_for_update=True)
        current = row.version if row else 0
        if current != version:
            raise EditConflict(
                "You changed these choices in another window a moment ago; here is what is saved now.",
                {"Email": row.email if row else "", **{CHOICES[k]: v for k, v in _kinds(row.kinds).items()}}
                if row
                else {},
            )
        if row is None:
            row = NotificationChoice(person_id=actor.person_id)
        row.email = email
        row.kinds = json.dumps({k: bool(v) for k, v in chosen.items() if k in CHOICES}, sort_keys=True)
        row.version = current + 1
        row.updated_at = clock.utcnow()
        s.add(row)
        audit.record(
            s,
            "change",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="notification_choice",
            record_id=actor.person_id,
        )


@dataclass(frozen=True)
class TeamDefaults:
    team_id: int
    team_name: str
    chosen: dict[str, bool]
    where_we_meet: str
    version: int


def team_defaults(actor: Actor, team_id: int) -> TeamDefaults:
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Only the team's supervisor sets the team's defaults.")
    with session_scope() as s:
        row = s.get(TeamNotificationDefault, team_id)
        team = s.get(Team, team_id)
        kinds = _kinds(row.kinds) if row else {}
        return TeamDefaults(
            team_id,
            team.name if team else "",
            {k: kinds.get(k, True) for k in CHOICES},
            row.where_we_meet if row else "",
            row.version if row else 0,
        )


def save_team_defaults(
    actor: Actor, team_id: int, *, chosen: dict[str, bool], where_we_meet: str, version: int
) -> None:
    if team_id not in supervised_team_ids(actor):
        raise NotAllowed("Only the team's supervisor sets the team's defaults.")
    c = Checks()
    where_we_meet = c.text(
        "where_we_meet", where_we_meet, "Where the team meets", required=False, max_len=120
    )
    c.raise_if_any()
    with session_scope(write=True) as s:
        row = s.get(TeamNotificationDefault, team_id, with_for_update=True)
        current = row.version if row else 0
        if current != version:
            raise EditConflict(
                "Someone saved the team's defaults a moment ago; here is what is saved now.",
                {"Where the team meets": row.where_we_meet if row else ""},
            )
        if row is None:
            row = TeamNotificationDefault(team_id=team_id)
        row.kinds = json.dumps({k: bool(v) for k, v in chosen.items() if k in CHOICES}, sort_keys=True)
        row.where_we_meet = where_we_meet
        row.updated_by_id = actor.person_id
        row.updated_at = clock.utcnow()
        row.version = current + 1
        s.add(row)
        audit.record(
            s,
            "change",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="team_notification_default",
            record_id=team_id,
            team_id=team_id,
        )


def where_we_meet(s: Session, team_id: int) -> str:
    row = s.get(TeamNotificationDefault, team_id)
    return row.where_we_meet if row else ""


# ------------------------------------------------------------------ the outbox


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


# ------------------------------------------------------------------ what a message says


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _session_words(session: SupervisionSession | None) -> str:
    if session is None:
        return "a session"
    return clock.when(session.scheduled_for, "%A %d %B at %H:%M")


def message(s: Session, row: Notification) -> Message:
    """Subject, body and link for one message, from its kind and ids only."""
    base = public_url()
    person = s.get(Person, row.person_id)
    first = person.display_name.split(" ")[0] if person else "there"
    colleague = s.get(Person, row.colleague_id) if row.colleague_id else None
    who = colleague.display_name.split(" ")[0] if colleague else "a colleague"
    team = s.get(Team, row.team_id) if row.team_id else None
    team_name = team.name if team else "your team"
    session = s.get(SupervisionSession, row.session_id) if row.session_id else None
    closing = "\n\nYou chose to hear about this on Your account in Circle, where you can change it."
    if row.kind == "session_planned":
        link = f"{base}/sessions?session={row.session_id}"
        subject = f"Group supervision planned: {_session_words(session)}"
        body = (
            f"Hello {first},\n\n{who} has planned {team_name}'s group supervision for "
            f"{_session_words(session)}. The invitation is attached for your calendar. "
            f"Open Circle to see the agenda or bring something:\n{link}"
        )
    elif row.kind == "session_moved":
        link = f"{base}/sessions?session={row.session_id}"
        subject = f"Group supervision moved to {_session_words(session)}"
        body = (
            f"Hello {first},\n\n{who} has moved {team_name}'s group supervision to "
            f"{_session_words(session)}. The updated invitation is attached. Open Circle to see it:\n{link}"
        )
    elif row.kind == "session_cancelled":
        link = f"{base}/sessions"
        subject = "Group supervision cancelled"
        body = (
            f"Hello {first},\n\n{who} has cancelled {team_name}'s group supervision that was planned for "
            f"{_session_words(session)}. The attached cancellation takes it out of your calendar. "
            f"Open Circle to see what is planned next:\n{link}"
        )
    elif row.kind == "worry_holder":
        link = f"{base}/risk_log"
        subject = "You've been asked to hold a worry"
        body = (
            f"Hello {first},\n\nYou've been asked to hold a worry with {who}. Open Circle to read it:\n{link}"
        )
    elif row.kind == "review_due":
        link = f"{base}/risk_log"
        subject = "A worry you hold is due for review tomorrow"
        body = (
            f"Hello {first},\n\nA worry you hold with {team_name} is due for review tomorrow. "
            f"Open Circle to read it before the team looks at it again:\n{link}"
        )
    elif row.kind == "action_due":
        link = f"{base}/"
        n = _counts(row.counts).get("actions", 1)
        if n > 1:
            subject = f"{n} actions of yours are due today"
            what = f"{n} actions you took on in group supervision are due today. Open Circle to see them"
        else:
            subject = "An action of yours is due today"
            what = "An action you took on in group supervision is due today. Open Circle to see it"
        body = f"Hello {first},\n\n{what}:\n{link}"
    elif row.kind == "weekly_digest":
        link = f"{base}/"
        counts = _counts(row.counts)
        subject = "Your week in Circle"
        body = (
            f"Hello {first},\n\nHere is your week in Circle:\n"
            f"- {_plural(counts.get('sessions', 0), 'group supervision session', 'group supervision sessions')} planned\n"
            f"- {_plural(counts.get('actions_due', 0), 'action', 'actions')} of yours due this week or earlier\n"
            f"- {_plural(counts.get('worries_held', 0), 'worry', 'worries')} you hold with the team, "
            f"{counts.get('reviews_due', 0)} due for review this week\n\n"
            f"Open Circle to see them:\n{link}"
        )
    else:  # pragma: no cover - enqueue refuses unknown kinds
        raise ValueError(row.kind)
    return Message(subject, body + closing, link)


def _counts(raw: str) -> dict[str, int]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {k: int(v) for k, v in found.items()} if isinstance(found, dict) else {}


# ------------------------------------------------------------------ New for you


@dataclass(frozen=True)
class ForYou:
    id: int
    kind: str
    subject: str
    body: str
    path: str  # the page inside Circle the message points at
    created_at: datetime
    seen: bool


def _path(link: str) -> str:
    base = public_url()
    return link[len(base) :] if link.startswith(base) else link


# Sentences about the mail's attachment: left out where the message is read in Circle.
_MAIL_ONLY = (
    " The invitation is attached for your calendar.",
    " The updated invitation is attached.",
    " The attached cancellation takes it out of your calendar.",
)


def for_me(actor: Actor, *, days: int = 14, limit: int = 10) -> tuple[ForYou, ...]:
    """Your own messages from the last two weeks, newest first (sent by mail or not)."""
    if actor.role not in NOTIFIED_ROLES:
        return ()
    since = clock.utcnow() - timedelta(days=days)
    with session_scope() as s:
        rows = s.exec(
            select(Notification)
            .where(Notification.person_id == actor.person_id, Notification.created_at >= since)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        ).all()
        result = []
        for row in rows:
            msg = message(s, row)
            body = msg.body.split("\n\n", 1)[-1].split("\n\nYou chose")[0]
            body = body.rsplit(":\n", 1)[0] + "." if ":\nhttp" in body else body
            for mail_only in _MAIL_ONLY:
                body = body.replace(mail_only, "")
            result.append(
                ForYou(
                    int(row.id),
                    row.kind,
                    msg.subject,
                    body,
                    _path(msg.link),
                    row.created_at,
                    row.seen_at is not None,
                )
            )
        return tuple(result)


def mark_seen(actor: Actor, ids: list[int]) -> int:
    """Mark your own messages as seen (someone else's ids are simply not touched)."""
    if not ids:
        return 0
    with session_scope(write=True) as s:
        rows = s.exec(
            select(Notification).where(
                col(Notification.id).in_(ids),
                Notification.person_id == actor.person_id,
                col(Notification.seen_at).is_(None),
            )
        ).all()
        for row in rows:
            row.seen_at = clock.utcnow()
            s.add(row)
        return len(rows)


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
        audit.record(
            s,
            "retry",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="outbox",
            record_id=len(rows),
        )
        return len(rows)
