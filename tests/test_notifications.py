"""Notifications through the data layer, on SQLite and PostgreSQL: what goes into the outbox,
in the same transaction as the change that caused it, for whom, and what each person chose."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlmodel import col, select

from db import clock, notifications, risk_log, sessions
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import SupervisionSession
from db.notification_models import Notification
from tests import notify_world
from tests.notify_world import World


@pytest.fixture
def world(db: str, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("CIRCLE_SMTP_URL", "smtp://127.0.0.1:9")
    return notify_world.build()


def _rows(**where: object) -> list[Notification]:
    with session_scope() as s:
        query = select(Notification).order_by(col(Notification.id))
        for key, value in where.items():
            query = query.where(getattr(Notification, key) == value)
        return list(s.exec(query).all())


def _version(sid: int) -> int:
    with session_scope() as s:
        return s.get(SupervisionSession, sid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def test_planning_a_session_tells_everyone_expected_but_the_planner(world: World) -> None:
    sid = notify_world.plan(world)
    rows = _rows(kind="session_planned")
    assert {r.person_id for r in rows} == {world.pat.person_id, world.zoe.person_id}
    assert all(r.session_id == sid and r.status == "waiting" for r in rows)
    assert all("BEGIN:VCALENDAR" in r.attachment and "METHOD:REQUEST" in r.attachment for r in rows)


def test_moving_and_cancelling_a_session_tell_the_team(world: World) -> None:
    sid = notify_world.plan(world)
    sup = world.sup.actor()
    new_day = clock.today() + timedelta(days=5)
    sessions.move(sup, sid, _version(sid), day=new_day, start=time(14))
    moved = _rows(kind="session_moved")
    assert {r.person_id for r in moved} == {world.pat.person_id, world.zoe.person_id}
    assert clock.local(sessions.view(sup, sid).scheduled_for).time() == time(14)
    assert "SEQUENCE:1" in moved[0].attachment
    sessions.cancel(sup, sid, _version(sid))
    cancelled = _rows(kind="session_cancelled")
    assert len(cancelled) == 2 and "METHOD:CANCEL" in cancelled[0].attachment
    assert "SEQUENCE:2" in cancelled[0].attachment
    assert sessions.view(sup, sid).status == "cancelled"
    # A cancelled session can't be started, and its day is free again.
    with pytest.raises(NotValid):
        sessions.start(sup, sid, _version(sid))
    sessions.plan(sup, world.team_id, day=new_day, start=time(10), duration_minutes=90)


def test_only_the_supervisor_moves_or_cancels_and_a_stale_move_is_refused(world: World) -> None:
    sid = notify_world.plan(world)
    version = _version(sid)
    with pytest.raises(NotAllowed):
        sessions.move(world.pat.actor(), sid, version, day=clock.today() + timedelta(days=4), start=time(9))
    with pytest.raises(NotAllowed):
        sessions.cancel(world.nia.actor(), sid, version)
    sessions.move(world.sup.actor(), sid, version, day=clock.today() + timedelta(days=4), start=time(9))
    with pytest.raises(EditConflict):
        sessions.cancel(world.sup.actor(), sid, version)
    with pytest.raises(NotValid) as problem:
        sessions.move(world.sup.actor(), sid, _version(sid), day=None, start=None)
    assert set(problem.value.problems) == {"day", "start"}


def test_a_refused_change_leaves_no_message(world: World) -> None:
    sid = notify_world.plan(world)
    before = len(_rows())
    with pytest.raises(EditConflict):
        sessions.move(world.sup.actor(), sid, 99, day=clock.today() + timedelta(days=4), start=time(9))
    assert len(_rows()) == before


def test_naming_holders_tells_the_new_holders_only(world: World) -> None:
    pat = world.pat.actor()
    thread = risk_log.create_entry(
        pat, world.team_id, notify_world.draft(world, (world.pat.person_id, world.zoe.person_id))
    )
    rows = _rows(kind="worry_holder")
    assert [(r.person_id, r.colleague_id, r.thread_id) for r in rows] == [
        (world.zoe.person_id, world.pat.person_id, thread)
    ]
    detail = risk_log.thread(pat, thread)
    from dataclasses import replace

    risk_log.revise(
        pat,
        thread,
        replace(
            detail.current.as_draft(),
            holder_ids=(world.pat.person_id, world.zoe.person_id, world.sup.person_id),
        ),
        stamp=detail.stamp,
    )
    rows = _rows(kind="worry_holder")
    assert [r.person_id for r in rows] == [world.zoe.person_id, world.sup.person_id]


def test_the_daily_pass_adds_each_reminder_once(world: World) -> None:
    sid = notify_world.plan(world)
    sup = world.sup.actor()
    action_id = sessions.add_action(
        sup,
        sid,
        description=notify_world.SECRETS["action"],
        owner_id=world.zoe.person_id,
        due_on=clock.today() + timedelta(days=1),
    )
    risk_log.create_entry(
        sup, world.team_id, notify_world.draft(world, (world.pat.person_id, world.zoe.person_id), review_in=2)
    )
    tomorrow_noon = clock.from_local(clock.today() + timedelta(days=1), time(12))
    first = notifications.daily_pass(now=tomorrow_noon)
    again = notifications.daily_pass(now=tomorrow_noon + timedelta(hours=3))
    assert again == 0
    assert [r.action_id for r in _rows(kind="action_due")] == [action_id]
    assert {r.person_id for r in _rows(kind="review_due")} == {world.pat.person_id, world.zoe.person_id}
    digests = 0 if (clock.today() + timedelta(days=1)).weekday() else len(_rows(kind="weekly_digest"))
    assert first == 3 + digests


def test_the_digest_comes_on_mondays_once_a_week_with_counts_only(world: World) -> None:
    day = clock.today()
    monday = day + timedelta(days=(7 - day.weekday()) % 7 or 7)
    at = clock.from_local(monday, time(7))
    notifications.daily_pass(now=at)
    notifications.daily_pass(now=at + timedelta(hours=5))
    digests = _rows(kind="weekly_digest")
    people = {
        world.sup.person_id,
        world.pat.person_id,
        world.zoe.person_id,
        world.nia.person_id,
        world.max.person_id,
    }
    assert {r.person_id for r in digests} == people and len(digests) == len(people)
    assert set(notifications._counts(digests[0].counts)) == {
        "sessions",
        "actions_due",
        "worries_held",
        "reviews_due",
    }
    notifications.daily_pass(now=at + timedelta(days=1))
    assert len(_rows(kind="weekly_digest")) == len(people)


def test_people_choose_what_they_get_and_the_team_default_applies_until_they_do(world: World) -> None:
    sup = world.sup.actor()
    defaults = notifications.team_defaults(sup, world.team_id)
    notifications.save_team_defaults(
        sup,
        world.team_id,
        chosen={**defaults.chosen, "sessions": False},
        where_we_meet="Room 2",
        version=defaults.version,
    )
    mine = notifications.my_choices(world.pat.actor())
    assert mine.chosen["sessions"] is False and mine.email == "pat@example.org"
    notifications.save_choices(
        world.pat.actor(), email="pat@example.org", chosen={"sessions": True}, version=mine.version
    )
    notify_world.plan(world)
    assert {r.person_id for r in _rows(kind="session_planned")} == {world.pat.person_id}
    with pytest.raises(NotAllowed):
        notifications.team_defaults(world.pat.actor(), world.team_id)
    with pytest.raises(NotAllowed):
        notifications.team_defaults(world.nia.actor(), world.team_id)
    with pytest.raises(EditConflict):
        notifications.save_choices(world.pat.actor(), email="", chosen={}, version=mine.version)
    with pytest.raises(NotValid):
        notifications.save_choices(
            world.pat.actor(), email="not an address", chosen={}, version=mine.version + 1
        )


def test_without_a_mail_server_messages_are_kept_for_home(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CIRCLE_SMTP_URL")
    notify_world.plan(world)
    rows = _rows(kind="session_planned")
    assert rows and all(r.status == "in_app" and r.attachment == "" for r in rows)
    mine = notifications.for_me(world.pat.actor())
    assert [m.kind for m in mine] == ["session_planned"]
    assert mine[0].path.startswith("/sessions?session=") and not mine[0].seen
    assert "attached" not in mine[0].body and "Open Circle to see the agenda" in mine[0].body
    # Only your own: someone else's ids change nothing.
    assert notifications.mark_seen(world.zoe.actor(), [mine[0].id]) == 0
    assert notifications.mark_seen(world.pat.actor(), [mine[0].id]) == 1
    assert notifications.for_me(world.pat.actor())[0].seen
    assert notifications.for_me(world.sup.actor()) == ()


def test_the_outbox_is_the_administrators_and_shows_no_bodies(world: World) -> None:
    from tests import factories

    notify_world.plan(world)
    admin = factories.person("alex", "admin").actor()
    box = notifications.outbox(admin)
    assert box.counts["waiting"] == 2
    assert {line.recipient for line in box.lines} == {"pat", "zoe"}
    assert not any(hasattr(line, "body") or hasattr(line, "subject") for line in box.lines)
    for someone in (world.sup, world.pat, world.max):
        with pytest.raises(NotAllowed):
            notifications.outbox(someone.actor())


def test_a_change_and_its_message_land_together(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing the message fails, the session isn't planned either (one transaction)."""

    def broken(*_a: object, **_k: object) -> datetime:
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr(notifications, "session_changed", broken)
    with pytest.raises(RuntimeError):
        notify_world.plan(world)
    with session_scope() as s:
        assert s.exec(select(SupervisionSession)).all() == []


def test_several_actions_due_the_same_day_make_one_reminder(world: World) -> None:
    sid = notify_world.plan(world)
    sup = world.sup.actor()
    due = clock.today() + timedelta(days=2)
    for what in ("Ring school", "Write to Nan", "Book the room"):
        sessions.add_action(sup, sid, description=what, owner_id=world.zoe.person_id, due_on=due)
    at = clock.from_local(due, time(7))
    notifications.daily_pass(now=at)
    notifications.daily_pass(now=at + timedelta(hours=6))
    rows = _rows(kind="action_due")
    assert [(r.person_id, notifications._counts(r.counts)) for r in rows] == [
        (world.zoe.person_id, {"actions": 3})
    ]
    with session_scope() as s:
        msg = notifications.message(s, rows[0])
    assert msg.subject == "3 actions of yours are due today"
