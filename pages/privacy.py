"""Personal data, for administrators: subject access requests, how long each kind of record
is kept, legal holds, and erasing or restricting a record on request."""

from __future__ import annotations

import streamlit as st

from components import downloads, identity, personal_data
from db import clock, data_protection, people

actor = identity.actor()
st.title("Personal data")
st.caption(
    "What Circle holds about someone, how long it keeps each kind of record, and what to do when a "
    "person asks for a copy, a correction or an erasure. Everything here is in the audit trail."
)
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
        files = downloads.prepare(
            "Prepare their files",
            lambda: (
                data_protection.subject_access_json(actor, chosen),
                data_protection.subject_access_pdf(actor, chosen),
            ),
            key="privacy_prepare",
            keep_as="privacy_files",
            fits=chosen,
            icon=":material/folder_zip:",
        )
        if files:
            cols = st.columns(2)
            stem = f"circle-subject-access-{chosen}-{today:%Y-%m-%d}"
            downloads.file(
                "Download JSON", made=files[0], file_name=f"{stem}.json", key="privacy_json", where=cols[0]
            )
            downloads.file(
                "Download PDF", made=files[1], file_name=f"{stem}.pdf", key="privacy_pdf", where=cols[1]
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
    personal_data.retention_form(actor)

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
        personal_data.lift_hold(actor, current)
    personal_data.hold_form(actor, names)

with tab_erase:
    st.write(
        "When the council agrees a request, erase a record with everything that belongs to it, or "
        "restrict it: kept, but hidden from the team's screens until you lift the restriction. "
        "Erasing a person removes their name, username and sign-in; the team's records stay."
    )
    personal_data.erase_form(actor)
    kept_out = data_protection.restrictions(actor)
    if kept_out:
        st.header("Restricted records")
        st.dataframe(
            [{"Kind": r.record_type, "Record": r.record_id, "Why": r.reason} for r in kept_out],
            hide_index=True,
            width="stretch",
        )
        personal_data.lift_restriction(actor, kept_out)
