"""Personal data, the administrator's actions: how long each kind of record is kept, legal
holds (placed and lifted), and erasing or restricting a record on request.

Each form saves through the data layer for the signed-in person (which checks the role and
notes it in the audit trail) and says how it went; a refused save keeps what was typed.
"""

from __future__ import annotations

import streamlit as st

from components import a11y, fields, forms
from db import data_protection
from db.access import Actor
from db.data_protection import HoldLine, RestrictionLine
from db.errors import NotValid

MONTHS_LABEL = "Months to keep it (0 or empty: until decided)"
LARGEST_NUMBER = 2_147_483_647  # the largest record number the database holds
LABELS = {
    "reason": "The reason",
    "target": "Case or person",
    "record_id": "The record",
    "kind": "Kind of record",
    "keep_months": MONTHS_LABEL,
    "case_number": "Case number",
}


def retention_form(actor: Actor) -> None:
    """How many months to keep one kind of finished record."""
    with st.form("privacy_retention"):
        kind = st.selectbox(
            "Kind of record", list(data_protection.KINDS), format_func=data_protection.KINDS.__getitem__
        )
        months = fields.whole_number(
            MONTHS_LABEL, low=0, high=data_protection.MAX_MONTHS, key="privacy_keep_months"
        )
        if st.form_submit_button("Save"):
            try:
                keep = fields.typed_number(
                    "keep_months",
                    months,
                    MONTHS_LABEL,
                    low=0,
                    high=data_protection.MAX_MONTHS,
                    required=False,
                )
                data_protection.set_retention(actor, kind, keep or None)
                a11y.notice("Saved. The next purge follows it.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def lift_hold(actor: Actor, current: tuple[HoldLine, ...]) -> None:
    lift = st.selectbox(
        "Lift a hold",
        [h.id for h in current],
        format_func=lambda i: next(
            (f"case {h.case_reference}" if h.case_id else f"person {h.person_name}")
            for h in current
            if h.id == i
        ),
        key="privacy_lift",
    )
    if st.button("Lift this hold", key="privacy_lift_button"):
        data_protection.lift_hold(actor, lift)
        st.rerun()


def hold_form(actor: Actor, names: dict[int, str]) -> None:
    """A hold on a person (chosen from `names`, when there is anyone to choose) or on a
    case by its number."""
    with st.form("privacy_hold"):
        what = st.radio("Hold", ["A person", "A case (by its number)"], horizontal=True)
        person_id = st.selectbox("Person", list(names), format_func=names.__getitem__) if names else None
        case_number = fields.whole_number(
            "Case number", low=1, high=LARGEST_NUMBER, key="privacy_hold_case", help="Only for a case."
        )
        reason = st.text_area("The reason", key="privacy_hold_reason")
        if st.form_submit_button("Place the hold"):
            try:
                if what == "A person":
                    data_protection.place_hold(actor, reason=reason, person_id=person_id)
                else:
                    case_id = fields.typed_number(
                        "case_number", case_number, "Case number", low=1, high=LARGEST_NUMBER
                    )
                    data_protection.place_hold(actor, reason=reason, case_id=case_id)
                a11y.notice("The hold is in place.")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, LABELS)


def erase_form(actor: Actor) -> None:
    """Erasing a record with everything that belongs to it, or restricting it instead."""
    with st.form("privacy_erase"):
        kind = st.selectbox(
            "Kind of record",
            data_protection.ERASABLE,
            format_func=lambda k: {
                **data_protection.KINDS,
                "person": "A person's identity (name, username, sign-in)",
            }[k],
            key="privacy_erase_kind",
        )
        record_id = st.text_input("The record's number (a worry's reference for a worry)")
        reason = st.text_area("The reason", key="privacy_erase_reason")
        confirm = st.checkbox("I understand erasing can't be undone")
        cols = st.columns(2)
        erase = cols[0].form_submit_button("Erase")
        restrict = cols[1].form_submit_button("Restrict instead")
    if erase or restrict:
        try:
            if erase and not confirm:
                raise NotValid(
                    {"record_id": "Please tick the box to say you understand erasing can't be undone."}
                )
            if erase:
                data_protection.erase(actor, kind, record_id, reason=reason)
                st.success("Erased. The audit trail notes that it was, never what it said.")
            else:
                data_protection.restrict(actor, kind, record_id, reason=reason)
                st.success("Restricted: kept, and out of the team's screens until you lift it.")
        except NotValid as problem:
            forms.show_problems(problem, LABELS)


def lift_restriction(actor: Actor, kept_out: tuple[RestrictionLine, ...]) -> None:
    lift_r = st.selectbox(
        "Lift a restriction",
        [r.id for r in kept_out],
        format_func=lambda i: next(f"{r.record_type} {r.record_id}" for r in kept_out if r.id == i),
        key="privacy_lift_restriction",
    )
    if st.button("Lift this restriction", key="privacy_lift_restriction_button"):
        data_protection.lift_restriction(actor, lift_r)
        st.rerun()
