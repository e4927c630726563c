"""One worry the team holds: naming a new one, or reading one with its reviews and every
version, looking back at it, correcting it, and (for the accountable manager) agreeing it."""

from __future__ import annotations

import streamlit as st

from components import a11y, forms, identity, risk_card, risk_form
from components.text import plain
from db import clock, risk_log
from db.errors import EditConflict, NotAllowed, NotValid
from db.pseudonymise import free_text_warning
from db.risk_log import Choice, RiskDraft

TEXT_FIELDS = (
    "worry",
    "whose_risk_reasoning",
    "reasonable_for_age",
    "family_view",
    "keeping_safe",
    "decision",
    "decision_reasons",
)

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
    options = risk_log.form_options(actor, team_id)
    me = actor.person_id if any(m.id == actor.person_id for m in options.members) else None
    initial = RiskDraft(raised_by_id=me, holder_ids=(me,) if me else ())
    prefix = f"risk_new_{team_id}"
    draft = risk_form.entry_form(prefix, options, initial, submit_label="Hold this together")
    thread_id = None
    if draft is not None:
        try:
            thread_id = risk_log.create_entry(actor, team_id, draft)
            st.session_state["risk_identifying"] = _identifying(draft)
        except NotValid as problem:
            forms.show_problems(problem, risk_form.LABELS)
    if thread_id is None:
        if st.button("Not now", key="risk_new_cancel", help="What you typed stays here if you come back."):
            st.session_state["risk_new"] = False
            st.rerun()
        return
    risk_form.forget(prefix)
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


def _identifying(draft: RiskDraft) -> str | None:
    """A gentle note when the words just saved may identify someone (saved as written)."""
    fields = {f: getattr(draft, f) for f in TEXT_FIELDS}
    return free_text_warning(fields, risk_form.LABELS)


def _thread(thread_id: str) -> None:
    try:
        detail = risk_log.thread(actor, thread_id)
    except NotAllowed as refused:
        st.session_state.pop("risk_thread", None)
        st.warning(plain(refused.message), icon=":material/lock:")
        return
    if noticed := st.session_state.pop("risk_identifying", None):
        st.warning(plain(noticed), icon=":material/visibility:")
    # The version the person opened: a save made on it after someone else's change is refused.
    stamp_key = f"risk_stamp_{thread_id}"
    stamp = st.session_state.setdefault(stamp_key, detail.stamp)

    risk_card.summary_line(detail, today)
    if detail.can_agree:
        st.info(
            "This decision needs the accountable manager's agreement. Read the worry and the reasons "
            "below; your agreement is recorded with your name and the time.",
            icon=":material/how_to_reg:",
        )
        if st.button("I agree this decision, as the accountable manager", key=f"risk_agree_{thread_id}"):
            try:
                risk_log.agree_as_manager(actor, thread_id, stamp=stamp)
                st.session_state.pop(stamp_key, None)
                a11y.notice("Your agreement is recorded.", icon=":material/how_to_reg:")
                st.rerun()
            except EditConflict as conflict:
                st.session_state[stamp_key] = risk_log.thread(actor, thread_id).stamp
                forms.show_conflict(conflict)
            except NotValid as problem:
                forms.show_problems(problem, risk_form.LABELS)
            except NotAllowed as refused:
                st.warning(plain(refused.message), icon=":material/lock:")

    tab_now, tab_review, tab_correct, tab_learning, tab_versions = st.tabs(
        ["The worry now", "Look back at it", "Correct or update it", "What we've learned", "Every version"]
    )
    with tab_now:
        risk_card.revision_body(detail.current, next_review_on=detail.next_review_on)

    with tab_review:
        if not detail.is_open:
            st.info(
                "This worry is closed. Its reviews and every version stay here to learn from.",
                icon=":material/check_circle:",
            )
        else:
            st.caption(
                "Looking back together: how did it turn out, what did we learn, and do we keep holding it, "
                "change the plan, or close it?"
            )
            options = risk_log.form_options(actor, detail.team_id)
            prefix = f"risk_review_{thread_id}"
            answers = risk_form.review_form(prefix, options.sessions)
            if answers is not None:
                try:
                    risk_log.review(actor, thread_id, stamp=stamp, **answers)
                    risk_form.forget(prefix)
                    st.session_state.pop(stamp_key, None)
                    a11y.notice("The review is saved.", icon=":material/history_edu:")
                    st.rerun()
                except NotValid as problem:
                    forms.show_problems(problem, risk_form.LABELS)
                except EditConflict as conflict:
                    st.session_state[stamp_key] = risk_log.thread(actor, thread_id).stamp
                    forms.show_conflict(conflict)

    with tab_correct:
        st.caption(
            "Put a detail right, or update the worry as things change. Your change is saved as a new "
            "version with your name and the time; the earlier versions stay as they were."
        )
        options = risk_log.form_options(actor, detail.team_id)
        current = detail.current
        extra: tuple[Choice, ...] = ()
        if current.case_id and current.case_reference and all(c.id != current.case_id for c in options.cases):
            extra = (Choice(current.case_id, current.case_reference),)
        member_ids = {m.id for m in options.members}
        left = [
            n for pid, n in zip(current.holder_ids, current.holders, strict=False) if pid not in member_ids
        ]
        if left:
            st.info(
                f"{plain(' and '.join(left))} {'is' if len(left) == 1 else 'are'} no longer in the team, "
                "so please choose who holds this with you now.",
                icon=":material/group:",
            )
        initial = current.as_draft()
        prefix = f"risk_revise_{thread_id}"
        draft = risk_form.entry_form(
            prefix,
            options,
            RiskDraft(**{**initial.__dict__, "review_on": detail.next_review_on}),
            submit_label="Save as a new version",
            extra_cases=extra,
        )
        if draft is not None:
            try:
                revision = risk_log.revise(actor, thread_id, draft, stamp=stamp)
                st.session_state["risk_identifying"] = _identifying(draft)
                risk_form.forget(prefix)
                st.session_state.pop(stamp_key, None)
                a11y.notice(
                    f"Saved as version {revision}. The earlier versions are kept.", icon=":material/done:"
                )
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, risk_form.LABELS)
            except EditConflict as conflict:
                st.session_state[stamp_key] = risk_log.thread(actor, thread_id).stamp
                forms.show_conflict(conflict)

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
