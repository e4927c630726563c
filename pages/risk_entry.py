"""One worry the team holds: naming a new one, or reading one with its reviews and every
version, looking back at it, correcting it, and (for the accountable manager) agreeing it."""

from __future__ import annotations

import streamlit as st

from components import a11y, identity, risk_card, risk_thread
from components.text import plain
from db import clock, risk_log
from db.errors import NotAllowed

actor = identity.actor()
today = clock.today()
st.title("A worry we're holding")
st.page_link("pages/risk_log.py", label="Back to everything we're holding", icon=":material/arrow_back:")

teams = risk_log.teams_for(actor)
if not teams:
    st.info(
        "Worries are held by a team. When you're part of a team, you can name a worry here and the "
        "team can hold it with you.",
        icon=":material/groups:",
    )
    st.stop()
names = {t.id: t.label for t in teams}


def _start_new() -> None:
    st.session_state["risk_new"] = True
    st.session_state.pop("risk_thread", None)


def _new_entry() -> None:
    st.header("Name a new worry")
    remembered = st.session_state.get("risk_team_id")
    if len(teams) > 1:
        team_id = st.selectbox(
            "Which team is holding it?",
            list(names),
            index=list(names).index(remembered) if remembered in names else 0,
            format_func=names.__getitem__,
            key="risk_new_team",
        )
    else:
        team_id = teams[0].id
    st.info(
        f"Everyone in {plain(names[team_id])} and the managers who oversee the team will be able to read "
        "this. Use the case reference or initials, never a full name. Nothing is ever written over: "
        "a later correction is added as a new version.",
        icon=":material/visibility:",
    )
    thread_id = risk_thread.name_new(actor, team_id)
    if thread_id is None:
        if st.button("Not now", key="risk_new_cancel", help="What you typed stays here if you come back."):
            st.session_state["risk_new"] = False
            st.rerun()
        return
    st.session_state["risk_new"] = False
    st.session_state["risk_thread"] = thread_id
    a11y.notice("Saved. The team is holding this with you now.", icon=":material/handshake:")
    st.rerun()


def _no_thread() -> None:
    st.info(
        "Choose a worry from *Holding risk together* to read it, look back at it or correct it, or "
        "name a new worry for the team to hold with you.",
        icon=":material/handshake:",
    )
    st.button(
        "Name a new worry", icon=":material/add:", type="primary", key="risk_entry_new", on_click=_start_new
    )


def _thread(thread_id: str) -> None:
    try:
        detail = risk_log.thread(actor, thread_id)
    except NotAllowed as refused:
        st.session_state.pop("risk_thread", None)
        st.warning(plain(refused.message), icon=":material/lock:")
        return
    risk_thread.identifying_note()
    risk_thread.opened(detail)

    risk_card.summary_line(detail, today)
    if detail.can_agree:
        risk_thread.agree(actor, detail)

    tab_now, tab_review, tab_correct, tab_learning, tab_versions = st.tabs(
        ["The worry now", "Look back at it", "Correct or update it", "What we've learned", "Every version"]
    )
    with tab_now:
        risk_card.revision_body(detail.current, next_review_on=detail.next_review_on)
    with tab_review:
        risk_thread.look_back(actor, detail)
    with tab_correct:
        risk_thread.correct(actor, detail)
    with tab_learning:
        risk_card.reviews(detail)
    with tab_versions:
        risk_card.history(detail)


if st.session_state.get("risk_new"):
    _new_entry()
elif st.session_state.get("risk_thread"):
    _thread(st.session_state["risk_thread"])
else:
    _no_thread()
