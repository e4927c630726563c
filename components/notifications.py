"""Notifications on screen: Home's *New for you*, your choices and calendar link on *Your
account*, the supervisor's team defaults, the administrator's outbox, and a session's
calendar file on the sessions screen."""

from __future__ import annotations

import streamlit as st

from components import downloads, fields, forms, text
from components.text import plain
from db import calendar, clock, notifications
from db.access import Actor, supervised_team_ids
from db.errors import EditConflict, NotAllowed, NotValid

_PAGES = {
    "session_planned": "pages/sessions.py",
    "session_moved": "pages/sessions.py",
    "session_cancelled": "pages/sessions.py",
    "worry_holder": "pages/risk_log.py",
    "review_due": "pages/risk_log.py",
}


def new_for_you(actor: Actor) -> None:
    """What Circle has told you in the last fortnight (by mail too, when mail is set up)."""
    if actor.role not in notifications.NOTIFIED_ROLES:
        return
    found = notifications.for_me(actor)
    if not found:
        return
    unseen = [m for m in found if not m.seen]
    st.header(f"New for you ({len(unseen)})" if unseen else "New for you")
    for m in found:
        with st.container(border=True):
            mark = "" if m.seen else "New · "
            st.markdown(f"**{mark}{plain(m.subject)}**")
            st.caption(f"{clock.when(m.created_at, '%A %d %B, %H:%M')}")
            st.text(m.body)
            page = _PAGES.get(m.kind)
            if page:
                params = {}
                if "session=" in m.path:
                    params = {"session": m.path.rsplit("session=", 1)[1]}
                st.page_link(
                    page,
                    label=f"Open it in Circle: {plain(m.subject)}",
                    query_params=params,
                    icon=":material/arrow_forward:",
                )
    if unseen and st.button("I've seen these", key="for_you_seen"):
        notifications.mark_seen(actor, [m.id for m in unseen])
        st.rerun()


def choices(actor: Actor) -> None:
    """Your own choices: where mail goes, and which kinds you get."""
    if actor.role not in notifications.NOTIFIED_ROLES:
        return
    mine = notifications.my_choices(actor)
    st.header("What Circle tells you")
    if mine.mail_on:
        st.caption(
            "Circle sends a short email when something is waiting for you. It never puts anything about "
            "a child or family in it: it says what kind of thing is waiting and links to it here."
        )
    else:
        st.caption(
            "Email isn't set up on this Circle yet, so these appear on your Home page under New for you. "
            "Your choices already apply there."
        )
    key = "notify_choices"
    base = f"{key}_base"
    if base not in st.session_state:
        st.session_state[base] = mine.version
    with st.form(key):
        email = fields.text("Your email address", value=mine.email, limit=254, key=f"{key}_email")
        picked = {}
        for choice, label in notifications.CHOICES.items():
            team = "on" if mine.team_default.get(choice, True) else "off"
            picked[choice] = st.checkbox(
                label,
                value=mine.chosen[choice],
                key=f"{key}_{choice}",
                help=f"Your team's default is {team}." if choice not in mine.own else None,
            )
        if st.form_submit_button("Save what Circle tells me"):
            try:
                notifications.save_choices(actor, email=email, chosen=picked, version=st.session_state[base])
                st.session_state.pop(base, None)
                st.success("Saved. Circle will tell you about these from now on.", icon=":material/check:")
            except NotValid as problem:
                forms.show_problems(problem, {"email": "Your email address"})
            except EditConflict as conflict:
                st.session_state[base] = mine.version
                forms.show_conflict(conflict)


def team_defaults(actor: Actor) -> None:
    """The supervisor's defaults for each team they supervise, and where the team meets."""
    for team_id in supervised_team_ids(actor):
        current = notifications.team_defaults(actor, team_id)
        st.header(f"{plain(current.team_name)}: what Circle tells the team")
        st.caption(
            "Until someone chooses for themselves on their account page, these apply to everyone in the "
            "team. Where the team meets goes into calendar invitations."
        )
        key = f"team_defaults_{team_id}"
        base = f"{key}_base"
        if base not in st.session_state:
            st.session_state[base] = current.version
        with st.form(key):
            place = fields.text(
                "Where the team meets", value=current.where_we_meet, limit=120, key=f"{key}_place"
            )
            picked = {
                choice: st.checkbox(label, value=current.chosen[choice], key=f"{key}_{choice}")
                for choice, label in notifications.CHOICES.items()
            }
            if st.form_submit_button("Save the team's defaults"):
                try:
                    notifications.save_team_defaults(
                        actor, team_id, chosen=picked, where_we_meet=place, version=st.session_state[base]
                    )
                    st.session_state.pop(base, None)
                    st.success("Saved for the team.", icon=":material/check:")
                except NotValid as problem:
                    forms.show_problems(problem, {"where_we_meet": "Where the team meets"})
                except EditConflict as conflict:
                    st.session_state[base] = current.version
                    forms.show_conflict(conflict)


