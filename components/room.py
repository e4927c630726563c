"""The pieces of the session room: progress and time-box, the arrival and closing circles,
check-in, discussion and actions steps, and the practitioner's own-device view.

Every form keeps what was typed when a save is refused, and says what to fix.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import forms, lens, trend
from components.navigation import SCREENS
from components.scale import ends, scale
from components.text import plain
from db import sessions
from db.access import Actor, pages_for
from db.clock import utcnow
from db.errors import EditConflict, NotAllowed, NotValid
from db.pseudonymise import free_text_warning
from db.sessions import CHECK_IN_ITEMS, CLOSING_ITEMS, Item, SessionView, TeamPerson

PRIVACY = (
    "Who sees this: the people in this session and your supervisor. It stays within your team; "
    "managers only ever see team totals."
)


def large_type() -> None:
    st.html(
        """
<style>
[data-testid="stMain"] h1 { font-size: 2.6rem; }
[data-testid="stMain"] h2 { font-size: 2.1rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stText"] { font-size: 1.3rem; white-space: pre-wrap; }
</style>
"""
    )


def progress(view: SessionView) -> None:
    total = len(view.stages)
    stage = view.current
    item = view.item(stage.item_id)
    label = sessions.STEP_LABELS[stage.step]
    if item is not None:
        label += f": {item.case_reference or 'a theme'}"
    st.progress((view.position + 1) / total, text=f"Step {view.position + 1} of {total} · {label}")
    started = view.step_started_at or utcnow()
    used = max(0, int((utcnow() - started).total_seconds() // 60))
    box = view.time_box_minutes()
    if used <= box:
        st.caption(f"{used} of {box} minutes for this part")
    else:
        st.caption(
            f"{used} minutes so far: {used - box} over the {box} planned. Extend, or move on when ready."
        )


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


def arrival_form(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...], *, for_room: bool) -> None:
    key = "room_arrival_for" if for_room else "room_arrival_me"
    with st.form(key):
        if for_room:
            names = {p.id: p.name for p in people}
            person_id = st.selectbox("Who", list(names), format_func=names.get, key=f"{key}_who")
        else:
            person_id = actor.person_id
            st.caption(PRIVACY)
        ends("running on empty", "full of energy")
        score = scale(
            "How are you arriving today?", key=f"{key}_score", low="running on empty", high="full of energy"
        )
        word = st.text_input("A word for how you are (optional)", max_chars=40, key=f"{key}_word")
        needs = st.checkbox("I'd like the team's help today", key=f"{key}_needs")
        if st.form_submit_button("Share", type="primary"):
            try:
                sessions.record_arrival(
                    actor, view.id, person_id=person_id, score=score, word=word, needs_team=needs
                )
                st.toast("Thank you. You're in the circle.")
            except NotValid as problem:
                forms.show_problems(problem, {"score": "How you're arriving", "word": "Your word"})


def _check_in_form(
    actor: Actor, view: SessionView, item: Item, practitioner_id: int, people, *, key: str
) -> None:  # type: ignore[no-untyped-def]
    names = {p.id: p.name for p in people}
    with st.form(key):
        ends("not yet", "as strong as it could be")
        scores = {k: scale(label, key=f"{key}_{k}") for k, label in CHECK_IN_ITEMS.items()}
        working = st.text_area("What's working in the relationship?", key=f"{key}_working", max_chars=1500)
        in_the_way = st.text_area("What gets in the way?", key=f"{key}_way", max_chars=1500)
        they_say = st.text_area("What would they say about us?", key=f"{key}_say", max_chars=1500)
        own_words = st.checkbox("These are their own words", key=f"{key}_own")
        changed = st.text_area("What have you changed in response?", key=f"{key}_changed", max_chars=1500)
        best = st.selectbox(
            "Who has the best relationship with them?",
            [None, *names],
            format_func=lambda p: "Not sure yet" if p is None else names[p],
            key=f"{key}_best",
        )
        if st.form_submit_button("Save the check-in", type="primary"):
            try:
                sessions.record_check_in(
                    actor,
                    view.id,
                    item.case_id,  # type: ignore[arg-type]
                    practitioner_id=practitioner_id,
                    scores=scores,
                    working_well=working,
                    gets_in_the_way=in_the_way,
                    what_they_would_say=they_say,
                    their_own_words=own_words,
                    what_i_changed=changed,
                    best_relationship_person_id=best,
                )
                st.toast("Check-in saved.")
            except NotValid as problem:
                forms.show_problems(problem, dict(CHECK_IN_ITEMS))


def check_in_step(actor: Actor, view: SessionView, item: Item, people) -> None:  # type: ignore[no-untyped-def]
    history = sessions.check_in_history(actor, item.case_id)  # type: ignore[arg-type]
    this_session = [c for c in history if c.session_id == view.id]
    trend.check_in_trend(history, key=f"room_trend_{item.id}")
    trend.drop_notes(sessions.drops(history))
    if this_session:
        latest = this_session[-1]
        st.markdown(" · ".join(f"{label}: **{getattr(latest, k)}**" for k, label in CHECK_IN_ITEMS.items()))
        if sessions.all_at_top(latest):
            st.info("Everything is at 10. What would make it better still?", icon=":material/lightbulb:")
        for label, text in (
            ("What's working", latest.working_well),
            ("What gets in the way", latest.gets_in_the_way),
            ("What they would say", latest.what_they_would_say),
            ("What's changed in response", latest.what_i_changed),
        ):
            if text:
                st.caption(label)
                st.text(text)
        lens.hint(
            "\n".join([latest.working_well, latest.gets_in_the_way, latest.what_i_changed]),
            key=f"room_check_lens_{latest.id}",
        )
    else:
        st.caption(
            f"Waiting for {plain(item.brought_by)}'s check-in. They can add it from their own device, "
            "or you can add it for them here."
        )
        _check_in_form(actor, view, item, item.brought_by_id, people, key=f"room_check_{item.id}")


def discussion(actor: Actor, item: Item) -> None:
    allowed = pages_for(actor.role)
    if item.case_id is not None and "case" in allowed:
        st.page_link(
            "pages/case.py",
            label=f"Open {item.case_reference} on the case board",
            icon=":material/folder_open:",
            query_params={"case": str(item.case_id)},
        )
    if "risk_log" in allowed:
        st.page_link(
            SCREENS["risk_log"].script, label="Open what the team is holding", icon=SCREENS["risk_log"].icon
        )
    with st.form(f"room_notes_{item.id}"):
        notes = st.text_area(
            "What the team thought together",
            value=item.discussion_notes,
            height=180,
            key=f"room_notes_text_{item.id}",
            max_chars=6000,
        )
        summary = st.text_area(
            "Summary for the case file (short; the reflective notes above stay in Circle)",
            value=item.case_file_summary,
            key=f"room_summary_{item.id}",
            max_chars=2000,
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
                st.toast("Notes saved.")
                noticed = free_text_warning(
                    {"discussion_notes": notes, "case_file_summary": summary},
                    {"discussion_notes": "Notes", "case_file_summary": "Summary for the case file"},
                )
                if noticed:
                    st.warning(plain(noticed), icon=":material/visibility:")
            except NotValid as problem:
                forms.show_problems(problem)
            except EditConflict as conflict:
                forms.show_conflict(conflict)
    lens.hint(f"{notes}\n{summary}", key=f"room_notes_lens_{item.id}")


def actions_step(actor: Actor, view: SessionView, names: dict[int, str]) -> None:
    earlier = sessions.actions_to_review(actor, view.id)
    st.subheader("First, what we said last time")
    if not earlier:
        st.caption("Nothing open from earlier sessions.")
    outcomes = {"done": "Done", "carried_over": "Carry it over", "dropped": "Let it go"}
    for a in earlier:
        with st.form(f"room_review_{a.id}"):
            st.markdown(f"**{plain(a.description)}** · {plain(a.owner)} · was due {a.due_on:%d %b}")
            outcome = st.radio(
                "How did it go?",
                list(outcomes),
                format_func=outcomes.get,
                horizontal=True,
                index=None,
                key=f"room_review_outcome_{a.id}",
            )
            reason = st.text_input(
                "Why (needed when carrying over or letting go)",
                key=f"room_review_reason_{a.id}",
                max_chars=500,
            )
            new_due = st.date_input(
                "New date, if carrying over", value=None, key=f"room_review_due_{a.id}", format="DD/MM/YYYY"
            )
            if st.form_submit_button("Save"):
                try:
                    sessions.review_action(
                        actor,
                        view.id,
                        a.id,
                        outcome=outcome or "",
                        reason=reason,
                        new_due_on=new_due,
                        version=a.version,
                    )
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(
                        problem, {"outcome": "How it went", "reason": "Why", "new_due_on": "New date"}
                    )
                except EditConflict as conflict:
                    forms.show_conflict(conflict)
    st.subheader("What we're agreeing today")
    agreed = sessions.session_actions(actor, view.id)
    if agreed:
        st.dataframe(
            [
                {
                    "What": a.description,
                    "Who": a.owner,
                    "By": f"{a.due_on:%d %b %Y}",
                    "For": a.case_reference or "the team",
                    "": "carried over" if a.carried_from_id else "",
                }
                for a in agreed
            ],
            hide_index=True,
            width="stretch",
        )
    cases = {i.case_id: i.case_reference for i in view.items if i.case_id is not None}
    with st.form("room_new_action"):
        description = st.text_input("What will happen?", max_chars=500, key="room_action_what")
        owner = st.selectbox(
            "Who will do it?",
            [None, *names],
            key="room_action_who",
            format_func=lambda p: "Choose someone" if p is None else names[p],
        )
        due = st.date_input(
            "By when?", value=utcnow().date() + timedelta(days=7), key="room_action_due", format="DD/MM/YYYY"
        )
        case_id = st.selectbox(
            "For which child or family?",
            [None, *cases],
            key="room_action_case",
            format_func=lambda c: "The team, not one family" if c is None else cases[c],
        )
        kind = st.radio(
            "What kind of work?",
            list(sessions.KIND_LABELS),
            format_func=sessions.KIND_LABELS.get,
            horizontal=True,
            key="room_action_kind",
            index=2,
        )
        if st.form_submit_button("Add the action", type="primary"):
            try:
                sessions.add_action(
                    actor,
                    view.id,
                    description=description,
                    owner_id=owner,
                    due_on=due,
                    case_id=case_id,
                    kind=kind,
                )
                st.rerun()
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "description": "What will happen",
                        "owner_id": "Who",
                        "due_on": "By when",
                        "case_id": "Which family",
                    },
                )


def closing_circle(closings: tuple[sessions.Closing, ...], view: SessionView) -> None:
    present = sum(a.attendance == "present" for a in view.attendees)
    st.write(f"{len(closings)} of {present or len(view.attendees)} have closed")
    for c in closings:
        word = f" · {plain(c.word)}" if c.word else ""
        st.markdown(
            f"**{plain(c.name)}** · heard {c.felt_heard} · helped {c.helped_my_work} · "
            f"held {c.held_my_worries}{word}"
        )


def closing_form(actor: Actor, view: SessionView, people: tuple[TeamPerson, ...], *, for_room: bool) -> None:
    key = "room_closing_for" if for_room else "room_closing_me"
    with st.form(key):
        if for_room:
            names = {p.id: p.name for p in people}
            person_id = st.selectbox("Who", list(names), format_func=names.get, key=f"{key}_who")
        else:
            person_id = actor.person_id
            st.caption(PRIVACY)
        ends("not at all", "completely")
        scores = {k: scale(label, key=f"{key}_{k}") for k, label in CLOSING_ITEMS.items()}
        word = st.text_input("A word to close with (optional)", max_chars=40, key=f"{key}_word")
        if st.form_submit_button("Share", type="primary"):
            try:
                sessions.record_closing(actor, view.id, person_id=person_id, scores=scores, word=word)
                st.toast("Thank you for today.")
            except NotValid as problem:
                forms.show_problems(problem, dict(CLOSING_ITEMS) | {"word": "Your word"})


def participant(actor: Actor, view: SessionView) -> None:
    """A practitioner's own device: follow the room, and add your own entries."""

    @st.fragment(run_every=timedelta(seconds=5))
    def where_the_room_is() -> None:
        try:
            live = sessions.view(actor, view.id)
        except NotAllowed:
            return
        if live.status == "planned":
            st.info(
                "The session hasn't started yet. You can share how you're arriving now if you like.",
                icon=":material/schedule:",
            )
        else:
            stage = live.current
            item = live.item(stage.item_id)
            where = sessions.STEP_LABELS[stage.step] + (
                f": {item.case_reference or 'a theme'}" if item else ""
            )
            st.info(f"The room is on: {where}", icon=":material/groups:")

    where_the_room_is()
    mine = [i for i in view.items if i.brought_by_id == actor.person_id and i.case_id is not None]
    tab_arrive, tab_check, tab_close = st.tabs(["How you're arriving", "Your check-ins", "Closing"])
    with tab_arrive:
        arrival_form(actor, view, (), for_room=False)
    with tab_check:
        if not mine:
            st.caption(
                "When you bring a child or family to the session, their relationship check-in appears here."
            )
        for item in mine:
            st.subheader(plain(item.case_reference))
            _check_in_form(
                actor,
                view,
                item,
                actor.person_id,
                sessions.team_people(actor, view.team_id),
                key=f"room_mycheck_{item.id}",
            )
    with tab_close:
        closing_form(actor, view, (), for_room=False)
