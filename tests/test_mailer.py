"""Mail through a real SMTP server started inside the test (aiosmtpd on 127.0.0.1): what is
sent, to whom, with the invitation; a server that refuses and then recovers (nothing lost,
nothing sent twice); several senders at once; a wrong address is marked failed."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlmodel import col, select

from db import clock, mailer, notifications, risk_log
from db.engine import session_scope
from db.notification_models import Notification
from tests import notify_world
from tests.notify_world import World


class Inbox:
    """An SMTP handler that keeps what it accepts; `refuse` answers 451 that many times first."""

    def __init__(self, refuse: int = 0, reject_to: str = "") -> None:
        self.messages: list[Message] = []
        self.refuse = refuse
        self.reject_to = reject_to
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_to and address == self.reject_to:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 Busy, try again later"
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setenv("CIRCLE_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("CIRCLE_PUBLIC_URL", "https://circle.example.org")
    monkeypatch.setenv("CIRCLE_MAIL_FROM", "Circle <circle@example.org>")
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture
def world(db: str, smtp: tuple[Controller, Inbox]) -> World:
    return notify_world.build()


def _statuses() -> dict[int, tuple[str, int]]:
    with session_scope() as s:
        return {n.id: (n.status, n.attempts) for n in s.exec(select(Notification)).all()}


def _body(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]  # get_payload(decode=True) on a leaf part gives bytes; typeshed also allows multipart


def test_a_planned_session_reaches_each_inbox_with_its_invitation(world: World, smtp) -> None:
    _, inbox = smtp
    sid = notify_world.plan(world)
    result = mailer.send_pending()
    assert (result.sent, result.retrying, result.failed) == (2, 0, 0)
    assert sorted(m["To"] for m in inbox.messages) == ["pat@example.org", "zoe@example.org"]
    message = inbox.messages[0]
    assert message["From"] == "Circle <circle@example.org>"
    assert message["Subject"].startswith("Group supervision planned: ")
    assert f"https://circle.example.org/sessions?session={sid}" in _body(message)
    invite = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert invite.get_param("method") == "REQUEST"
    cal = Calendar.from_ical(invite.get_payload(decode=True))
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == f"circle-session-{sid}@circle.example.org"
    assert str(event["SUMMARY"]) == "Group supervision · Riverside Early Help"
    assert all(status == "sent" for status, _ in _statuses().values())
    # A second pass sends nothing again.
    assert mailer.send_pending().sent == 0
    assert len(inbox.messages) == 2


def test_a_server_that_refuses_then_recovers_loses_nothing_and_sends_nothing_twice(
    world: World, smtp
) -> None:
    _, inbox = smtp
    inbox.refuse = 3
    notify_world.plan(world)
    risk_log.create_entry(
        world.pat.actor(),
        world.team_id,
        notify_world.draft(world, (world.pat.person_id, world.zoe.person_id)),
    )
    now = clock.utcnow()
    first = mailer.send_pending(now=now)
    assert first.sent == 0 and first.retrying >= 1
    # Nothing is due again until its wait is over.
    assert mailer.send_pending(now=now + timedelta(seconds=5)).sent == 0
    later = now
    for _ in range(6):
        later += timedelta(hours=7)
        mailer.send_pending(now=later)
    statuses = _statuses()
    assert all(status == "sent" for status, _ in statuses.values()), statuses
    assert len(inbox.messages) == len(statuses) == 3
    assert len({m["Message-ID"] for m in inbox.messages}) == 3
    assert max(attempts for _, attempts in statuses.values()) >= 2


def test_an_unreachable_server_backs_off_further_each_time(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CIRCLE_SMTP_URL", "smtp://127.0.0.1:9")  # nothing listens there
    notify_world.plan(world)
    now = clock.utcnow()
    waits = []
    for _ in range(3):
        mailer.send_pending(now=now, timeout=2)
        with session_scope() as s:
            row = s.exec(select(Notification).order_by(col(Notification.id))).first()
            assert row is not None and row.status == "waiting"
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert waits[0] < waits[1] < waits[2]
    with session_scope() as s:
        row = s.exec(select(Notification)).first()
        assert row is not None and "ConnectionRefused" in row.last_error


def test_several_senders_at_once_send_each_message_once(world: World, smtp) -> None:
    _, inbox = smtp
    for days in (3, 4, 5):
        notify_world.plan(world, clock.today() + timedelta(days=days))
    results = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(mailer.send_pending(worker=f"server-{n}")))
        for n in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.sent for r in results) == 6
    assert len(inbox.messages) == 6
    assert len({m["Message-ID"] for m in inbox.messages}) == 6


def test_a_refused_address_is_marked_failed_and_can_be_sent_again(world: World, smtp) -> None:
    from tests import factories

    _, inbox = smtp
    inbox.reject_to = "zoe@example.org"
    notify_world.plan(world)
    result = mailer.send_pending()
    assert (result.sent, result.failed) == (1, 1)
    admin = factories.person("alex", "admin").actor()
    box = notifications.outbox(admin)
    assert box.counts["failed"] == 1 and box.counts["sent"] == 1
    failed = next(line for line in box.lines if line.status == "failed")
    assert failed.recipient == "zoe" and failed.last_error.startswith("550")
    inbox.reject_to = ""
    assert notifications.retry_failed(admin) == 1
    assert mailer.send_pending().sent == 1
    assert sorted(m["To"] for m in inbox.messages) == ["pat@example.org", "zoe@example.org"]


def test_the_command_runs_one_pass(world: World, smtp, capsys) -> None:
    from db.__main__ import main

    _, inbox = smtp
    notify_world.plan(world)
    assert main(["send-mail", "--once"]) == 0
    assert len(inbox.messages) == 2
    assert "2 sent" in capsys.readouterr().out


def test_smtp_urls_choose_tls_as_asked() -> None:
    assert mailer.smtp_settings("smtps://u:p%40ss@mail.example.org").mode == "tls"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("smtps://u:p%40ss@mail.example.org").password == "p@ss"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("smtps://mail.example.org").port == 465  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("smtp+starttls://mail.example.org").port == 587  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("smtp://mail.example.org:2525?starttls=1").mode == "starttls"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("smtp://relay").mode == "plain"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    assert mailer.smtp_settings("") is None
    with pytest.raises(ValueError):
        mailer.smtp_settings("http://mail.example.org")


@pytest.fixture
def tls_files(tmp_path) -> tuple[str, str]:
    """A certificate for 127.0.0.1, made here with openssl (its own authority)."""
    import subprocess

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_starttls_is_used_when_the_url_asks_and_the_certificate_is_checked(
    db: str, tls_files: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=_free_port(), tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        monkeypatch.setenv("CIRCLE_SMTP_URL", f"smtp+starttls://127.0.0.1:{controller.port}")
        w = notify_world.build()
        notify_world.plan(w)
        # Without trusting the server's certificate nothing is sent, and nothing is lost.
        assert mailer.send_pending().sent == 0
        assert not inbox.messages
        monkeypatch.setenv("CIRCLE_SMTP_CA_FILE", cert)
        assert mailer.send_pending(now=clock.utcnow() + timedelta(hours=1)).sent == 2
        assert len(inbox.messages) == 2
        # A plain URL against a server that requires STARTTLS is refused, never sent in clear.
        monkeypatch.setenv("CIRCLE_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
        notify_world.plan(w, clock.today() + timedelta(days=9))
        assert mailer.send_pending(now=clock.utcnow() + timedelta(hours=2)).sent == 0
        assert len(inbox.messages) == 2
    finally:
        controller.stop()


def test_smtps_speaks_tls_from_the_first_byte(
    db: str, tls_files: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), ssl_context=context)
    controller.start()
    try:
        monkeypatch.setenv("CIRCLE_SMTP_URL", f"smtps://127.0.0.1:{controller.port}")
        monkeypatch.setenv("CIRCLE_SMTP_CA_FILE", cert)
        w = notify_world.build()
        risk_log.create_entry(
            w.pat.actor(), w.team_id, notify_world.draft(w, (w.pat.person_id, w.zoe.person_id))
        )
        assert mailer.send_pending().sent == 1
        assert inbox.messages[0]["Subject"] == "You've been asked to hold a worry"
    finally:
        controller.stop()


def test_a_message_a_stopped_server_had_claimed_is_sent_after_a_while(world: World, smtp) -> None:
    """A server that stopped mid-send leaves its claim: the message is not lost, and another
    server sends it once the claim is stale (not while it may still be on its way)."""
    _, inbox = smtp
    notify_world.plan(world)
    now = clock.utcnow()
    with session_scope(write=True) as s:
        for row in s.exec(select(Notification)).all():
            row.status, row.claimed_by, row.claimed_at, row.attempts = "sending", "gone-server", now, 1
            s.add(row)
    assert mailer.send_pending(now=now + timedelta(minutes=2)).sent == 0
    assert mailer.send_pending(now=now + mailer.STALE_CLAIM + timedelta(minutes=1)).sent == 2
    assert len(inbox.messages) == 2
    assert all(status == "sent" for status, _ in _statuses().values())
