"""The forms of the risk log: naming (or correcting) a worry, and looking back at one.

Each form owns its widget keys under a prefix, never clears on submit (a refused save keeps
every word), and hands back plain values for the data layer to check. `forget()` clears a
form's keys after a successful save so it starts afresh from what is now saved.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import fields, lens
from db import clock
from db.models import REVIEW_NEXT, REVIEW_OUTCOMES, WHOSE_RISK
from db.risk_log import (
    FIELD_LABELS,
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    REVIEW_WITHIN_DAYS,
    WHOSE_RISK_LABELS,
    Choice,
    FormOptions,
    RiskDraft,
)

SCALE = tuple(range(11))
# The entry's free-text answers, in the order the form asks them (the lens reads them all).
WORDS = (
    "worry",
    "whose_risk_reasoning",
    "reasonable_for_age",
    "family_view",
    "keeping_safe",
    "decision",
    "decision_reasons",
)
# Labels for forms.show_problems: the same words the form shows, so every message names the
# field the person can see.
LABELS = FIELD_LABELS | {
    "case_id": "Who is it about?",
    "session_id": "In which group supervision?",
    "worry": "What are you worried might happen?",
    "whose_risk": "Whose risk is this, do you think?",
    "whose_risk_reasoning": "What makes you think so?",
    "reasonable_for_age": "What would be reasonable for any young person of this age?",
    "family_view": "What do the young person and their family say?",
    "keeping_safe": "What is already keeping them safe?",
    "decision": "What have we decided to do?",
    "decision_reasons": "Why is that right for now?",
    "holder_ids": "Who is holding this with you?",
    "worry_before": "How worried were you before the team talked it through?",
    "worry_after": "And now, after talking it through?",
    "review_on": "When shall we look at this again?",
    "what_happened": "How has it turned out since we last looked?",
    "what_we_learned": "What have we learned?",
    "next_step": "What now?",
    "next_review_on": "When shall we look again? (if we keep holding it or change the plan)",
    "new_plan": "What is the new plan to keep them safe? (if we change the plan)",
}


def forget(prefix: str) -> None:
    """Drop a form's remembered values, e.g. after a save, so it shows what is saved now."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def _index(options: list, value: object) -> int | None:
    return options.index(value) if value in options else None


def _pick(
    label: str, choices: tuple[Choice, ...], value: int | None, *, key: str, none_label: str, help: str = ""
):
    options: list[int | None] = [None, *(c.id for c in choices)]
    names = {c.id: c.label for c in choices}
    return st.selectbox(
        label,
        options,
        index=_index(options, value) or 0,
        format_func=lambda v: none_label if v is None else names.get(v, "someone"),
        key=key,
        help=help or None,
    )


def entry_form(
    key: str,
    options: FormOptions,
    initial: RiskDraft,
    *,
    submit_label: str,
    extra_cases: tuple[Choice, ...] = (),
) -> RiskDraft | None:
    """The whole entry, in the order a circle talks it through. Returns the draft when submitted."""
    members = {c.id: c.label for c in options.members}
    with st.form(key, border=True):
        typed = _who_and_when(key, options, initial, members, extra_cases)
        typed |= _the_worry(key, initial)
        typed |= _what_we_decided(key, initial)
        typed |= _holding_it(key, initial, members)
        submitted = st.form_submit_button(submit_label, type="primary")
    # A gentle second look at the words, under the form; it never changes them.
    lens.hint("\n".join(typed[f] or "" for f in WORDS), key=f"{key}_lens")
    if not submitted:
        return None
    return RiskDraft(
        **{f: typed[f] or "" for f in WORDS},
        whose_risk=typed["whose_risk"],
        holder_ids=tuple(typed["holder_ids"]),
        review_on=typed["review_on"],  # a date, or the text typed: the data layer reads it
        case_id=typed["case_id"],
        session_id=typed["session_id"],
        raised_by_id=typed["raised_by_id"],
        needs_manager=bool(typed["needs_manager"]),
        worry_before=typed["worry_before"],
        worry_after=typed["worry_after"],
    )


def _who_and_when(
    key: str,
    options: FormOptions,
    initial: RiskDraft,
    members: dict[int, str],
    extra_cases: tuple[Choice, ...],
) -> dict:
    st.markdown("## Who and when")
    cols = st.columns(3)
    with cols[0]:
        case_id = _pick(
            "Who is it about?",
            options.cases + extra_cases,
            initial.case_id,
            key=f"{key}_case",
            none_label="A team-level worry, not one family",
            help="Use the case reference: never a full name.",
        )
    with cols[1]:
        raiser_options = list(members)
        raised_by = st.selectbox(
            "Who raised it?",
            raiser_options,
            index=_index(raiser_options, initial.raised_by_id),
            format_func=lambda v: members.get(v, "someone"),
            key=f"{key}_raised_by",
            placeholder="Choose a colleague",
        )
    with cols[2]:
        session_id = _pick(
            "In which group supervision?",
            options.sessions,
            initial.session_id,
            key=f"{key}_session",
            none_label="Not in a session",
        )
    return {"case_id": case_id, "raised_by_id": raised_by, "session_id": session_id}


