"""The session room's forms, on the shared screen and on a practitioner's own device:
arrival, a relationship check-in, the closing round, and who is here. Each keeps what was
typed when a save is refused and says what to fix; a form used for several people ("add for
someone in the room") starts empty after each save, with a thank-you shown after the rerun."""

from __future__ import annotations

import streamlit as st

from components import a11y, fields, forms
from components.scale import ends, scale
from db import sessions
from db.access import Actor
from db.errors import NotAllowed, NotValid
from db.sessions import CHECK_IN_ITEMS, CLOSING_ITEMS, Item, SessionView, TeamPerson

PRIVACY = (
    "Who sees this: the people in this session and your supervisor. It stays within your team; "
    "managers only ever see team totals."
)
_FLASH = "room_flash"


# ------------------------------------------------------------------ shared by the forms


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
            "Who",
            list(names),
            index=None,
            placeholder="Choose who",
            format_func=names.__getitem__,
            key=keys[0],
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
