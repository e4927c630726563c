"""What is written into a session's record after the talk: each brought item's summary for
the case file (until the session closes) and, once it has closed, the facilitator's
amendments.

Each form saves through the data layer for the signed-in person and reruns when saved; a
refused save keeps every word and says what to change, or what someone saved in between.
"""

from __future__ import annotations

import streamlit as st

from components import fields, forms
from db import sessions
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.sessions import Item


def summary_form(actor: Actor, item: Item) -> None:
    """The summary of one brought item for the child or family's case file."""
    with st.form(f"record_summary_{item.id}"):
        summary = fields.area(
            "Summary for the case file",
            value=item.case_file_summary,
            limit=2000,
            key=f"record_summary_text_{item.id}",
        )
        ready = st.checkbox(
            "Ready for the case file", value=item.summary_ready, key=f"record_summary_ready_{item.id}"
        )
        if st.form_submit_button("Save the summary"):
            try:
                sessions.save_notes(
                    actor,
                    item.id,
                    discussion_notes=item.discussion_notes,
                    case_file_summary=summary,
                    summary_ready=ready,
                    version=item.version,
                )
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"case_file_summary": "Summary for the case file"})
            except EditConflict as conflict:
                forms.show_conflict(conflict)


def amendment_form(actor: Actor, session_id: int) -> None:
    """An amendment to a closed session's record: what needs correcting, and why."""
    with st.form("record_amend"):
        amendment = fields.area(
            "Add an amendment (what needs correcting, and why)", limit=3000, key="record_amend_text"
        )
        if st.form_submit_button("Add the amendment"):
            try:
                sessions.amend(actor, session_id, amendment)
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"text": "Add an amendment"})
