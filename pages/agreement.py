"""Supervision agreement: how a practitioner and their supervisor will work together.

A practitioner sees their own; a supervisor chooses one of their practitioners (kept in the
URL as ?practitioner=ID), drafts from the council's template, and both agree."""

from __future__ import annotations

import streamlit as st

from components import agreement, fields, identity
from components.text import plain
from db import agreements
from db.errors import NotAllowed

actor = identity.actor()
st.title("Supervision agreement")
agreement.show_flash()
st.caption(
    "How the two of you will work together in supervision: how often, where, what each of you brings, "
    "how disagreements are raised, what happens if a session is missed, and what stays confidential. "
    "Only the two of you see it."
)

who: agreements.Practitioner | None  # the practitioner a supervisor chose; None for one's own
if actor.role == "supervisor":
    people = agreements.practitioners(actor)
    if not people:
        st.info("When practitioners join the team you supervise, their agreements will be made here.")
        st.stop()

    def _label(p: agreements.Practitioner) -> str:
        if p.draft:
            state = "a draft under way"
        elif p.current is None:
            state = "no agreement yet"
        elif p.needs_review:
            state = "due a review"
        else:
            state = "agreed"
        return f"{p.name} · {state}"

    by_id = {p.person_id: p for p in people}
    chosen = fields.choose(
        "Whose agreement?", {p.person_id: _label(p) for p in people}, key="agr_pick", param="practitioner"
    )
    who = by_id[chosen]
    practitioner_id = who.person_id
else:
    practitioner_id = actor.person_id
    who = None

try:
    revisions = agreements.revisions(actor, practitioner_id)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()

draft = next((r for r in revisions if r.status == "draft"), None)
current = next((r for r in revisions if r.status == "agreed"), None)
earlier = [r for r in revisions if r.status == "superseded"]

if who is not None and draft is None:
    if current is None:
        st.info(
            f"{plain(who.name)} has no agreement yet. Start one from the council's template.",
            icon=":material/contract:",
        )
    elif who.needs_review:
        st.info("This agreement is due a review (a year has passed, or you are new as their supervisor).")
    agreement.start_draft(actor, practitioner_id, reviewing=current is not None)

if draft is not None:
    st.header("The draft you're agreeing together")
    agreement.show(draft)
    agreement.agree_button(actor, draft)
    with st.expander("Change the draft", icon=":material/edit:"):
        agreement.edit(actor, draft)
elif current is None and who is None:
    st.info(
        "You don't have a supervision agreement yet. Your supervisor drafts one from the council's "
        "template; you'll read it here, change it together, and each record that you agree.",
        icon=":material/contract:",
    )

if current is not None:
    st.header("Your agreement now" if who is None else f"{plain(current.practitioner)}'s agreement now")
    agreement.show(current)

if earlier:
    with st.expander(f"Earlier versions ({len(earlier)})", icon=":material/history:"):
        for r in earlier:
            st.markdown(f"**Revision {r.revision}**")
            agreement.show(r)
