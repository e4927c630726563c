"""The session room's two working steps on the shared screen: the discussion of a case (its
notes and summary) and the actions (last time's, reviewed together, and today's)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from components import a11y, fields, forms, lens, text
from components.navigation import SCREENS, pages_for
from components.room_forms import _clear, flash
from components.text import plain
from db import clock, sessions
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.pseudonymise import free_text_warning
from db.sessions import Item, SessionView, TeamPerson


def discussion(actor: Actor, item: Item, *, shared_screen: bool) -> None:
    _discussion_links(actor, item)
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
            _save_notes(actor, item, notes, summary, ready, saved_key)
    # Language hints only for the person writing, on their own device: never projected.
    if not shared_screen and st.session_state.get(saved_key):
        lens.hint(f"{notes}\n{summary}", key=f"room_notes_lens_{item.id}")


def _discussion_links(actor: Actor, item: Item) -> None:
    """The way to the family's case and to what the team is holding, for those who may open them."""
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


def _save_notes(actor: Actor, item: Item, notes: str, summary: str, ready: bool, saved_key: str) -> None:
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
        _review_due(actor, view, due)
    if later:
        st.caption("Not due yet, so they carry on without a question:")
        text.table([{"What": a.description, "Who": a.owner, "Due": f"{a.due_on:%d %b %Y}"} for a in later])


def _review_due(actor: Actor, view: SessionView, due: list) -> None:
    """One form for the actions that have come due: how each went, and one save for them all."""
    with st.form("room_review"):
        st.caption(
            "For each, choose how it went. A reason helps when carrying over or letting go; "
            "a carried action needs its new date."
        )
        picks = {a.id: _review_row(a) for a in due}
        if st.form_submit_button("Save what we decided", type="primary"):
            _save_review(actor, view, due, picks)


def _review_row(a: Any) -> tuple:
    """One due action's row: how it went, why, and a new date when carried over."""
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
    return (a, outcome, reason, new_due)


def _save_review(actor: Actor, view: SessionView, due: list, picks: dict[int, tuple]) -> None:
    decisions = [
        sessions.ReviewDecision(a.id, a.version, outcome, reason, new_due)
        for a, outcome, reason, new_due in picks.values()
        if outcome
    ]
    if not decisions:
        st.info("Choose how at least one of them went, then save.", icon=":material/edit_note:")
        return
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
