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

Callers use `from db import notifications` and `notifications.<name>`; the parts live in:
`kinds` (the kinds and choices, and where mail and links go), `choices` (each person's and
each team's), `outgoing` (the outbox and what writes to it; the admin's view) and `wording`
(what a message says; Home's New for you).
"""

from __future__ import annotations

from db.notifications.choices import (
    MyChoices,
    TeamDefaults,
    my_choices,
    save_choices,
    save_team_defaults,
    team_defaults,
    where_we_meet,
)
from db.notifications.kinds import CHOICES, KINDS, NOTIFIED_ROLES, STATUS_LABELS, mail_configured, public_url
from db.notifications.outgoing import (
    Outbox,
    OutboxLine,
    daily_pass,
    digest_counts,
    enqueue,
    outbox,
    retry_failed,
    session_changed,
    worry_holders_named,
)
from db.notifications.outgoing import _email_of as _email_of
from db.notifications.wording import ForYou, Message, for_me, mark_seen, message
from db.notifications.wording import _counts as _counts

# `_email_of` and `_counts` stay reachable as before for db.calendar and the tests.
__all__ = [
    "CHOICES",
    "ForYou",
    "KINDS",
    "Message",
    "MyChoices",
    "NOTIFIED_ROLES",
    "Outbox",
    "OutboxLine",
    "STATUS_LABELS",
    "TeamDefaults",
    "daily_pass",
    "digest_counts",
    "enqueue",
    "for_me",
    "mail_configured",
    "mark_seen",
    "message",
    "my_choices",
    "outbox",
    "public_url",
    "retry_failed",
    "save_choices",
    "save_team_defaults",
    "session_changed",
    "team_defaults",
    "where_we_meet",
    "worry_holders_named",
]
