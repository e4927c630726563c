"""Issue 17 end to end in Debian's Chromium, against a real Circle server with the demo team
and a real SMTP server started inside the test (aiosmtpd on 127.0.0.1). The server's own
background sender delivers the mail.

Priya reads *New for you* on Home and makes her calendar link on *Your account*; the link is
fetched from the server and parsed with icalendar. Hannah moves next week's session on
*Group supervision*: Priya's inbox receives the update with its invitation (same UID, a
higher SEQUENCE), and nothing of any case. Hannah sees the case-file entries on a case's
page and the session record. Each screen is audited with axe (0 violations); screenshots
land in test-artifacts/notifications/.
"""

from __future__ import annotations

import email
import socket
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from tests.browser import ARTIFACTS, LAUNCH_ARGS, audit, own_server, sign_in, wait_for_app

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS.parent / "notifications"
PUBLIC = "http://circle.test"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[tuple[str, Path, Inbox]]:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    folder = tmp_path_factory.mktemp("notifications")
    env = {
        "CIRCLE_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "CIRCLE_MAIL_INTERVAL": "1",
        "CIRCLE_PUBLIC_URL": PUBLIC,
        "CIRCLE_MAIL_FROM": "Circle <circle@circle.test>",
    }
    try:
        with own_server(folder, extra_env=env) as base:
            yield base, folder / "circle.db", inbox
    finally:
        smtp.stop()


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _signed_in(browser, base: str, username: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, base, username)
    return page


def test_priya_reads_new_for_you_and_subscribes_to_her_calendar(site, browser) -> None:
    base, _db, _inbox = site
    page = _signed_in(browser, base, "priya")
    page.get_by_text("New for you").first.wait_for()
    page.get_by_text("You've been asked to hold a worry").first.wait_for()
    _shot(page, "home-new-for-you")
    audit(page, "home-new-for-you")

    page.goto(base + "/account")
    wait_for_app(page)
    page.get_by_role("button", name="Make my calendar link").click()
    code = page.locator("code").filter(has_text="/calendar/").first
    code.wait_for()
    url = code.inner_text().strip()
    assert url.startswith(PUBLIC + "/calendar/")
    _shot(page, "account-calendar-link")
    audit(page, "account-calendar-link")
    with urllib.request.urlopen(base + url.removeprefix(PUBLIC), timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(answer.read())
    events = cal.walk("VEVENT")
    assert events and all(str(e["SUMMARY"]) == "Group supervision · Riverside Early Help" for e in events)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/London"]
    page.close()


def test_hannah_moves_the_session_and_priyas_inbox_gets_the_update(site, browser) -> None:
    base, db_path, inbox = site
    with sqlite3.connect(db_path) as conn:
        sid, when = conn.execute(
            "SELECT id, scheduled_for FROM supervision_session WHERE status = 'planned' ORDER BY scheduled_for LIMIT 1"
        ).fetchone()
    day = date.fromisoformat(str(when)[:10]) + timedelta(days=1)
    page = _signed_in(browser, base, "hannah")
    page.goto(f"{base}/sessions?session={sid}")
    wait_for_app(page)
    page.get_by_text("Move or cancel this session").click()
    page.get_by_role("textbox", name="New date").fill(f"{day:%d/%m/%Y}")
    page.get_by_role("button", name="Move the session").click()
    wait_for_app(page)
    _shot(page, "sessions-moved")
    audit(page, "sessions-moved")

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(
        m["Subject"].startswith("Group supervision moved") for m in inbox.messages
    ):
        time.sleep(0.5)
    moved = [m for m in inbox.messages if m["Subject"].startswith("Group supervision moved")]
    assert len(moved) == 1, [m["Subject"] for m in inbox.messages]
    message = moved[0]
    assert message["To"] == "priya.example@riverside-early-help.example"
    body = (
        next(p for p in message.walk() if p.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )
    assert f"{PUBLIC}/sessions?session={sid}" in body
    invite = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(invite.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(event["UID"]) == f"circle-session-{sid}@circle.test" and int(event["SEQUENCE"]) == 1  # type: ignore[arg-type]  # icalendar types a property as any value type; SEQUENCE is an integer
    assert event.decoded("DTSTART").date() == day
    with sqlite3.connect(db_path) as conn:
        refs = [r for (r,) in conn.execute("SELECT reference FROM case_record")]
    whole = message.as_string()
    assert not [ref for ref in refs if ref in whole]
    # The server's sender marked it sent, once.
    with sqlite3.connect(db_path) as conn:
        statuses = conn.execute(
            "SELECT status, attempts FROM notification WHERE kind = 'session_moved' AND status != 'in_app'"
        ).fetchall()
    assert statuses == [("sent", 1)]
    page.close()


def test_hannah_sees_what_is_still_to_file(site, browser) -> None:
    base, db_path, _inbox = site
    with sqlite3.connect(db_path) as conn:
        case_id, sid = conn.execute(
            "SELECT case_id, session_id FROM case_file_entry WHERE copied_at IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
    page = _signed_in(browser, base, "hannah")
    page.goto(f"{base}/case?case={case_id}")
    wait_for_app(page)
    page.get_by_text("Case-file entries").first.scroll_into_view_if_needed()
    page.locator("summary").filter(has_text="still to copy").first.click()
    page.locator("strong:visible").filter(has_text="Summary for the case file").first.wait_for()
    page.wait_for_timeout(800)  # the expander's opening animation
    _shot(page, "case-file-entries")
    audit(page, "case-file-entries")
    page.goto(f"{base}/session_record?session={sid}")
    wait_for_app(page)
    page.get_by_text("Case-file entries").first.scroll_into_view_if_needed()
    _shot(page, "record-case-file-entries")
    audit(page, "record-case-file-entries")
    page.close()