def calendar_feed(actor: Actor) -> None:
    """Your personal calendar link: make one (shown once), or stop it."""
    if actor.role not in calendar.FEED_ROLES:
        return
    st.header("Group supervision in your own calendar")
    st.caption(
        'A private link Outlook or Google Calendar can subscribe to ("add calendar from URL"). It '
        'holds only "Group supervision" with your team\'s name, the time and the place: nothing '
        "about any child or family. Anyone with the link can see those times, so keep it to yourself."
    )
    state = calendar.feed_state(actor)
    shown = st.session_state.get("calendar_feed_url")
    if shown:
        st.code(shown, language=None)
        st.caption("Copy it now: for your safety Circle shows it only this once.")
    elif state.active:
        st.caption(f"You made a calendar link on {clock.when(state.created_at, '%d %B %Y')}.")  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
    cols = st.columns(2)
    if cols[0].button(
        "Make a new calendar link" if state.active else "Make my calendar link", key="calendar_feed_make"
    ):
        st.session_state["calendar_feed_url"] = calendar.make_feed(actor)
        st.rerun()
    if state.active and cols[1].button("Stop my calendar link", key="calendar_feed_stop"):
        calendar.revoke_feed(actor)
        st.session_state.pop("calendar_feed_url", None)
        st.success(
            "Stopped. Calendars using that link will get nothing more from Circle.", icon=":material/check:"
        )
        st.rerun()


def outbox(actor: Actor) -> None:
    """What is waiting, sent and failed: kinds, recipients and status (never what a message says)."""
    box = notifications.outbox(actor)
    st.caption(
        "Messages say only what kind of thing is waiting and link into Circle, so nothing here holds "
        "case content. Without a mail server (CIRCLE_SMTP_URL) they are shown on people's Home page only."
    )
    cols = st.columns(4)
    for col, status in zip(cols, ("waiting", "sent", "failed", "in_app"), strict=True):
        col.metric(notifications.STATUS_LABELS[status], box.counts.get(status, 0))
    if box.lines:
        text.table(
            [
                {
                    "Kind": line.kind.replace("_", " "),
                    "To": line.recipient,
                    "Status": notifications.STATUS_LABELS.get(line.status, line.status),
                    "Tries": line.attempts,
                    "Made": clock.when(line.created_at, "%d %b %H:%M"),
                    "Sent or next try": clock.when(line.sent_at or line.next_attempt_at, "%d %b %H:%M"),
                    "What the mail server said": line.last_error,
                }
                for line in box.lines
            ]
        )
    else:
        st.caption("Nothing has been sent by email yet.")
    if box.counts.get("failed") and st.button("Try the failed ones again", key="outbox_retry"):
        n = notifications.retry_failed(actor)
        st.success(f"{n} will be tried again on the sender's next pass.", icon=":material/check:")


def session_ics(actor: Actor, session_id: int, *, key: str) -> None:
    """The chosen session as a calendar file."""
    try:
        downloads.file(
            "Add to my calendar (.ics)",
            lambda who: calendar.session_ics(who, session_id),
            file_name=f"group-supervision-{session_id}.ics",
            key=key,
            help="Opens in Outlook, Google Calendar or your phone's calendar: the time and place only.",
        )
    except NotAllowed:
        pass


_FLASH = "sessions_calendar_flash"


def session_controls(actor: Actor, view) -> None:
    """On the sessions screen: the session as a calendar file, and for its supervisor, moving
    or cancelling it while it is still planned (everyone expected is told, with an updated
    invitation or a cancellation for their calendar)."""
    said = st.session_state.pop(_FLASH, None)
    if said:
        st.success(said, icon=":material/check:")
    if view.status == "cancelled":
        st.info(
            "This session was cancelled. Calendars that had it have been sent a cancellation.",
            icon=":material/event_busy:",
        )
        return
    if view.status == "closed":
        return
    session_ics(actor, view.id, key=f"sessions_ics_{view.id}")
    if not (view.i_facilitate and view.status == "planned"):
        return
    with st.expander("Move or cancel this session"):
        _move_form(actor, view)
        _cancel(actor, view)


def _move_form(actor: Actor, view) -> None:
    from datetime import time, timedelta

    from db import sessions

    today = clock.today()
    local = clock.local(view.scheduled_for)
    with st.form(f"sessions_move_{view.id}"):
        day = fields.date(
            "New date",
            value=local.date(),
            key=f"sessions_move_day_{view.id}",
            earliest=today - timedelta(days=1),
            latest=today + timedelta(days=366),
        )
        start = st.time_input(
            "New start time",
            value=local.time().replace(tzinfo=None),
            step=timedelta(minutes=15),
            key=f"sessions_move_start_{view.id}",
            help="UK time, as your calendar shows it.",
        )
        if st.form_submit_button("Move the session"):
            try:
                sessions.move(
                    actor,
                    view.id,
                    view.version,
                    day=day,  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                    start=start if isinstance(start, time) else None,
                )
                st.session_state[_FLASH] = (
                    "Moved. Everyone expected has been told, with an updated invitation."
                )
                st.session_state.pop("sessions_list", None)
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"day": "New date", "start": "New start time"})
            except EditConflict as conflict:
                forms.show_conflict(conflict)


def _cancel(actor: Actor, view) -> None:
    from db import sessions

    sure = st.checkbox("Yes, cancel this session for everyone", key=f"sessions_cancel_sure_{view.id}")
    if st.button("Cancel the session", disabled=not sure, key=f"sessions_cancel_{view.id}"):
        try:
            sessions.cancel(actor, view.id, view.version)
            st.session_state[_FLASH] = (
                "Cancelled. Everyone expected has been told, with a cancellation for their calendar."
            )
            st.session_state.pop("sessions_list", None)
            st.rerun()
        except (NotValid, EditConflict, NotAllowed) as refused:
            st.warning(
                getattr(refused, "message", None) or "; ".join(getattr(refused, "problems", {}).values())
            )
