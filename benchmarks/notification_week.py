"""One week of a practitioner's email from Circle, as sent: the demo team on a fresh SQLite
file, a real SMTP server on 127.0.0.1 (aiosmtpd, from requirements-test.txt), and seven
days of ordinary work driven through the data layer with the clock moved on each day. Every
message Priya receives is printed as it arrived: date, subject, body and attachments.

    .venv/bin/python benchmarks/notification_week.py

Nothing here touches your own database: it makes its own in a temporary folder.
"""

from __future__ import annotations

import email
import os
import sys
import tempfile
import threading
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def main() -> int:
    from aiosmtpd.controller import Controller

    from deploy.serving import free_port

    folder = Path(tempfile.mkdtemp(prefix="circle-week-"))
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'circle.db'}",
            "CIRCLE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
            "CIRCLE_PUBLIC_URL": "https://circle.riverside.example",
            "CIRCLE_MAIL_FROM": "Circle <circle@riverside.example>",
        }
    )
    _the_week()
    smtp.stop()
    mine = [m for m in inbox.messages if m["To"] == "priya.example@riverside-early-help.example"]
    print(f"{len(inbox.messages)} messages sent in the week; {len(mine)} to Priya:\n")
    for m in mine:
        _print_message(m)
    return 0


def _the_week() -> None:
    """The demo team, then Monday to Sunday of next week, each morning's reminders sent."""
    from db import accounts, clock, mailer, notifications, sessions
    from db.engine import session_scope
    from db.migrate import upgrade
    from db.models import SupervisionSession
    from db.seed.demo import DEMO_PASSWORD, load_demo

    upgrade()
    # Monday of next week: the week runs Monday to Sunday.
    today = clock.today()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    load_demo(today=monday - timedelta(days=1))

    def who(username: str):
        found = accounts.actor_for_token(accounts.sign_in(username, DEMO_PASSWORD).token or "")
        assert found is not None
        return found

    hannah, tom, priya = who("hannah"), who("tom"), who("priya")
    team_id = hannah.memberships[0].team_id
    # Everyone else gets their own mail too; Priya's address is the demo's.
    for person in (hannah, tom):
        notifications.save_choices(person, email=f"{person.username}@riverside.example", chosen={}, version=0)

    def day_pass(day: date, hour: int = 7) -> None:
        at = clock.from_local(day, time(hour))
        notifications.daily_pass(now=at)
        mailer.send_pending(now=at)

    def version(sid: int) -> int:
        with session_scope() as s:
            return s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow

    # Monday: the digest; Hannah plans the session after next.
    day_pass(monday)
    planned = sessions.plan(
        hannah, team_id, day=monday + timedelta(days=8), start=time(10), duration_minutes=90
    )
    mailer.send_pending(now=clock.from_local(monday, time(10, 30)))
    day_pass(monday + timedelta(days=1))
    _tuesday(hannah, tom, priya, team_id, planned, monday + timedelta(days=1))
    # Wednesday: Hannah moves the session an hour later. Thursday: the review is due tomorrow,
    # and the action is due today.
    day_pass(monday + timedelta(days=2))
    sessions.move(hannah, planned, version(planned), day=monday + timedelta(days=8), start=time(11))
    mailer.send_pending(now=clock.from_local(monday + timedelta(days=2), time(15)))
    for offset in range(3, 7):
        day_pass(monday + timedelta(days=offset))


def _tuesday(hannah, tom, priya, team_id: int, planned: int, tuesday: date) -> None:
    """In the session, Tom names a worry and asks Priya to hold it with him; an action of
    Priya's is due on Thursday; the worry's first review is on Friday."""
    from db import clock, mailer, risk_log, sessions

    upcoming = next(
        line for line in sessions.sessions_for(hannah) if line.status == "planned" and line.id != planned
    )
    case_id = sessions.team_cases(tom, team_id)[0][0]
    sessions.add_action(
        hannah,
        upcoming.id,
        description="Ring school about the Friday club",
        owner_id=priya.person_id,
        due_on=tuesday + timedelta(days=2),
        case_id=case_id,
        today=tuesday,
    )
    risk_log.create_entry(
        tom,
        team_id,
        risk_log.RiskDraft(
            worry="Staying out late on Fridays; school are worried about who with.",
            whose_risk="both",
            whose_risk_reasoning="Some of it is our own worry.",
            keeping_safe="Nan's on Fridays.",
            decision="Hold it together; ask who they trust.",
            decision_reasons="A plan they help make is one they keep.",
            worry_before=6,
            worry_after=4,
            holder_ids=(tom.person_id, priya.person_id),
            review_on=tuesday + timedelta(days=3),
            case_id=case_id,
            raised_by_id=tom.person_id,
        ),
        today=tuesday,
    )
    mailer.send_pending(now=clock.from_local(tuesday, time(11, 15)))


def _print_message(m: email.message.Message) -> None:
    print("=" * 78)
    print(f"Date:    {m['Date']}")
    print(f"From:    {m['From']}")
    print(f"To:      {m['To']}")
    print(f"Subject: {m['Subject']}")
    print()
    for part in m.walk():
        if part.get_content_type() == "text/plain":
            print(part.get_payload(decode=True).decode("utf-8").rstrip())  # type: ignore[union-attr]  # get_payload(decode=True) on a leaf part gives bytes; typeshed also allows multipart
        elif part.get_content_type() == "text/calendar":
            from icalendar import Calendar

            cal = Calendar.from_ical(part.get_payload(decode=True))  # type: ignore[arg-type]  # get_payload(decode=True) on a leaf part gives bytes; typeshed also allows multipart
            event = cal.walk("VEVENT")[0]
            print(
                f"\n[attachment {part.get_filename()}: METHOD:{cal['METHOD']} UID:{event['UID']} "
                f"SEQUENCE:{event['SEQUENCE']} DTSTART:{event.decoded('DTSTART'):%Y-%m-%d %H:%M %Z} "
                f"SUMMARY:{event['SUMMARY']} LOCATION:{event.get('LOCATION', '')}]"
            )
    print()


if __name__ == "__main__":
    raise SystemExit(main())
