"""The kinds of message, the choices that cover them, and where mail and links go."""

from __future__ import annotations

import os

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
