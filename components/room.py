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
several people ("add for someone in the room") starts empty after each save.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import streamlit as st

from components import a11y, fields, forms, identity, lens, session_pick, text, trend
from components.navigation import SCREENS
from components.scale import ends, scale
from components.text import plain
from db import clock, sessions
from db.access import Actor, pages_for
from db.errors import EditConflict, NotAllowed, NotValid
from db.pseudonymise import free_text_warning
from db.sessions import CHECK_IN_ITEMS, CLOSING_ITEMS, Item, SessionView, TeamPerson

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

PRIVACY = (
    "Who sees this: the people in this session and your supervisor. It stays within your team; "
    "managers only ever see team totals."
)
_FLASH = "room_flash"
_CACHE = "room_live_cache"

T = TypeVar("T")


# ------------------------------------------------------------------ shared pieces


def flash(message: str) -> None:
    """A thank-you shown after the rerun a save causes."""
    st.session_state[_FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        a11y.notice(message)


def _clear(*keys: str) -> None:
    """Empty a form's fields for the next person (their widgets start from their defaults)."""
    for key in keys:
        st.session_state.pop(key, None)


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


# ------------------------------------------------------------------ forms


def _who(people: tuple[TeamPerson, ...], key: str) -> int | None:
    names = {p.id: p.name for p in people}
    return st.selectbox(
        "Who is this for?",
        list(names),
        index=None,
        placeholder="Choose who",
        format_func=names.__getitem__,
        key=key,
    )


def _nobody_chosen() -> NotValid:
    return NotValid({"person": "Please choose who this is for."})


def arrival_form(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...], *, for_room: bool) -> None:
    key = "room_arrival_for" if for_room else "room_arrival_me"
    keys = (f"{key}_who", f"{key}_score", f"{key}_word", f"{key}_needs")
    with st.form(key):
        if for_room:
            person_id = _who(people, keys[0])
        else:
            person_id = actor.person_id
            st.caption(PRIVACY)
        ends("running on empty", "full of energy")
        score = scale(
            "How are you arriving today?", key=keys[1], low="running on empty", high="full of energy"
        )
        word = fields.text("A word for how you are (optional)", key=keys[2], limit=40)
        needs = st.checkbox("I'd like the team's help today", key=keys[3])
        if st.form_submit_button(
            "Add to the circle" if for_room else "Share how I'm arriving", type="primary"
        ):
            labels = {"score": "How you're arriving", "word": "A word for how you are", "person": "Who"}
            try:
                if person_id is None:
                    raise _nobody_chosen()
                sessions.record_arrival(
                    actor, view.id, person_id=person_id, score=score, word=word, needs_team=needs
                )
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            if for_room:
                _clear(*keys)  # the next person starts from an empty form
                flash("Added to the circle.")
                st.rerun()
            a11y.notice("Thank you. You're in the circle.")


def check_in_form(
    actor: Actor,
    view: SessionView,
    item: Item,
    practitioner_id: int,
    people: tuple[TeamPerson, ...],
    *,
    key: str,
) -> None:
    """A relationship check-in for one case; after a save the form empties (and the live part
    shows what was saved)."""
    names = {p.id: p.name for p in people}
    text_keys = {
        "working": ("What's working in the relationship?", "working_well"),
        "way": ("What gets in the way?", "gets_in_the_way"),
        "say": ("What would they say about us?", "what_they_would_say"),
        "changed": ("What have you changed in response?", "what_i_changed"),
    }
    keys = [f"{key}_{k}" for k in CHECK_IN_ITEMS] + [f"{key}_{k}" for k in text_keys]
    keys += [f"{key}_own", f"{key}_best"]
    with st.form(key):
        ends("not yet", "as strong as it could be")
        scores = {k: scale(label, key=f"{key}_{k}") for k, label in CHECK_IN_ITEMS.items()}
        typed = {
            field: fields.area(label, key=f"{key}_{short}", limit=1500)
            for short, (label, field) in text_keys.items()
        }
        own_words = st.checkbox("These are their own words", key=f"{key}_own")
        best = st.selectbox(
            "Who has the best relationship with them?",
            [None, *names],
            format_func=lambda p: "Not sure yet" if p is None else names[p],
            key=f"{key}_best",
        )
        if st.form_submit_button("Save the check-in", type="primary"):
            labels = dict(CHECK_IN_ITEMS) | {field: label for label, field in text_keys.values()}
            try:
                sessions.record_check_in(
                    actor,
                    view.id,
                    item.case_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                    practitioner_id=practitioner_id,
                    scores=scores,
                    their_own_words=own_words,
                    best_relationship_person_id=best,
                    **typed,
                )
            except NotValid as problem:
                forms.show_problems(problem, labels)
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            _clear(*keys)
            flash("Check-in saved.")
            st.rerun()


