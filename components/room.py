"""The pieces of the session room: the live part of each screen, the step-by-step forms on
the shared screen, and the practitioner's own-device view.

Live, cheaply: each screen has ONE live part (`identity.live`, so every refresh re-checks the
sign-in). On each refresh it reads the session's one-row state (`sessions.room_state`): when
the step or status moved since the page was drawn, the whole page is drawn again (a device
follows the shared screen; a close shows the record link); when only entries were added, the
live part reads them again; when nothing moved, it redraws what it read last time, kept in
this browser tab's session state under the row's stamp (nothing shared between people or
servers, so several servers on one database agree).

Forms stay outside the live part, so a refresh never touches what someone is typing. Every
form keeps what was typed when a save is refused and says what to fix; a form used for
several people ("add for someone in the room") starts empty after each save. The forms live
in components/room_forms.py and the discussion and actions steps in components/room_steps.py;
both are reachable from here as before (`room.arrival_form`, `room.discussion`, ...).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from components import identity, lens, session_pick, text, trend
from components.room_forms import (  # noqa: F401  (the forms stay reachable as room.x)
    _FLASH,
    PRIVACY,
    _clear,
    _nobody_chosen,
    _who,
    arrival_form,
    attendance_form,
    check_in_form,
    closing_form,
    flash,
    show_flash,
)
from components.room_steps import (  # noqa: F401
    _OUTCOMES,
    _discussion_links,
    _new_action_form,
    _review_due,
    _review_earlier,
    _review_row,
    _save_notes,
    _save_review,
    actions_step,
    discussion,
)
from components.text import plain
from db import clock, sessions
from db.access import Actor
from db.errors import NotAllowed
from db.sessions import CHECK_IN_ITEMS, CLOSING_ITEMS, Item, SessionView

# How often a live part asks whether the room changed: a change shows within this, plus a
# moment to draw it (the promise is three seconds).
LIVE_SECONDS = 2.0
# A practitioner's device asks a little less often: seven devices to one shared screen per
# team, and a county's rooms share one server (benchmarks/live_rooms.py). A step change or a
# close still reaches a device within three seconds.
DEVICE_SECONDS = 2.5
# The closing round is shown on the shared screen as the team's spread once this many have
# closed, so nobody's answers stand out.
SPREAD_FROM = 3

_CACHE = "room_live_cache"

T = TypeVar("T")


# ------------------------------------------------------------------ shared pieces


def _cached(slot: str, stamp: tuple, read: Callable[[], T]) -> T:
    """`read()` again only when the room's stamp moved; otherwise what this tab read last."""
    store: dict[str, tuple[tuple, Any]] = st.session_state.setdefault(_CACHE, {})
    kept = store.get(slot)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = read()
    store[slot] = (stamp, value)
    return value


def large_type(on: bool) -> None:
    """The shared screen's large type: everything the room reads together gets bigger (text,
    fields, tables, headings), the sidebar folds away, and the step starts near the top."""
    if not on:
        return
    st.html(
        """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2rem; padding: 0; }
[data-testid="stMain"] h2 { font-size: 2.3rem; }
[data-testid="stMain"] h3 { font-size: 1.8rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] textarea, [data-testid="stMain"] input,
[data-testid="stMain"] table, [data-testid="stMain"] th, [data-testid="stMain"] td,
[data-testid="stMain"] [data-baseweb="select"] { font-size: 1.35rem; }
[data-testid="stMain"] [data-testid="stText"] { font-size: 1.35rem; white-space: pre-wrap; }
</style>
"""
    )


def step_label(view: SessionView) -> str:
    """ "Case discussion: DF-58" (user text escaped: a progress line reads markdown)."""
    stage = view.current
    item = view.item(stage.item_id)
    label = sessions.STEP_LABELS[stage.step]
    if item is not None:
        label += f": {plain(item.case_reference or 'a theme')}"
    return label


