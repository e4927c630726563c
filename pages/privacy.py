"""Personal data, for administrators: subject access requests, how long each kind of record
is kept, legal holds, and erasing or restricting a record on request."""

from __future__ import annotations

import streamlit as st

from components import a11y, fields, forms, identity
from db import clock, data_protection, people
from db.errors import NotValid

actor = identity.actor()
st.title("Personal data")
st.caption(
    "What Circle holds about someone, how long it keeps each kind of record, and what to do when a "
    "person asks for a copy, a correction or an erasure. Everything here is in the audit trail."
)
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
everyone = people.list_people(actor)
names = {p.id: f"{p.display_name} ({p.username})" for p in everyone}
today = clock.today()

tab_access, tab_keep, tab_holds, tab_erase = st.tabs(
    ["A copy for someone", "How long we keep things", "Legal holds", "Erase or restrict"]
)

with tab_access:
    st.write(
        "Everything Circle holds about a person, as a member of staff or as named in records: a JSON "
        "file for the request and a readable PDF. Making the files is noted in the audit trail."
    )
    if everyone:
        chosen = st.selectbox("Whose data?", list(names), format_func=names.__getitem__, key="privacy_person")
        if st.button("Prepare their files", key="privacy_prepare", icon=":material/folder_zip:"):
            st.session_state["privacy_files"] = (
                chosen,
                data_protection.subject_access_json(actor, chosen),
                data_protection.subject_access_pdf(actor, chosen),
            )
        files = st.session_state.get("privacy_files")
        if files and files[0] == chosen:
            # Made on the button press above; handed over only while the sign-in still holds.
            cols = st.columns(2)
            cols[0].download_button(
                "Download JSON",
                identity.deferred(lambda _who, made=files[1]: made),  # type: ignore[misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it
                file_name=f"circle-subject-access-{chosen}-{today:%Y-%m-%d}.json",
                mime="application/json",
                on_click="ignore",
                key="privacy_json",
            )
            cols[1].download_button(
                "Download PDF",
                identity.deferred(lambda _who, made=files[2]: made),  # type: ignore[misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it
                file_name=f"circle-subject-access-{chosen}-{today:%Y-%m-%d}.pdf",
                mime="application/pdf",
                on_click="ignore",
                key="privacy_pdf",
            )

with tab_keep:
    st.write(
        "Once a record is finished (a case closed, a worry closed, a session held), how many months "
        "should Circle keep it? `python -m db purge` removes what is older, except what a legal hold "
        "keeps. Leave a kind empty to keep it until you decide."
    )
    rules = data_protection.retention(actor)
    st.dataframe(
        [
            {
                "Kind of record": r.label,
                "Kept for": f"{r.keep_months} months" if r.keep_months else "until decided",
            }
            for r in rules
        ],
        hide_index=True,
        width="stretch",
    )
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

with tab_holds:
    st.write(
        "A legal hold keeps everything about a case, or naming a person, out of purges and erasure "
        "until you lift it (for proceedings, a complaint or an inquiry)."
    )
    current = data_protection.holds(actor)
    if current:
        st.dataframe(
            [
                {
                    "Holding": f"case {h.case_reference}" if h.case_id else f"person {h.person_name}",
                    "Why": h.reason,
                    "Since": f"{h.placed_at:%d %b %Y}",
                }
                for h in current
            ],
            hide_index=True,
            width="stretch",
        )
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
    with st.form("privacy_hold"):
        what = st.radio("Hold", ["A person", "A case (by its number)"], horizontal=True)
        person_id = st.selectbox("Person", list(names), format_func=names.__getitem__) if everyone else None
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

with tab_erase:
    st.write(
        "When the council agrees a request, erase a record with everything that belongs to it, or "
        "restrict it: kept, but hidden from the team's screens until you lift the restriction. "
        "Erasing a person removes their name, username and sign-in; the team's records stay."
    )
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
    kept_out = data_protection.restrictions(actor)
    if kept_out:
        st.header("Restricted records")
        st.dataframe(
            [{"Kind": r.record_type, "Record": r.record_id, "Why": r.reason} for r in kept_out],
            hide_index=True,
            width="stretch",
        )
        lift_r = st.selectbox(
            "Lift a restriction",
            [r.id for r in kept_out],
            format_func=lambda i: next(f"{r.record_type} {r.record_id}" for r in kept_out if r.id == i),
            key="privacy_lift_restriction",
        )
        if st.button("Lift this restriction", key="privacy_lift_restriction_button"):
            data_protection.lift_restriction(actor, lift_r)
            st.rerun()
