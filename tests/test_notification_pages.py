"""Issue 17 on the screens, through AppTest on the demo: Home's *New for you*, choices and the
calendar link on *Your account*, the supervisor's team defaults, the admin's outbox, the
sessions screen's calendar file and move/cancel, and case-file entries on the case page, the
record and the room after close."""

from __future__ import annotations

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from db import accounts, calendar, case_file, notifications, sessions
from db.engine import session_scope
from db.models import Case
from db.notification_models import CaseFileEntry, Notification
from db.seed.demo import DEMO_PASSWORD, load_demo
from tests.conftest import app_for


def _token(username: str) -> str:
    result = accounts.sign_in(username, DEMO_PASSWORD)
    assert result.ok
    return result.token or ""


def _all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader] + [i.value for i in at.info]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def _page(username: str, script: str, **params: str) -> AppTest:
    at = app_for(_token(username))
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(script).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def demo(sqlite_db: str) -> None:
    load_demo()


def test_home_shows_what_is_new_for_you_and_it_can_be_marked_seen(demo: None) -> None:
    at = app_for(_token("priya"))
    assert not at.exception
    priya = accounts.actor_for_token(_token("priya"))
    assert priya is not None
    unseen = [m for m in notifications.for_me(priya) if not m.seen]
    assert len(unseen) >= 2
    text = _all_text(at)
    assert f"New for you ({len(unseen)})" in text
    assert "You've been asked to hold a worry" in text
    assert "Group supervision planned\\: " in text  # shown as typed (escaped for markdown)
    assert [link for link in at.get("page_link") if link.proto.label.startswith("Open it in Circle: ")]
    at.button(key="for_you_seen").click().run()
    assert f"New for you ({len(unseen)})" not in _all_text(at) and "New for you" in _all_text(at)
    assert not [m for m in notifications.for_me(priya) if not m.seen]
    # Someone with nothing new sees no list at all.
    assert "New for you" not in _all_text(app_for(_token("leo")))


def test_your_account_keeps_your_choices_and_makes_a_calendar_link(demo: None) -> None:
    at = _page("priya", "pages/account.py")
    assert at.text_input(key="notify_choices_email").value == "priya.example@riverside-early-help.example"
    at.checkbox(key="notify_choices_weekly_digest").uncheck()
    at.button(key="FormSubmitter:notify_choices-Save what Circle tells me").click().run()
    assert not at.exception
    priya = accounts.actor_for_token(_token("priya"))
    assert priya is not None and notifications.my_choices(priya).chosen["weekly_digest"] is False
    at.button(key="calendar_feed_make").click().run()
    url = at.code[0].value
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = calendar.feed(token)
    assert feed is not None and "Group supervision · Riverside Early Help" in feed.replace("\r\n ", "")
    at.button(key="calendar_feed_stop").click().run()
    assert calendar.feed(token) is None


def test_a_bad_email_is_refused_and_kept_as_typed(demo: None) -> None:
    at = _page("tom", "pages/account.py")
    at.text_input(key="notify_choices_email").input("tom at riverside")
    at.button(key="FormSubmitter:notify_choices-Save what Circle tells me").click().run()
    assert "Your email address" in at.error[0].value
    assert at.text_input(key="notify_choices_email").value == "tom at riverside"


def test_the_supervisor_sets_the_teams_defaults_and_where_it_meets(demo: None) -> None:
    at = _page("hannah", "pages/account.py")
    place = next(
        t for t in at.text_input if (t.key or "").startswith("team_defaults_") and t.key.endswith("_place")  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    )
    team_id = int(place.key.split("_")[2])  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    key = f"team_defaults_{team_id}"
    assert at.text_input(key=f"{key}_place").value == "Riverside Family Hub, meeting room 2"
    at.text_input(key=f"{key}_place").input("The Old Library, upstairs")
    at.checkbox(key=f"{key}_action_due").uncheck()
    at.button(key=f"FormSubmitter:{key}-Save the team's defaults").click().run()
    assert not at.exception
    hannah = accounts.actor_for_token(_token("hannah"))
    assert hannah is not None
    saved = notifications.team_defaults(hannah, team_id)
    assert saved.where_we_meet == "The Old Library, upstairs" and saved.chosen["action_due"] is False
    # A practitioner has no team defaults form.
    assert not [
        t for t in _page("priya", "pages/account.py").text_input if (t.key or "").startswith("team_defaults_")
    ]


