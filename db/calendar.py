"""Group supervision in people's own calendars (iCalendar, RFC 5545, built with `icalendar`).

- An invitation per session, attached to the "session planned" email and downloadable from
  the sessions screen. Its UID is stable for the session's whole life; moving or
  cancelling the session raises its SEQUENCE (`SessionCalendar`), so Outlook and Google
  Calendar replace the event they already hold instead of adding a second one.
- A personal feed (`GET /calendar/<token>.ics`): a long random token in the URL, its
  SHA-256 in the database, revocable on *Your account*.

Times are written in the team's time zone (Europe/London by default) with a VTIMEZONE that
carries its summer-time rules, so 10:00 stays 10:00 in March and in November. Nothing here
names a case or a family: an event says "Group supervision · <team>", when, and where.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vCalAddress
from sqlmodel import Session, col, select

from db import audit, clock, notifications
from db.access import Actor
from db.engine import session_scope
from db.errors import NotAllowed
from db.models import Membership, Person, SupervisionSession, Team
from db.notification_models import CalendarFeed, SessionCalendar

FEED_ROLES = ("practitioner", "supervisor")
PRODID = "-//Circle//Group supervision//EN"


def _host() -> str:
    return urlsplit(notifications.public_url()).hostname or "circle.local"


def uid(session_id: int) -> str:
    """The same for a session from planning to cancellation, on every server."""
    return f"circle-session-{int(session_id)}@{_host()}"


def sequence(s: Session, session_id: int) -> int:
    row = s.get(SessionCalendar, session_id)
    return row.sequence if row else 0


def bump_sequence(s: Session, session_id: int, *, first: bool = False) -> int:
    """The session's SEQUENCE after this change: 0 when planned, one more for each move or
    cancellation (locked on PostgreSQL so two changes never share a number)."""
    row = s.get(SessionCalendar, session_id, with_for_update=True)
    if row is None:
        row = SessionCalendar(session_id=session_id, sequence=0)
    elif not first:
        row.sequence += 1
    s.add(row)
    s.flush()
    return row.sequence


def _event(s: Session, session: SupervisionSession, *, seq: int, cancel: bool) -> Event:
    team = s.get(Team, session.team_id)
    start = clock.local(session.scheduled_for)
    event = Event()
    event.add("uid", uid(int(session.id)))
    event.add("sequence", seq)
    event.add("dtstamp", clock.utcnow())
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.duration_minutes))
    event.add("summary", f"Group supervision · {team.name if team else 'your team'}")
    place = notifications.where_we_meet(s, session.team_id)
    if place:
        event.add("location", place)
    event.add("url", f"{notifications.public_url()}/sessions?session={session.id}")
    cancelled = cancel or session.status == "cancelled"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def _finish(cal: Calendar) -> str:
    # The VTIMEZONE for every TZID used, with its daylight-saving rules.
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def _organizer() -> vCalAddress:
    from db.mailer import sender_address

    address = vCalAddress(f"mailto:{sender_address()}")
    address.params["cn"] = "Circle"
    return address


def invitation_for(
    s: Session, session: SupervisionSession, person_id: int, *, sequence: int, cancel: bool
) -> str:
    """A REQUEST (or CANCEL) for one person, as the session stands inside this transaction."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    event = _event(s, session, seq=sequence, cancel=cancel)
    event.add("organizer", _organizer())
    email = notifications._email_of(s, person_id)
    person = s.get(Person, person_id)
    if email:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = person.display_name if person else ""
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["partstat"] = "NEEDS-ACTION"
        event.add("attendee", attendee)
    cal.add_component(event)
    return _finish(cal)


def session_ics(actor: Actor, session_id: int) -> bytes:
    """The chosen session as a file to open in any calendar (the sessions screen's download)."""
    from db import sessions

    with session_scope(write=True) as s:
        found = sessions._load(s, actor, session_id)
        cal = _calendar("PUBLISH")
        cal.add_component(_event(s, found, seq=sequence(s, session_id), cancel=False))
        audit.by(s, actor, "export", "session_ics", session_id, found.team_id)
        return _finish(cal).encode("utf-8")


# ------------------------------------------------------------------ personal feeds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class FeedState:
    active: bool
    created_at: object | None


def feed_state(actor: Actor) -> FeedState:
    if actor.role not in FEED_ROLES:
        raise NotAllowed("Calendar links are for the people who come to group supervision.")
    with session_scope() as s:
        row = s.exec(
            select(CalendarFeed).where(
                CalendarFeed.person_id == actor.person_id, col(CalendarFeed.revoked_at).is_(None)
            )
        ).first()
        return FeedState(row is not None, row.created_at if row else None)


def make_feed(actor: Actor) -> str:
    """A new feed link for yourself (any earlier one stops working). The token is shown once:
    only its hash is kept."""
    if actor.role not in FEED_ROLES:
        raise NotAllowed("Calendar links are for the people who come to group supervision.")
    token = secrets.token_urlsafe(32)
    with session_scope(write=True) as s:
        _revoke(s, actor.person_id)
        s.add(CalendarFeed(person_id=actor.person_id, token_hash=_hash(token)))
        audit.by(s, actor, "create", "calendar_feed", actor.person_id)
    return f"{notifications.public_url()}/calendar/{token}.ics"


def _revoke(s: Session, person_id: int) -> int:
    rows = s.exec(
        select(CalendarFeed).where(
            CalendarFeed.person_id == person_id, col(CalendarFeed.revoked_at).is_(None)
        )
    ).all()
    for row in rows:
        row.revoked_at = clock.utcnow()
        s.add(row)
    return len(rows)


def revoke_feed(actor: Actor) -> int:
    with session_scope(write=True) as s:
        n = _revoke(s, actor.person_id)
        audit.by(s, actor, "revoke", "calendar_feed", actor.person_id)
        return n


def feed(token: str, *, past_days: int = 90) -> str | None:
    """The feed behind a token: the person's teams' sessions from three months back on, or
    None when the token is unknown, revoked, or its owner can no longer come to sessions."""
    if not token or len(token) > 200:
        return None
    with session_scope() as s:
        row = s.exec(
            select(CalendarFeed).where(
                CalendarFeed.token_hash == _hash(token), col(CalendarFeed.revoked_at).is_(None)
            )
        ).first()
        if row is None:
            return None
        person = s.get(Person, row.person_id)
        if person is None or not person.is_active or person.role not in FEED_ROLES:
            return None
        team_ids = s.exec(
            select(Membership.team_id).where(
                Membership.person_id == person.id,
                col(Membership.left_on).is_(None),
                col(Membership.role).in_(FEED_ROLES),
            )
        ).all()
        found = s.exec(
            select(SupervisionSession)
            .where(
                col(SupervisionSession.team_id).in_(team_ids),
                SupervisionSession.scheduled_for >= clock.utcnow() - timedelta(days=past_days),
            )
            .order_by(col(SupervisionSession.scheduled_for))
        ).all()
        cal = _calendar("PUBLISH")
        cal.add("x-wr-calname", "Group supervision (Circle)")
        for session in found:
            cal.add_component(_event(s, session, seq=sequence(s, int(session.id)), cancel=False))
        return _finish(cal)