def _the_worry(key: str, initial: RiskDraft) -> dict:
    st.markdown("## The worry")
    worry = fields.area(
        "What are you worried might happen?",
        value=initial.worry,
        limit=2000,
        key=f"{key}_worry",
        help="In plain words, the way you would say it to the family.",
    )

    st.markdown("## Which risk are we managing?")
    whose = st.radio(
        "Whose risk is this, do you think?",
        list(WHOSE_RISK),
        index=_index(list(WHOSE_RISK), initial.whose_risk),
        format_func=WHOSE_RISK_LABELS.get,
        key=f"{key}_whose",
        help="There's no wrong answer. Naming our own worry helps the team hold the real risk well.",
    )
    reasoning = fields.area(
        "What makes you think so?",
        value=initial.whose_risk_reasoning,
        limit=2000,
        key=f"{key}_reasoning",
    )
    reasonable = fields.area(
        "What would be reasonable for any young person of this age?",
        value=initial.reasonable_for_age,
        limit=2000,
        key=f"{key}_reasonable",
        help="Leave it empty for a worry where age doesn't come into it.",
    )
    family_view = fields.area(
        "What do the young person and their family say?",
        value=initial.family_view,
        limit=2000,
        key=f"{key}_family",
    )
    keeping_safe = fields.area(
        "What is already keeping them safe?",
        value=initial.keeping_safe,
        limit=2000,
        key=f"{key}_safe",
    )
    return {
        "worry": worry,
        "whose_risk": whose,
        "whose_risk_reasoning": reasoning,
        "reasonable_for_age": reasonable,
        "family_view": family_view,
        "keeping_safe": keeping_safe,
    }


def _what_we_decided(key: str, initial: RiskDraft) -> dict:
    st.markdown("## What we decided")
    decision = fields.area(
        "What have we decided to do?", value=initial.decision, limit=2000, key=f"{key}_decision"
    )
    reasons = fields.area(
        "Why is that right for now?", value=initial.decision_reasons, limit=2000, key=f"{key}_reasons"
    )
    needs_manager = st.checkbox(
        "This decision needs the accountable manager's agreement",
        value=initial.needs_manager,
        key=f"{key}_needs_manager",
        help="A manager who oversees the team records their agreement on the worry afterwards.",
    )
    return {"decision": decision, "decision_reasons": reasons, "needs_manager": needs_manager}


def _holding_it(key: str, initial: RiskDraft, members: dict[int, str]) -> dict:
    st.markdown("## Holding it together")
    holders = st.multiselect(
        "Who is holding this with you?",
        list(members),
        default=[h for h in initial.holder_ids if h in members],
        format_func=lambda v: members.get(v, "someone"),
        key=f"{key}_holders",
        help="At least two people in the team: nobody holds a worry alone.",
        placeholder="Choose at least two colleagues",
    )
    before = _worry_scale(
        "How worried were you before the team talked it through?", initial.worry_before, f"{key}_before"
    )
    after = _worry_scale("And now, after talking it through?", initial.worry_after, f"{key}_after")
    st.caption("0 = not worried at all · 10 = as worried as you have ever been")
    today = clock.today()
    review_on = fields.date(
        "When shall we look at this again?",
        value=initial.review_on,
        key=f"{key}_review_on",
        earliest=today + timedelta(days=1),
        latest=today + timedelta(days=REVIEW_WITHIN_DAYS),
        help="A date after today, within the next six months.",
    )
    return {"holder_ids": holders, "worry_before": before, "worry_after": after, "review_on": review_on}


def _worry_scale(label: str, value: int | None, key: str):
    return st.radio(
        label,
        SCALE,
        index=_index(list(SCALE), value),
        horizontal=True,
        key=key,
        help="0 means not worried at all; 10 means as worried as you have ever been.",
    )


def review_form(key: str, sessions: tuple[Choice, ...]) -> dict | None:
    """Looking back: what happened, what we learned, and what now. Returns the answers when submitted."""
    with st.form(key, border=True):
        what_happened = st.radio(
            "How has it turned out since we last looked?",
            list(REVIEW_OUTCOMES),
            index=None,
            format_func=OUTCOME_LABELS.get,
            key=f"{key}_happened",
        )
        learned = fields.area("What have we learned?", limit=2000, key=f"{key}_learned")
        next_step = st.radio(
            "What now?",
            list(REVIEW_NEXT),
            index=None,
            format_func=NEXT_STEP_LABELS.get,
            key=f"{key}_next",
        )
        today = clock.today()
        next_review_on = fields.date(
            "When shall we look again? (if we keep holding it or change the plan)",
            key=f"{key}_next_review_on",
            earliest=today + timedelta(days=1),
            latest=today + timedelta(days=REVIEW_WITHIN_DAYS),
        )
        new_plan = fields.area(
            "What is the new plan to keep them safe? (if we change the plan)",
            limit=2000,
            key=f"{key}_plan",
        )
        session_id = _pick(
            "In which group supervision?", sessions, None, key=f"{key}_session", none_label="Not in a session"
        )
        submitted = st.form_submit_button("Save the review", type="primary")
    if not submitted:
        return None
    return {
        "what_happened": what_happened,
        "what_we_learned": learned or "",
        "next_step": next_step,
        "next_review_on": next_review_on,
        "new_plan": new_plan or "",
        "session_id": session_id,
    }