def progress(view: SessionView) -> None:
    total = len(view.stages)
    st.progress((view.position + 1) / total, text=f"Step {view.position + 1} of {total} · {step_label(view)}")
    started = view.step_started_at or clock.utcnow()
    used = max(0, int((clock.utcnow() - started).total_seconds() // 60))
    box = view.time_box_minutes()
    if used <= box:
        st.caption(f"{used} of {box} minutes for this part")
    else:
        st.caption(
            f"{used} minutes so far: {used - box} over the {box} planned. Extend, or move on when ready."
        )


def _moved(state: sessions.RoomState, drawn: tuple[str, int]) -> bool:
    return (state.status, state.version) != drawn


# ------------------------------------------------------------------ the shared screen, live


def facilitator_live(view: SessionView, *, waiting_for_check_in: bool, large: bool) -> None:
    """The shared screen's live part: progress, and what the current step shows together."""
    _facilitator_live(view.id, (view.status, view.version), waiting_for_check_in, large)


@identity.live(run_every=LIVE_SECONDS)
def _facilitator_live(
    actor: Actor, session_id: int, drawn: tuple[str, int], waiting: bool, large: bool
) -> None:
    try:
        state = sessions.room_state(actor, session_id)
    except NotAllowed as refused:
        st.warning(refused.message)
        return
    if _moved(state, drawn):
        st.rerun(scope="app")  # someone moved the step on, or closed: draw the page afresh
    view = _cached("view", state.stamp, lambda: sessions.view(actor, session_id))
    progress(view)
    step = view.current.step
    if step == "arrival":
        arrival_circle(_cached("arrivals", state.stamp, lambda: sessions.arrivals(actor, session_id)), view)
    elif step == "check_ins":
        item = view.item(view.current.item_id)
        if item is not None and item.case_id is not None:
            history = _cached(
                f"history_{item.id}",
                state.stamp,
                lambda: sessions.check_in_history(actor, item.case_id),  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            )
            this_session = [c for c in history if c.session_id == session_id]
            if waiting and this_session:
                st.rerun(scope="app")  # it arrived from their device: put the form away
            check_in_shown(history, this_session, item, large=large)
    elif step == "closing":
        closing_spread(_cached("closings", state.stamp, lambda: sessions.closings(actor, session_id)), view)


def arrival_circle(arrivals: tuple[sessions.Arrival, ...], view: SessionView) -> None:
    expected = sum(a.attendance != "apologies" for a in view.attendees)
    st.write(f"{len(arrivals)} of {expected} have arrived")
    if not arrivals:
        st.caption("As people share how they're arriving, they'll appear here.")
        return
    cols = st.columns(3)
    for n, a in enumerate(arrivals):
        with cols[n % 3].container(border=True):
            st.markdown(f"**{plain(a.name)}** · {a.score} out of 10")
            if a.word:
                st.text(a.word)
            if a.needs_team:
                st.caption("Would like the team's help today")


def check_in_shown(
    history: tuple[sessions.CheckIn, ...], this_session: list, item: Item, *, large: bool = False
) -> None:
    """The check-in as the room sees it: the trend, any drop, and today's answers. No language
    hints here: on the shared screen they would read as correcting a colleague in public."""
    trend.check_in_trend(history, key=f"room_trend_{item.id}", large=large)
    trend.drop_notes(sessions.drops(history))
    if item.case_id is not None:  # the young person's own answers beside these (issue 19); nothing if none
        from components import young_voice

        young_voice.beside(identity.actor(), item.case_id, large=large)
    if not this_session:
        st.caption(
            f"Waiting for {plain(item.brought_by)}'s check-in. They can add it from their own device, "
            "or you can add it for them here."
        )
        return
    latest = this_session[-1]
    text.table({label: [getattr(latest, k)] for k, label in CHECK_IN_ITEMS.items()})
    if sessions.all_at_top(latest):
        st.info("Everything is at 10. What would make it better still?", icon=":material/lightbulb:")
    for label, words in (
        ("What's working", latest.working_well),
        ("What gets in the way", latest.gets_in_the_way),
        ("What they would say", latest.what_they_would_say),
        ("What's changed in response", latest.what_i_changed),
    ):
        if words:
            st.caption(label)
            st.text(words)


def closing_spread(closings: tuple[sessions.Closing, ...], view: SessionView) -> None:
    """The closing round on the shared screen: the team's spread and the words people chose to
    share, never who said what (each person sees their own on their device)."""
    present = sum(a.attendance == "present" for a in view.attendees)
    st.write(f"{len(closings)} of {present or len(view.attendees)} have closed")
    if len(closings) < SPREAD_FROM:
        st.caption(
            f"The team's spread shows here once {SPREAD_FROM} people have closed, so nobody's answers stand out."
        )
        return
    rows = []
    for key, label in CLOSING_ITEMS.items():
        values = sorted(getattr(c, key) for c in closings)
        rows.append(
            {
                "": label,
                "Lowest": values[0],
                "Middle": f"{statistics.median(values):g}",
                "Highest": values[-1],
                "Everyone's, low to high": " · ".join(str(v) for v in values),
            }
        )
    text.table(rows)
    words = sorted((c.word for c in closings if c.word), key=str.casefold)
    if words:
        st.caption("Words people chose to share")
        st.text(" · ".join(words))


# ------------------------------------------------------------------ a practitioner's device


def participant(actor: Actor, view: SessionView) -> None:
    """A practitioner's own device: where the room is, and the form that fits this step."""
    _participant_live(view.id, (view.status, view.version))
    mine = [i for i in view.items if i.brought_by_id == actor.person_id and i.case_id is not None]
    step = view.current.step if view.status == "running" else "arrival"
    if step in ("actions", "closing"):
        first, rest = "closing", ("arrival", "check_ins")
    elif step in ("check_ins", "discussion") and mine:
        first, rest = "check_ins", ("arrival", "closing")
    else:
        first, rest = "arrival", ("check_ins", "closing")
    _own_part(actor, view, first, mine)
    with st.expander("Something from another part of the session"):
        for part in rest:
            _own_part(actor, view, part, mine)


def _own_part(actor: Actor, view: SessionView, part: str, mine: list[Item]) -> None:
    if part == "arrival":
        st.header("How you're arriving")
        arrival_form(actor, view, (), for_room=False)
    elif part == "closing":
        st.header("Closing")
        closing_form(actor, view, (), for_room=False)
        own = [c for c in sessions.closings(actor, view.id) if c.person_id == actor.person_id]
        if own:
            c = own[0]
            word = f" · “{c.word}”" if c.word else ""
            st.caption("What you shared (the shared screen shows the team's spread, not names)")
            st.text(f"Heard {c.felt_heard} · helped {c.helped_my_work} · held {c.held_my_worries}{word}")
    else:
        st.header("Your check-ins")
        if not mine:
            st.caption(
                "When you bring a child or family to the session, their relationship check-in appears here."
            )
        for item in mine:
            st.markdown(f"**{plain(item.case_reference)}**")
            history = sessions.check_in_history(actor, item.case_id)  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            done = [c for c in history if c.session_id == view.id]
            if done:
                latest = done[-1]
                st.caption("Shared with the room")
                st.text(" · ".join(f"{label}: {getattr(latest, k)}" for k, label in CHECK_IN_ITEMS.items()))
                # The lens, only for the person who wrote it, on their own device.
                lens.hint(
                    "\n".join([latest.working_well, latest.gets_in_the_way, latest.what_i_changed]),
                    key=f"room_mycheck_lens_{latest.id}",
                )
            else:
                check_in_form(
                    actor,
                    view,
                    item,
                    actor.person_id,
                    sessions.team_people(actor, view.team_id),
                    key=f"room_mycheck_{item.id}",
                )


@identity.live(run_every=DEVICE_SECONDS)
def _participant_live(actor: Actor, session_id: int, drawn: tuple[str, int]) -> None:
    try:
        state = sessions.room_state(actor, session_id)
    except NotAllowed as refused:
        st.warning(refused.message)
        return
    if _moved(state, drawn):
        st.rerun(scope="app")  # the shared screen moved on or closed: show what fits now
    if state.status == "planned":
        st.info(
            "The session hasn't started yet. You can share how you're arriving now if you like.",
            icon=":material/schedule:",
        )
        return
    view = _cached("view", state.stamp, lambda: sessions.view(actor, session_id))
    st.info(f"The room is on: {step_label(view)}", icon=":material/groups:")


def record_link(view: SessionView, label: str = "Read the record") -> None:
    st.page_link(
        "pages/session_record.py",
        label=label,
        icon=":material/description:",
        query_params=session_pick.params(view.id),
    )
