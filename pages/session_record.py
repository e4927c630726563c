"""A session's record: everything in order, amendments, and PDF and CSV exports."""

from __future__ import annotations

import streamlit as st

from components import forms, identity, session_pick
from components.text import plain
from db import session_record, sessions
from db.errors import EditConflict, NotAllowed, NotValid

actor = identity.actor()
st.title("Session record")

session_id = session_pick.chosen()
if session_id is None:
    st.info(
        "Choose a session on the Group supervision screen, and its record will open here.",
        icon=":material/description:",
    )
    st.page_link("pages/sessions.py", label="Go to Group supervision", icon=":material/event:")
    st.stop()
try:
    rec = sessions.record(actor, session_id)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()
v = rec.view

st.subheader(plain(session_record.title(rec)))
if v.status == "closed":
    st.caption(
        f"Closed {rec.closed_at:%d %B %Y at %H:%M} UTC. The record stays as it was; corrections are added below "
        "as amendments, with who and when."
    )
else:
    st.caption("The session is still open, so this is the record so far.")

cols = st.columns(2)
slug = f"{v.scheduled_for:%Y-%m-%d}"
if cols[0].button("Prepare the PDF", key="record_pdf_prepare"):
    st.session_state["record_pdf"] = (session_id, session_record.pdf(actor, session_id))
prepared = st.session_state.get("record_pdf")
if prepared and prepared[0] == session_id:
    cols[0].download_button(
        "Download the PDF",
        prepared[1],
        file_name=f"circle-session-{slug}.pdf",
        mime="application/pdf",
        key="record_pdf_download",
    )
if cols[1].button("Prepare the CSV", key="record_csv_prepare"):
    st.session_state["record_csv"] = (session_id, session_record.csv(actor, session_id))
prepared_csv = st.session_state.get("record_csv")
if prepared_csv and prepared_csv[0] == session_id:
    cols[1].download_button(
        "Download the CSV",
        prepared_csv[1],
        file_name=f"circle-session-{slug}.csv",
        mime="text/csv",
        key="record_csv_download",
    )

st.markdown(
    "**Present:** "
    + plain(", ".join(a.name for a in v.attendees if a.attendance == "present") or "not recorded")
)
apologies = [a.name for a in v.attendees if a.attendance == "apologies"]
if apologies:
    st.markdown("**Apologies:** " + plain(", ".join(apologies)))

st.header("Arrival round")
if rec.arrivals:
    st.dataframe(
        [
            {
                "Who": a.name,
                "Arriving (0-10)": a.score,
                "Word": a.word,
                "Would like the team's help": "yes" if a.needs_team else "",
            }
            for a in rec.arrivals
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("No arrival round was recorded.")

st.header("What people brought")
for item in v.items:
    with st.container(border=True):
        st.markdown(f"**{plain(item.case_reference or 'A theme')}** · brought by {plain(item.brought_by)}")
        st.text(item.ask)
        if item.discussion_notes:
            st.caption("What the team thought together")
            st.text(item.discussion_notes)
        if item.brought_by_id == actor.person_id or v.i_facilitate:
            with st.form(f"record_summary_{item.id}"):
                summary = st.text_area(
                    "Summary for the case file",
                    value=item.case_file_summary,
                    max_chars=2000,
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
                        forms.show_problems(problem)
                    except EditConflict as conflict:
                        forms.show_conflict(conflict)
        elif item.case_file_summary:
            st.caption("Summary for the case file" + (" (ready)" if item.summary_ready else " (draft)"))
            st.text(item.case_file_summary)
if not v.items:
    st.caption("Nothing was brought to this session.")

st.header("Relationship check-ins")
if rec.check_ins:
    st.dataframe(
        [
            {"Case": c.case_reference, "Who": c.practitioner}
            | {label: getattr(c, key) for key, label in sessions.CHECK_IN_ITEMS.items()}
            | {"What's working": c.working_well, "What gets in the way": c.gets_in_the_way}
            for c in rec.check_ins
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("No relationship check-ins were recorded in this session.")

st.header("Actions")
if rec.reviewed_actions:
    st.markdown("**Looked back on**")
    st.dataframe(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "How it went": a.status.replace("_", " "),
                "Why": a.status_reason,
            }
            for a in rec.reviewed_actions
        ],
        hide_index=True,
        width="stretch",
    )
if rec.new_actions:
    st.markdown("**Agreed**")
    st.dataframe(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "By": f"{a.due_on:%d %b %Y}",
                "For": a.case_reference or "the team",
                "": "carried over" if a.carried_from_id else "",
            }
            for a in rec.new_actions
        ],
        hide_index=True,
        width="stretch",
    )
if not rec.reviewed_actions and not rec.new_actions:
    st.caption("No actions.")

st.header("Closing round")
if rec.closings:
    st.dataframe(
        [
            {"Who": c.name}
            | {label: getattr(c, key) for key, label in sessions.CLOSING_ITEMS.items()}
            | {"Word": c.word}
            for c in rec.closings
        ],
        hide_index=True,
        width="stretch",
    )
else:
    st.caption("No closing round was recorded.")

st.header("Amendments")
for a in rec.amendments:
    st.markdown(f"**{plain(a.author)}** · {a.created_at:%d %B %Y, %H:%M} UTC")
    st.text(a.text)
if not rec.amendments:
    st.caption(
        "No amendments." if v.status == "closed" else "Amendments can be added once the session has closed."
    )
if v.status == "closed" and v.i_facilitate:
    with st.form("record_amend"):
        text = st.text_area(
            "Add an amendment (what needs correcting, and why)", max_chars=3000, key="record_amend_text"
        )
        if st.form_submit_button("Add the amendment"):
            try:
                sessions.amend(actor, session_id, text)
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"text": "The amendment"})
