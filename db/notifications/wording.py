"""What a message says, built from its kind and ids when read or sent; Home's New for you."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from db import clock
from db.access import Actor
from db.engine import session_scope
from db.models import Person, SupervisionSession, Team
from db.notification_models import Notification
from db.notifications.kinds import NOTIFIED_ROLES, public_url


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
    if row.kind in ("session_planned", "session_moved", "session_cancelled"):
        link, subject, body = _about_a_session(row, base, first, who, team_name, _session_words(session))
    else:
        link, subject, body = _about_your_work(row, base, first, who, team_name)
    return Message(subject, body + closing, link)


def _about_a_session(
    row: Notification, base: str, first: str, who: str, team_name: str, when: str
) -> tuple[str, str, str]:
    """Link, subject and body for a session planned, moved or cancelled."""
    if row.kind == "session_planned":
        link = f"{base}/sessions?session={row.session_id}"
        subject = f"Group supervision planned: {when}"
        body = (
            f"Hello {first},\n\n{who} has planned {team_name}'s group supervision for "
            f"{when}. The invitation is attached for your calendar. "
            f"Open Circle to see the agenda or bring something:\n{link}"
        )
    elif row.kind == "session_moved":
        link = f"{base}/sessions?session={row.session_id}"
        subject = f"Group supervision moved to {when}"
        body = (
            f"Hello {first},\n\n{who} has moved {team_name}'s group supervision to "
            f"{when}. The updated invitation is attached. Open Circle to see it:\n{link}"
        )
    else:
        link = f"{base}/sessions"
        subject = "Group supervision cancelled"
        body = (
            f"Hello {first},\n\n{who} has cancelled {team_name}'s group supervision that was planned for "
            f"{when}. The attached cancellation takes it out of your calendar. "
            f"Open Circle to see what is planned next:\n{link}"
        )
    return link, subject, body


def _about_your_work(
    row: Notification, base: str, first: str, who: str, team_name: str
) -> tuple[str, str, str]:
    """Link, subject and body for a worry to hold or review, actions due, or the weekly digest."""
    if row.kind == "worry_holder":
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
    return link, subject, body


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
