"""One worry the team holds, part by part: naming it, agreeing it, looking back at it and
correcting it.

Each part draws its form (components/risk_form.py), saves through the data layer for the
signed-in person, and shows how it went: a notice and a rerun when saved; the problems, or
what someone else changed first, beside everything still typed when not. pages/risk_entry.py
lays the parts out.

A save is made on the version the person opened (`opened`): after someone else's change it
is refused as stale rather than written over theirs.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, forms, risk_form
from components.text import plain
from db import risk_log
from db.access import Actor
from db.errors import EditConflict, NotAllowed, NotValid
from db.pseudonymise import free_text_warning
from db.risk_log import Choice, RiskDraft, ThreadDetail

# Set on a save whose words may identify someone; the thread shows it once, after the rerun.
IDENTIFYING_KEY = "risk_identifying"


def _stamp_key(thread_id: str) -> str:
    return f"risk_stamp_{thread_id}"


def opened(detail: ThreadDetail) -> str:
    """The version the person opened, kept until they save (or meet someone else's change)."""
    return st.session_state.setdefault(_stamp_key(detail.thread_id), detail.stamp)


def _saved(thread_id: str, message: str, icon: str) -> None:
    st.session_state.pop(_stamp_key(thread_id), None)
    a11y.notice(message, icon=icon)
    st.rerun()


def _stale(actor: Actor, thread_id: str, conflict: EditConflict) -> None:
    """Someone else saved first: show what they changed and work on their version from now."""
    st.session_state[_stamp_key(thread_id)] = risk_log.thread(actor, thread_id).stamp
    forms.show_conflict(conflict)


def _identifying(draft: RiskDraft) -> str | None:
    """A gentle note when the words just saved may identify someone (saved as written)."""
    return free_text_warning({f: getattr(draft, f) for f in risk_form.WORDS}, risk_form.LABELS)


def identifying_note() -> None:
    """The note set by the last save, once."""
    if noticed := st.session_state.pop(IDENTIFYING_KEY, None):
        st.warning(plain(noticed), icon=":material/visibility:")


def name_new(actor: Actor, team_id: int) -> str | None:
    """The form for a new worry; returns the new thread's id once it is saved."""
    options = risk_log.form_options(actor, team_id)
    me = actor.person_id if any(m.id == actor.person_id for m in options.members) else None
    initial = RiskDraft(raised_by_id=me, holder_ids=(me,) if me else ())
    prefix = f"risk_new_{team_id}"
    draft = risk_form.entry_form(prefix, options, initial, submit_label="Hold this together")
    if draft is None:
        return None
    try:
        thread_id = risk_log.create_entry(actor, team_id, draft)
    except NotValid as problem:
        forms.show_problems(problem, risk_form.LABELS)
        return None
    st.session_state[IDENTIFYING_KEY] = _identifying(draft)
    risk_form.forget(prefix)
    return thread_id


def agree(actor: Actor, detail: ThreadDetail) -> None:
    """The accountable manager's agreement, for a decision that needs it."""
    thread_id = detail.thread_id
    st.info(
        "This decision needs the accountable manager's agreement. Read the worry and the reasons "
        "below; your agreement is recorded with your name and the time.",
        icon=":material/how_to_reg:",
    )
    if not st.button("I agree this decision, as the accountable manager", key=f"risk_agree_{thread_id}"):
        return
    try:
        risk_log.agree_as_manager(actor, thread_id, stamp=opened(detail))
    except EditConflict as conflict:
        _stale(actor, thread_id, conflict)
    except NotValid as problem:
        forms.show_problems(problem, risk_form.LABELS)
    except NotAllowed as refused:
        st.warning(plain(refused.message), icon=":material/lock:")
    else:
        _saved(thread_id, "Your agreement is recorded.", ":material/how_to_reg:")


def look_back(actor: Actor, detail: ThreadDetail) -> None:
    """Looking back together at an open worry: how it turned out, what we learned, what now."""
    if not detail.is_open:
        st.info(
            "This worry is closed. Its reviews and every version stay here to learn from.",
            icon=":material/check_circle:",
        )
        return
    st.caption(
        "Looking back together: how did it turn out, what did we learn, and do we keep holding it, "
        "change the plan, or close it?"
    )
    thread_id = detail.thread_id
    options = risk_log.form_options(actor, detail.team_id)
    prefix = f"risk_review_{thread_id}"
    answers = risk_form.review_form(prefix, options.sessions)
    if answers is None:
        return
    try:
        risk_log.review(actor, thread_id, stamp=opened(detail), **answers)
    except NotValid as problem:
        forms.show_problems(problem, risk_form.LABELS)
    except EditConflict as conflict:
        _stale(actor, thread_id, conflict)
    else:
        risk_form.forget(prefix)
        _saved(thread_id, "The review is saved.", ":material/history_edu:")


def correct(actor: Actor, detail: ThreadDetail) -> None:
    """A correction or update, saved as a new version; the earlier versions stay as they were."""
    st.caption(
        "Put a detail right, or update the worry as things change. Your change is saved as a new "
        "version with your name and the time; the earlier versions stay as they were."
    )
    thread_id = detail.thread_id
    options = risk_log.form_options(actor, detail.team_id)
    _note_holders_who_left(detail, options.members)
    prefix = f"risk_revise_{thread_id}"
    draft = risk_form.entry_form(
        prefix,
        options,
        RiskDraft(**{**detail.current.as_draft().__dict__, "review_on": detail.next_review_on}),
        submit_label="Save as a new version",
        extra_cases=_case_no_longer_listed(detail, options.cases),
    )
    if draft is None:
        return
    try:
        revision = risk_log.revise(actor, thread_id, draft, stamp=opened(detail))
    except NotValid as problem:
        forms.show_problems(problem, risk_form.LABELS)
    except EditConflict as conflict:
        _stale(actor, thread_id, conflict)
    else:
        st.session_state[IDENTIFYING_KEY] = _identifying(draft)
        risk_form.forget(prefix)
        _saved(thread_id, f"Saved as version {revision}. The earlier versions are kept.", ":material/done:")


def _case_no_longer_listed(detail: ThreadDetail, cases: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """The worry's own case, when the form's list no longer has it (e.g. since closed)."""
    current = detail.current
    if current.case_id and current.case_reference and all(c.id != current.case_id for c in cases):
        return (Choice(current.case_id, current.case_reference),)
    return ()


def _note_holders_who_left(detail: ThreadDetail, members: tuple[Choice, ...]) -> None:
    member_ids = {m.id for m in members}
    current = detail.current
    left = [n for pid, n in zip(current.holder_ids, current.holders, strict=False) if pid not in member_ids]
    if left:
        st.info(
            f"{plain(' and '.join(left))} {'is' if len(left) == 1 else 'are'} no longer in the team, "
            "so please choose who holds this with you now.",
            icon=":material/group:",
        )