def test_the_admin_sees_the_outbox_without_bodies(demo: None) -> None:
    at = _page("alex", "pages/admin.py")
    text = _all_text(at)
    assert "Email from Circle: waiting, sent and failed" in text
    assert "Shown in Circle only" in [m.label for m in at.metric]


def test_the_sessions_screen_moves_and_cancels_and_offers_the_calendar_file(demo: None) -> None:
    hannah = accounts.actor_for_token(_token("hannah"))
    assert hannah is not None
    planned = next(line for line in sessions.sessions_for(hannah) if line.status == "planned")
    at = _page("hannah", "pages/sessions.py", session=str(planned.id))
    assert [b for b in at.get("download_button") if b.proto.label == "Add to my calendar (.ics)"]
    at.button(key=f"FormSubmitter:sessions_move_{planned.id}-Move the session").click().run()
    assert not at.exception
    with session_scope() as s:
        moved = s.exec(select(Notification).where(Notification.kind == "session_moved")).all()
    assert len(moved) >= 5  # everyone expected but Hannah
    at.checkbox(key=f"sessions_cancel_sure_{planned.id}").check().run()
    at.button(key=f"sessions_cancel_{planned.id}").click().run()
    assert "This session was cancelled" in _all_text(at)
    # A practitioner has the calendar file but not the move.
    priya_view = _page("priya", "pages/sessions.py", session=str(planned.id))
    assert not [e for e in priya_view.expander if e.label == "Move or cancel this session"]


def _case_with_entries() -> tuple[int, int]:
    with session_scope() as s:
        row = s.exec(
            select(CaseFileEntry).where(col_is_null(CaseFileEntry.copied_at)).order_by(col(CaseFileEntry.id))
        ).first()
        assert row is not None
        return row.case_id, row.session_id


def col_is_null(column):
    from sqlmodel import col

    return col(column).is_(None)


def test_the_case_page_lists_entries_and_a_practitioner_ticks_one_copied(demo: None) -> None:
    case_id, session_id = _case_with_entries()
    at = _page("hannah", "pages/case.py", case=str(case_id))
    text = _all_text(at)
    assert "Case-file entries" in text and "still to copy" in text
    key = f"cf_case_{case_id}_{session_id}"
    # An entry is built only when its expander is opened (the case page stays quick).
    assert not [b for b in at.get("download_button") if b.proto.label.startswith("Download the entry for ")]
    at.session_state[f"{key}_open"] = True
    at.run()
    assert [b for b in at.get("download_button") if b.proto.label.startswith("Download the entry for ")]
    copied = next(c for c in at.checkbox if c.key.startswith(f"{key}_copied_"))  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    copied.check().run()
    assert not at.exception
    hannah = accounts.actor_for_token(_token("hannah"))
    assert hannah is not None
    line = next(x for x in case_file.entries_for_case(hannah, case_id) if x.session_id == session_id)
    assert line.filed and line.copied_by == "Hannah Okafor"
    assert "Copied to the case file by Hannah Okafor" in _all_text(at)


def test_a_manager_sees_what_is_filed_but_not_the_entries(demo: None) -> None:
    case_id, _ = _case_with_entries()
    at = _page("marcus", "pages/case.py", case=str(case_id))
    text = _all_text(at)
    assert "Case-file entries" in text
    assert not [b for b in at.get("download_button") if "entry" in b.proto.label]
    assert not [c for c in at.checkbox if c.key and c.key.startswith("cf_")]


def test_the_record_and_the_room_after_close_offer_each_familys_entry(demo: None) -> None:
    _, session_id = _case_with_entries()
    record = _page("priya", "pages/session_record.py", session=str(session_id))
    assert "Case-file entries" in _all_text(record)
    with session_scope() as s:
        refs = {c.reference for c in s.exec(select(Case)).all()}
    labels = [e.label for e in record.expander if e.label.startswith("Case ")]
    assert labels and all(
        label.removeprefix("Case ").split(" · ")[0].replace("\\", "") in refs for label in labels
    )
    room = _page("priya", "pages/session_room.py", session=str(session_id))
    assert "Case-file entries" in _all_text(room)
