"""No case content ever goes by email: every kind of message Circle can send is made, against
a case whose every text is recognisable, and each whole email (subject, body and calendar
attachment, as bytes) is read for the case's reference, the family's names and every text
typed about it. None may appear. The same messages are what Home's *New for you* shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from sqlmodel import col, select

from db import clock, mailer, notifications, risk_log, sessions
from db.engine import session_scope
from db.models import AgendaItem, SupervisionSession
from db.notification_models import Notification
from tests import notify_world
from tests.notify_world import SECRETS, World

# The family's names, as they appear inside the typed texts.
FAMILY_NAMES = ("Thornbury", "Ellie-Mae", "Nan Thornbury")


@pytest.fixture
def world(db: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("CIRCLE_SMTP_URL", "smtp://127.0.0.1:9")
    monkeypatch.setenv("CIRCLE_PUBLIC_URL", "https://circle.example.org")
    return notify_world.build()


def _every_kind(w: World) -> None:
    sup, pat = w.sup.actor(), w.pat.actor()
    sid = notify_world.plan(w)
    item = sessions.bring(pat, sid, case_id=w.case_id, ask=SECRETS["ask"])
    with session_scope() as s:
        version = s.get(AgendaItem, item).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    sessions.save_notes(
        pat,
        item,
        discussion_notes=SECRETS["notes"],
        case_file_summary=SECRETS["summary"],
        summary_ready=True,
        version=version,
    )
    sessions.add_action(
        sup,
        sid,
        description=SECRETS["action"],
        owner_id=w.pat.person_id,
        due_on=clock.today() + timedelta(days=1),
        case_id=w.case_id,
    )
    thread = risk_log.create_entry(
        pat, w.team_id, notify_world.draft(w, (w.pat.person_id, w.zoe.person_id), review_in=2, session_id=sid)
    )
    detail = risk_log.thread(pat, thread)
    risk_log.revise(
        pat,
        thread,
        replace(detail.current.as_draft(), holder_ids=(w.pat.person_id, w.zoe.person_id, w.sup.person_id)),
        stamp=detail.stamp,
    )
    with session_scope() as s:
        v = s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    sessions.move(sup, sid, v, day=clock.today() + timedelta(days=4), start=time(11))
    with session_scope() as s:
        v = s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    sessions.cancel(sup, sid, v)
    tomorrow = clock.today() + timedelta(days=1)
    notifications.daily_pass(now=clock.from_local(tomorrow, time(8)))
    monday = tomorrow + timedelta(days=(7 - tomorrow.weekday()) % 7)
    notifications.daily_pass(now=clock.from_local(monday, time(8)))


def test_every_message_carries_no_reference_family_name_or_record_text(world: World) -> None:
    _every_kind(world)
    with session_scope() as s:
        rows = s.exec(select(Notification).order_by(col(Notification.id))).all()
        assert {r.kind for r in rows} == set(notifications.KINDS), "every kind of message is read here"
        for row in rows:
            msg = notifications.message(s, row)
            email = mailer.build_email(row, "someone@example.org", msg)
            whole = email.as_bytes().decode("utf-8", "replace")
            # Read the decoded parts too (bodies may be encoded on the wire).
            parts = " ".join(
                p.get_payload(decode=True).decode("utf-8", "replace")  # type: ignore[union-attr]  # get_payload(decode=True) on a leaf part gives bytes; typeshed also allows multipart
                for p in email.walk()
                if not p.is_multipart()
            )
            for text in (msg.subject, msg.body, whole, parts):
                for secret in (*SECRETS.values(), *FAMILY_NAMES):
                    assert secret not in text, (row.kind, secret)
            assert msg.link.startswith("https://circle.example.org/")
            assert "Open Circle" in msg.body


def test_the_worry_message_names_the_colleague_and_points_into_circle(world: World) -> None:
    risk_log.create_entry(
        world.pat.actor(),
        world.team_id,
        notify_world.draft(world, (world.pat.person_id, world.zoe.person_id)),
    )
    with session_scope() as s:
        row = s.exec(select(Notification).where(Notification.kind == "worry_holder")).one()
        msg = notifications.message(s, row)
    assert msg.subject == "You've been asked to hold a worry"
    assert "You've been asked to hold a worry with Pat. Open Circle to read it:" in msg.body
    assert msg.link == "https://circle.example.org/risk_log"


def test_the_digest_is_counts_and_kinds_only(world: World) -> None:
    _every_kind(world)
    with session_scope() as s:
        row = s.exec(
            select(Notification).where(
                Notification.kind == "weekly_digest", Notification.person_id == world.pat.person_id
            )
        ).one()
        body = notifications.message(s, row).body
    lines = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert all(any(ch.isdigit() for ch in line) for line in lines)
