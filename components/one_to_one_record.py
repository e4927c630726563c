"""A one-to-one once it is held and closed: the kept record, read-only, with its amendments
and two exports, and on the case page what each one-to-one gave that family's case file.
"""

from __future__ import annotations

import streamlit as st

from components import downloads, fields, forms
from components.one_to_one import OUTCOME_WORDS, PRIVATE_NOTE, clear, flash
from components.text import plain
from db import clock, one_to_one
from db.access import Actor
from db.errors import NotAllowed, NotValid
from db.one_to_one import OneToOneView, PrivateView
from db.sessions import CHECK_IN_ITEMS


def record(actor: Actor, view: OneToOneView, mine: PrivateView) -> None:
    """The closed record, read-only, with amendments and the two exports."""
    _record_body(view, mine)
    if _amendments(actor, view):
        _exports(view)


def _record_body(view: OneToOneView, mine: PrivateView) -> None:
    st.markdown("### Arriving")
    st.text(
        "Not shared"
        if mine.arrival_score is None
        else f"{mine.arrival_score} out of 10 {mine.arrival_word}".strip()
    )
    st.markdown("### Children and families")
    if not view.items:
        st.text("None brought this time.")
    for item in view.items:
        st.markdown(f"**{plain(item.case_reference)}** · {plain(item.ask)}")
        if item.discussion_notes:
            st.text(item.discussion_notes)
        if item.case_file_summary:
            st.caption("Summary for the case file")
            st.text(item.case_file_summary)
    for c in view.check_ins:
        st.caption(
            f"Check-in for {plain(c.case_reference)}: "
            + ", ".join(f"{CHECK_IN_ITEMS[k].lower()} {n}" for k, n in c.scores.items())
        )
    st.markdown("### Wellbeing and development")
    st.caption(PRIVATE_NOTE)
    for k, label in one_to_one.PRIVATE_FIELDS.items():
        st.markdown(f"**{plain(label)}**")
        st.text(getattr(mine, k) or "—")
    st.markdown("### Actions")
    for a in view.to_review:
        st.text(f"Looked back on: {a.description} ({OUTCOME_WORDS.get(a.status, a.status).lower()})")
    for a in view.actions:
        st.text(f"{a.description} · {a.owner} · by {a.due_on:%d %b %Y}")


def _amendments(actor: Actor, view: OneToOneView) -> bool:
    """The amendments so far and a form to add one; False when one was just refused."""
    st.markdown("### Amendments")
    for a in view.amendments:
        st.caption(f"{plain(a.author)} · {clock.when(a.created_at)}")
        st.text(a.text)
    with st.form(f"o2o_amend_{view.id}"):
        text = fields.area("Add an amendment", key=f"o2o_amend_t_{view.id}", limit=2000)
        if st.form_submit_button("Add the amendment"):
            try:
                one_to_one.amend(actor, view.id, text)
            except NotValid as problem:
                forms.show_problems(problem, {"text": "Add an amendment"})
                return False
            clear(f"o2o_amend_t_{view.id}")
            flash("Amendment added.")
            st.rerun()
    return True


def _exports(view: OneToOneView) -> None:
    oid = view.id
    slug = clock.when(view.scheduled_for, "%Y-%m-%d")
    cols = st.columns(2)
    downloads.file(
        "Download the PDF",
        lambda who: one_to_one.record_pdf(who, oid),
        file_name=f"circle-one-to-one-{slug}.pdf",
        key="o2o_pdf",
        where=cols[0],
    )
    downloads.file(
        "Download the CSV",
        lambda who: one_to_one.record_csv(who, oid),
        file_name=f"circle-one-to-one-{slug}.csv",
        key="o2o_csv",
        where=cols[1],
    )


def case_discussions(actor: Actor, case_id: int) -> None:
    """On the case page: what this family's one-to-one discussions gave the case file."""
    try:
        found = one_to_one.case_discussions_for(actor, case_id)
    except NotAllowed:
        return
    if not found:
        return
    st.subheader("From one-to-one supervision")
    st.caption(
        "The summary for the case file from each closed one-to-one; the notes and anything personal stay there."
    )
    for d in found:
        with st.container(border=True):
            st.caption(f"{d.held_on:%d %B %Y} · brought by {plain(d.brought_by)}")
            if d.ask:
                st.markdown(f"*{plain(d.ask)}*")
            st.text(d.case_file_summary)
