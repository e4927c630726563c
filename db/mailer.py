"""Delivering the outbox by mail: `python -m db send-mail` (from a timer, or looping), or a
background thread in each server when `CIRCLE_SMTP_URL` is set.

Safe with several servers at once: a sender *claims* a message with one conditional UPDATE
(`... WHERE id = ? AND status = 'waiting'`); whichever server's UPDATE changes the row
sends it, every other one moves on. A message a server claimed and then never finished
(it stopped mid-send) is claimed again after `STALE_CLAIM`.

Never losing a message: a refused or unreachable server leaves the message waiting, with
the next try further off each time (1, 2, 4 ... minutes, at most 6 hours); after
`MAX_ATTEMPTS` tries, or when the server says the address itself is wrong (a 5xx answer),
it is marked failed and shows on the admin screen, which can send the failed ones again.
Each message carries a Message-ID made from its outbox id, so a receiving server can
recognise a repeat.

`CIRCLE_SMTP_URL`:
- `smtp://host:25` plain (a relay on the same network), add `?starttls=1` for STARTTLS
- `smtp+starttls://user:password@host:587` STARTTLS (certificate checked)
- `smtps://user:password@host:465` TLS from the start
`CIRCLE_MAIL_FROM` is the sender (default `Circle <circle@` + the public host + `>`).
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from sqlmodel import col, select, update

from db import clock, notifications
from db.engine import session_scope
from db.models import Person
from db.notification_models import Notification, NotificationChoice

log = logging.getLogger("circle.mailer")
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def sender_address() -> str:
    return parseaddr(_sender())[1]


def _sender() -> str:
    configured = os.environ.get("CIRCLE_MAIL_FROM", "").strip()
    if configured:
        return configured
    host = urlsplit(notifications.public_url()).hostname or "localhost"
    return f"Circle <circle@{host}>"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mode: str  # plain, starttls, tls
    username: str
    password: str


def smtp_settings(url: str | None = None) -> SmtpSettings | None:
    url = (url if url is not None else os.environ.get("CIRCLE_SMTP_URL", "")).strip()
    if not url:
        return None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.scheme == "smtps":
        mode, port = "tls", 465
    elif parts.scheme == "smtp+starttls" or query.get("starttls", ["0"])[0] in ("1", "true", "yes"):
        mode, port = "starttls", 587
    elif parts.scheme == "smtp":
        mode, port = "plain", 25
    else:
        raise ValueError("CIRCLE_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://")
    return SmtpSettings(
        parts.hostname or "localhost",
        parts.port or port,
        mode,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
    )


def _tls() -> ssl.SSLContext:
    """Certificates are always checked; a council's own certificate authority can be added
    with CIRCLE_SMTP_CA_FILE."""
    return ssl.create_default_context(cafile=os.environ.get("CIRCLE_SMTP_CA_FILE", "").strip() or None)


def _connect(cfg: SmtpSettings, timeout: float) -> smtplib.SMTP:
    if cfg.mode == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=timeout, context=_tls())
    else:
        server = smtplib.SMTP(cfg.host, cfg.port, timeout=timeout)
        if cfg.mode == "starttls":
            server.starttls(context=_tls())
    if cfg.username:
        server.login(cfg.username, cfg.password)
    return server


def build_email(
    row: Notification, to: str, msg: notifications.Message, *, sent_at: datetime | None = None
) -> EmailMessage:
    email = EmailMessage()
    email["From"] = _sender()
    email["To"] = to
    email["Subject"] = msg.subject
    email["Date"] = format_datetime(clock.local(sent_at or clock.utcnow()))
    email["Message-ID"] = (
        f"<circle-notification-{row.id}@{urlsplit(notifications.public_url()).hostname or 'circle.local'}>"
    )
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(msg.body)
    if row.attachment:
        method = "CANCEL" if "METHOD:CANCEL" in row.attachment else "REQUEST"
        email.add_attachment(
            row.attachment.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="cancelled.ics" if method == "CANCEL" else "invitation.ics",
            params={"method": method},
        )
    return email


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_WAIT * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


@dataclass(frozen=True)
class Pass:
    sent: int
    retrying: int
    failed: int


def _claim(row_id: int, worker: str, now: datetime) -> bool:
    with session_scope(write=True) as s:
        result = s.exec(
            update(Notification)
            .where(
                col(Notification.id) == row_id,
                ((col(Notification.status) == "waiting") & (col(Notification.next_attempt_at) <= now))
                | (
                    (col(Notification.status) == "sending")
                    & (col(Notification.claimed_at) < now - STALE_CLAIM)
                ),
            )
            .values(
                status="sending", claimed_at=now, claimed_by=worker[:80], attempts=Notification.attempts + 1
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _finish(row_id: int, worker: str, **values: object) -> None:
    with session_scope(write=True) as s:
        s.exec(
            update(Notification)
            .where(col(Notification.id) == row_id, col(Notification.claimed_by) == worker[:80])
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def send_pending(
    *, now: datetime | None = None, limit: int = 100, worker: str | None = None, timeout: float = 20.0
) -> Pass:
    """Deliver what is waiting and due. One connection to the mail server per pass; a
    message the server refuses waits for its next turn, nothing else is held up by it."""
    cfg = smtp_settings()
    if cfg is None:
        return Pass(0, 0, 0)
    now = now or clock.utcnow()
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    sent = retrying = failed = 0
    server: smtplib.SMTP | None = None
    try:
        for row_id in _due(now, limit):
            if not _claim(row_id, worker, now):
                continue  # another server has it
            email, attempts = _prepare(row_id, now)
            if email is None:
                _finish(
                    row_id, worker, status="failed", last_error="No email address, or the account has ended."
                )
                failed += 1
                continue
            try:
                if server is None:
                    server = _connect(cfg, timeout)
                server.send_message(email)
            except (smtplib.SMTPException, OSError) as exc:
                if _refused(row_id, worker, exc, attempts, now):
                    retrying += 1
                else:
                    failed += 1
                if server is not None:
                    _quietly_close(server)
                    server = None
            else:
                _finish(row_id, worker, status="sent", sent_at=clock.utcnow(), last_error="")
                sent += 1
    finally:
        if server is not None:
            _quietly_close(server)
    if sent or retrying or failed:
        log.info("mail pass: %s sent, %s to retry, %s failed", sent, retrying, failed)
    return Pass(sent, retrying, failed)


def _due(now: datetime, limit: int) -> list[int]:
    """Messages waiting and due, and those a server claimed and then went quiet on."""
    with session_scope() as s:
        return [
            int(i)
            for i in s.exec(
                select(Notification.id)
                .where(
                    ((col(Notification.status) == "waiting") & (col(Notification.next_attempt_at) <= now))
                    | (
                        (col(Notification.status) == "sending")
                        & (col(Notification.claimed_at) < now - STALE_CLAIM)
                    )
                )
                .order_by(col(Notification.id))
                .limit(limit)
            ).all()
        ]


def _prepare(row_id: int, now: datetime) -> tuple[EmailMessage | None, int]:
    """The email for a claimed message (None if there's no address or the account has ended),
    and how many tries it has had."""
    with session_scope() as s:
        row = s.get(Notification, row_id)
        assert row is not None
        choice = s.get(NotificationChoice, row.person_id)
        person = s.get(Person, row.person_id)
        to = choice.email if choice else ""
        msg = notifications.message(s, row)
        email = build_email(row, to, msg, sent_at=max(now, clock.utcnow())) if to else None
        attempts = row.attempts
    if person is None or not person.is_active:
        return None, attempts
    return email, attempts


def _refused(row_id: int, worker: str, exc: BaseException, attempts: int, now: datetime) -> bool:
    """The server turned a message away: it waits for another try (True), or, refused for
    good or tried often enough, it has failed (False)."""
    permanent = 500 <= _code(exc) < 600
    if permanent or attempts >= MAX_ATTEMPTS:
        _finish(row_id, worker, status="failed", last_error=_describe(exc))
        return False
    _finish(
        row_id,
        worker,
        status="waiting",
        claimed_at=None,
        claimed_by=None,
        next_attempt_at=now + _backoff(attempts),
        last_error=_describe(exc),
    )
    return True


def _code(exc: BaseException) -> int:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return min((code for code, _ in exc.recipients.values()), default=0)
    return exc.smtp_code if isinstance(exc, smtplib.SMTPResponseException) else 0


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"[:200]
    if isinstance(exc, smtplib.SMTPResponseException):
        said = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{exc.smtp_code} {said}"[:200]
    return f"{type(exc).__name__}: {exc}"[:200]


def _quietly_close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


def run_once(*, now: datetime | None = None) -> Pass:
    """The daily pass (idempotent) then one delivery pass."""
    notifications.daily_pass(now=now)
    return send_pending(now=now)


def run_forever(interval: float = 60.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            run_once()
        except Exception:  # keep sending next time: a bad pass must not end the loop
            log.exception("mail pass failed")
        stop.wait(interval)


_started = threading.Lock()
_thread: threading.Thread | None = None


def start_background(interval: float | None = None) -> bool:
    """Start the sender once per server process, when mail is configured (every
    `CIRCLE_MAIL_INTERVAL` seconds, 60 by default)."""
    global _thread
    if smtp_settings() is None:
        return False
    if interval is None:
        try:
            interval = max(1.0, float(os.environ.get("CIRCLE_MAIL_INTERVAL", "60")))
        except ValueError:
            interval = 60.0
    with _started:
        if _thread is not None and _thread.is_alive():
            return False
        _thread = threading.Thread(target=run_forever, args=(interval,), name="circle-mailer", daemon=True)
        _thread.start()
        return True