def discussion(actor: Actor, item: Item, *, shared_screen: bool) -> None:
    allowed = pages_for(actor.role)
    if item.case_id is not None and "case" in allowed:
        st.page_link(
            "pages/case.py",
            label=f"Open {plain(item.case_reference)} on the case board",
            icon=":material/folder_open:",
            query_params={"case": str(item.case_id)},
        )
    if "risk_log" in allowed:
        st.page_link(
            SCREENS["risk_log"].script, label="Open what the team is holding", icon=SCREENS["risk_log"].icon
        )
    saved_key = f"room_notes_saved_{item.id}"
    with st.form(f"room_notes_{item.id}"):
        notes = fields.area(
            "What the team thought together",
            value=item.discussion_notes,
            height=180,
            key=f"room_notes_text_{item.id}",
            limit=6000,
        )
        summary = fields.area(
            "Summary for the case file (short; the reflective notes above stay in Circle)",
            value=item.case_file_summary,
            key=f"room_summary_{item.id}",
            limit=2000,
        )
        ready = st.checkbox(
            "The summary is ready for the case file", value=item.summary_ready, key=f"room_ready_{item.id}"
        )
        if st.form_submit_button("Save notes"):
            try:
                sessions.save_notes(
                    actor,
                    item.id,
                    discussion_notes=notes,
                    case_file_summary=summary,
                    summary_ready=ready,
                    version=item.version,
                )
                a11y.notice("Notes saved.")
                st.session_state[saved_key] = True
                noticed = free_text_warning(
                    {"discussion_notes": notes, "case_file_summary": summary},
                    {"discussion_notes": "Notes", "case_file_summary": "Summary for the case file"},
                )
                if noticed:
                    st.warning(plain(noticed), icon=":material/visibility:")
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "discussion_notes": "What the team thought together",
                        "case_file_summary": "Summary for the case file",
                    },
                )
            except EditConflict as conflict:
                forms.show_conflict(conflict)
    # Language hints only for the person writing, on their own device: never projected.
    if not shared_screen and st.session_state.get(saved_key):
        lens.hint(f"{notes}\n{summary}", key=f"room_notes_lens_{item.id}")


def actions_step(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...]) -> None:
    names = {p.id: p.name for p in people}
    _review_earlier(actor, view)
    st.subheader("What we're agreeing today")
    agreed = sessions.session_actions(actor, view.id)
    if agreed:
        text.table(
            [
                {
                    "What": a.description,
                    "Who": a.owner,
                    "By": f"{a.due_on:%d %b %Y}",
                    "For": a.case_reference or "the team",
                    "Carried over?": "carried over" if a.carried_from_id else "new today",
                }
                for a in agreed
            ]
        )
    else:
        st.caption("Nothing agreed yet today.")
    _new_action_form(actor, view, names)


_OUTCOMES = {"done": "Done", "carried_over": "Carry it over", "dropped": "Let it go"}


def _review_earlier(actor: Actor, view: SessionView) -> None:
    """Last session's actions as one compact list: a status for each that has come due, one
    save for them all; those not due yet are carried on without a question."""
    earlier = sessions.actions_to_review(actor, view.id)
    st.subheader("First, what we said last time")
    if not earlier:
        st.caption("Nothing open from earlier sessions.")
        return
    day = clock.local(view.scheduled_for).date()
    due = [a for a in earlier if sessions.due_for_review(a, day)]
    later = [a for a in earlier if not sessions.due_for_review(a, day)]
    if due:
        with st.form("room_review"):
            st.caption(
                "For each, choose how it went. A reason helps when carrying over or letting go; "
                "a carried action needs its new date."
            )
            picks = {}
            for a in due:
                row = st.columns([4, 2, 3, 2], vertical_alignment="bottom")
                row[0].markdown(f"**{plain(a.description)}**  \n{plain(a.owner)} · was due {a.due_on:%d %b}")
                outcome = row[1].selectbox(
                    f"How did it go: {a.description[:60]}",
                    list(_OUTCOMES),
                    index=None,
                    placeholder="Not talked about yet",
                    format_func=_OUTCOMES.__getitem__,
                    key=f"room_review_outcome_{a.id}",
                    label_visibility="collapsed",
                )
                reason = fields.text(
                    f"Why, for: {a.description[:60]}",
                    key=f"room_review_reason_{a.id}",
                    limit=500,
                    placeholder="Why (when carrying over or letting go)",
                    where=row[2],
                )
                new_due = fields.date(
                    f"New date for: {a.description[:60]}",
                    key=f"room_review_due_{a.id}",
                    earliest=clock.today(),
                    latest=clock.today() + timedelta(days=366),
                    where=row[3],
                )
                picks[a.id] = (a, outcome, reason, new_due)
            if st.form_submit_button("Save what we decided", type="primary"):
                decisions = [
                    sessions.ReviewDecision(a.id, a.version, outcome, reason, new_due)  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                    for a, outcome, reason, new_due in picks.values()
                    if outcome
                ]
                if not decisions:
                    st.info("Choose how at least one of them went, then save.", icon=":material/edit_note:")
                else:
                    try:
                        sessions.review_actions(actor, view.id, decisions)
                        flash(f"Saved what the team decided about {len(decisions)}.")
                        st.rerun()
                    except NotValid as problem:
                        labels: dict[str, str] = {}
                        for a in due:
                            short = plain(a.description[:40])
                            labels |= {
                                f"{a.id}.outcome": f"How it went ({short})",
                                f"{a.id}.reason": f"Why ({short})",
                                f"{a.id}.new_due_on": f"New date ({short})",
                            }
                        forms.show_problems(problem, labels)
                    except EditConflict as conflict:
                        forms.show_conflict(conflict)
    if later:
        st.caption("Not due yet, so they carry on without a question:")
        text.table([{"What": a.description, "Who": a.owner, "Due": f"{a.due_on:%d %b %Y}"} for a in later])


