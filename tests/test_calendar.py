"""Calendar invitations and feeds, parsed back with icalendar: one UID per session for its
whole life, a higher SEQUENCE for each move and the cancellation, Europe/London with its
summer-time rules (a summer and a winter session both at 10:00 by the wall clock), and a
personal feed URL that works until it is revoked and holds no case content."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import col, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.testclient import TestClient

from db import calendar, clock, people, sessions
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import SupervisionSession
from db.notification_models import Notification
from server.calendar_routes import routes
from server.security import SecurityHeaders
from tests import factories, notify_world
from tests.notify_world import SECRETS, World

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def world(db: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("CIRCLE_SMTP_URL", "smtp://127.0.0.1:9")
    monkeypatch.setenv("CIRCLE_PUBLIC_URL", "https://circle.example.org")
    return notify_world.build()


def _version(sid: int) -> int:
    with session_scope() as s:
        return s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def _attachments(kind: str) -> list[Calendar]:
    with session_scope() as s:
        rows = s.exec(select(Notification).where(Notification.kind == kind).order_by(col(Notification.id))).all()
        return [Calendar.from_ical(r.attachment) for r in rows]


def _next(month: int, day: int) -> date:
    today = clock.today()
    found = date(today.year, month, day)
    return found if found > today + timedelta(days=1) else date(today.year + 1, month, day)


def test_a_summer_and_a_winter_session_keep_ten_oclock_with_the_london_rules(world: World) -> None:
    summer = notify_world.plan(world, _next(7, 14))
    winter = notify_world.plan(world, _next(1, 13))
    for sid, offset in ((summer, timedelta(hours=1)), (winter, timedelta(0))):
        cal = Calendar.from_ical(calendar.session_ics(world.pat.actor(), sid))
        event = cal.walk("VEVENT")[0]
        start = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert start.hour == 10 and start.utcoffset() == offset
        assert event.decoded("DTEND") - start == timedelta(minutes=90)
        zones = cal.walk("VTIMEZONE")
        assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
        # The zone carries both halves of the year: GMT and BST.
        names = {str(part["TZNAME"]) for part in zones[0].walk() if part.name in ("STANDARD", "DAYLIGHT")}
        assert {"GMT", "BST"} <= names
        # Read with the VTIMEZONE's own rules (as a calendar without a zone database would),
        # 10:00 that day has the same offset.
        own_rules = zones[0].to_tz()  # type: ignore[attr-defined]  # icalendar's walk() is typed as Component; a VTIMEZONE comes back as a Timezone
        assert start.replace(tzinfo=own_rules).utcoffset() == offset
        assert start.astimezone(LONDON).hour == 10


def test_moving_and_cancelling_keep_the_uid_and_raise_the_sequence(world: World) -> None:
    sid = notify_world.plan(world)
    sup = world.sup.actor()
    sessions.move(sup, sid, _version(sid), day=clock.today() + timedelta(days=6), start=time(13, 30))
    sessions.cancel(sup, sid, _version(sid))
    planned = _attachments("session_planned")[0]
    moved = _attachments("session_moved")[0]
    cancelled = _attachments("session_cancelled")[0]
    events = [c.walk("VEVENT")[0] for c in (planned, moved, cancelled)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]  # type: ignore[arg-type]  # icalendar types a property as any value type; SEQUENCE is an integer
    assert [str(c["METHOD"]) for c in (planned, moved, cancelled)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert events[1].decoded("DTSTART").time() == time(13, 30)
    # Each invitation names its one person as the attendee, and Circle as the organiser.
    assert {str(a) for c in _attachments("session_planned") for a in [c.walk("VEVENT")[0]["ATTENDEE"]]} == {
        "mailto:pat@example.org",
        "mailto:zoe@example.org",
    }
    assert str(events[0]["ORGANIZER"]).startswith("mailto:circle@")
    # The download offers the same event, as it is now.
    download = Calendar.from_ical(calendar.session_ics(world.pat.actor(), sid)).walk("VEVENT")[0]
    assert str(download["UID"]) == str(events[0]["UID"]) and int(download["SEQUENCE"]) == 2  # type: ignore[arg-type]  # icalendar types a property as any value type; SEQUENCE is an integer


def test_the_download_is_for_the_team_only(world: World) -> None:
    sid = notify_world.plan(world)
    for someone in (world.nia, world.max):
        with pytest.raises(NotAllowed):
            calendar.session_ics(someone.actor(), sid)


def test_a_personal_feed_works_until_revoked_and_holds_no_case_content(world: World) -> None:
    from dataclasses import replace

    from db import risk_log

    sid = notify_world.plan(world)
    item = sessions.bring(world.pat.actor(), sid, case_id=world.case_id, ask=SECRETS["ask"])
    assert item
    risk_log.create_entry(
        world.pat.actor(),
        world.team_id,
        replace(notify_world.draft(world, (world.pat.person_id, world.zoe.person_id))),
    )
    from db import notifications

    defaults = notifications.team_defaults(world.sup.actor(), world.team_id)
    notifications.save_team_defaults(
        world.sup.actor(),
        world.team_id,
        chosen=defaults.chosen,
        where_we_meet="Riverside Hub, room 2",
        version=0,
    )
    url = calendar.make_feed(world.pat.actor())
    assert url.startswith("https://circle.example.org/calendar/") and url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 40
    client = TestClient(Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)]))
    answer = client.get(f"/calendar/{token}.ics")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    text = answer.text
    for secret in SECRETS.values():
        assert secret not in text
    event = Calendar.from_ical(answer.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Group supervision · Riverside Early Help"
    assert str(event["LOCATION"]) == "Riverside Hub, room 2"
    assert calendar.feed_state(world.pat.actor()).active
    # A new link replaces the old one; revoking ends it.
    second = calendar.make_feed(world.pat.actor()).rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{second}.ics").status_code == 200
    calendar.revoke_feed(world.pat.actor())
    assert client.get(f"/calendar/{second}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert not calendar.feed_state(world.pat.actor()).active


def test_a_feed_ends_with_its_owners_access(world: World) -> None:
    token = calendar.make_feed(world.zoe.actor()).rsplit("/", 1)[1].removesuffix(".ics")
    assert calendar.feed(token) is not None
    admin = factories.person("alex", "admin").actor()
    from db.models import Person

    with session_scope() as s:
        version = s.get(Person, world.zoe.person_id).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    people.set_active(admin, world.zoe.person_id, False)
    assert calendar.feed(token) is None
    del version


def test_managers_trainers_and_admins_get_no_feed(world: World) -> None:
    for someone in (world.max, factories.person("ruth", "trainer"), factories.person("alex", "admin")):
        with pytest.raises(NotAllowed):
            calendar.make_feed(someone.actor())