def _new_action_form(actor: Actor, view: SessionView, names: dict[int, str]) -> None:
    cases = {i.case_id: i.case_reference for i in view.items if i.case_id is not None}
    keys = ("room_action_what", "room_action_who", "room_action_due", "room_action_case", "room_action_kind")
    with st.form("room_new_action"):
        description = fields.text("What will happen?", limit=500, key=keys[0])
        owner = st.selectbox(
            "Who will do it?",
            list(names),
            index=None,
            placeholder="Choose someone",
            key=keys[1],
            format_func=names.__getitem__,
        )
        today = clock.today()
        due = fields.date(
            "By when?",
            value=today + timedelta(days=7),
            key=keys[2],
            earliest=today,
            latest=today + timedelta(days=366),
        )
        case_id = st.selectbox(
            "For which child or family?",
            [None, *cases],  # type: ignore[list-item]  # an item with a case always has its reference; Streamlit infers the options' type from format_func
            key=keys[3],
            format_func=lambda c: "The team, not one family" if c is None else cases[c],  # type: ignore[arg-type, return-value]  # an item with a case always has its reference; Streamlit infers the options' type from format_func
        )
        kind = st.radio(
            "What kind of work?",
            list(sessions.KIND_LABELS),
            format_func=sessions.KIND_LABELS.__getitem__,
            horizontal=True,
            key=keys[4],
            index=2,
        )
        if st.form_submit_button("Add the action", type="primary"):
            try:
                sessions.add_action(
                    actor,
                    view.id,
                    description=description,
                    owner_id=owner,
                    due_on=due,  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                    case_id=case_id,
                    kind=kind,
                )
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "description": "What will happen?",
                        "owner_id": "Who will do it?",
                        "due_on": "By when?",
                        "case_id": "For which child or family?",
                    },
                )
                return
            _clear(*keys)
            flash("Action added.")
            st.rerun()


def closing_form(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...], *, for_room: bool) -> None:
    key = "room_closing_for" if for_room else "room_closing_me"
    keys = (f"{key}_who", *(f"{key}_{k}" for k in CLOSING_ITEMS), f"{key}_word")
    with st.form(key):
        if for_room:
            person_id = _who(people, keys[0])
        else:
            person_id = actor.person_id
            st.caption(PRIVACY)
        ends("not at all", "completely")
        scores = {k: scale(label, key=f"{key}_{k}") for k, label in CLOSING_ITEMS.items()}
        word = fields.text("A word to close with (optional)", limit=40, key=keys[-1])
        if st.form_submit_button(
            "Add to the closing round" if for_room else "Share my closing", type="primary"
        ):
            try:
                if person_id is None:
                    raise _nobody_chosen()
                sessions.record_closing(actor, view.id, person_id=person_id, scores=scores, word=word)
            except NotValid as problem:
                forms.show_problems(
                    problem, dict(CLOSING_ITEMS) | {"word": "A word to close with", "person": "Who"}
                )
                return
            except NotAllowed as refused:
                st.warning(refused.message)
                return
            if for_room:
                _clear(*keys)
                flash("Added to the closing round.")
                st.rerun()
            a11y.notice("Thank you for today.")


def attendance_form(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...], *, key: str) -> None:
    """The facilitator marks a colleague here or sends their apologies for them."""
    names = {p.id: p.name for p in people}
    choices = {"present": "Here", "apologies": "Sent apologies", "expected": "Expected"}
    keys = (f"{key}_who", f"{key}_what")
    with st.form(key):
        cols = st.columns([3, 3, 2], vertical_alignment="bottom")
        who = cols[0].selectbox(
            "Who", list(names), index=None, placeholder="Choose who", format_func=names.__getitem__, key=keys[0]
        )
        what = cols[1].radio(
            "Here or apologies",
            list(choices),
            format_func=choices.__getitem__,
            horizontal=True,
            key=keys[1],
            label_visibility="collapsed",
        )
        if cols[2].form_submit_button("Save"):
            if who is None:
                forms.show_problems(_nobody_chosen(), {"person": "Who"})
                return
            try:
                sessions.set_attendance(actor, view.id, who, what)
            except NotValid as problem:
                forms.show_problems(problem, {"person": "Who", "attendance": "Here or apologies"})
                return
            _clear(*keys)
            flash(f"{names[who]}: {choices[what].lower()}.")
            st.rerun()


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
