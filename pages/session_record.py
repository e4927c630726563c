"""A session's record: everything in order, amendments, and PDF and CSV exports."""

from __future__ import annotations

import streamlit as st

from components import case_file as case_file_view
from components import downloads, identity, session_notes, session_pick, text
from components.text import plain
from db import clock, session_record, sessions
from db.errors import NotAllowed

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
    rec = session_record.record(actor, session_id)
except NotAllowed as refused:
    st.warning(refused.message)
    st.stop()
session_pick.choose(session_id)  # in the URL: a refresh, a bookmark or a shared link lands here
v = rec.view
closed = v.status == "closed"

st.header(plain(session_record.title(rec)))
if closed and rec.closed_at:
    st.caption(
        f"Closed {clock.when(rec.closed_at, '%d %B %Y at %H:%M')}. The record stays as it was; corrections "
        "are added below as amendments, with who and when."
    )
else:
    st.caption("The session is still open, so this is the record so far.")

cols = st.columns(2)
slug = f"{clock.local(v.scheduled_for):%Y-%m-%d}"
downloads.file(
    "Download the PDF",
    lambda who: session_record.pdf(who, session_id),  # type: ignore[arg-type]  # the page stopped above when it is None; mypy drops that narrowing inside a nested function
    file_name=f"circle-session-{slug}.pdf",
    key="record_pdf_download",
    where=cols[0],
)
downloads.file(
    "Download the CSV",
    lambda who: session_record.csv(who, session_id),  # type: ignore[arg-type]  # the page stopped above when it is None; mypy drops that narrowing inside a nested function
    file_name=f"circle-session-{slug}.csv",
    key="record_csv_download",
    where=cols[1],
)
# Each family's entry for their own case file (issue 17).
case_file_view.session_entries(actor, session_id, where="record")

st.markdown(
    "**Present:** "
    + plain(", ".join(a.name for a in v.attendees if a.attendance == "present") or "not recorded")
)
apologies = [a.name for a in v.attendees if a.attendance == "apologies"]
if apologies:
    st.markdown("**Apologies:** " + plain(", ".join(apologies)))

st.header("Arrival round")
if rec.arrivals:
    text.table(
        [
            {
                "Who": a.name,
                "Arriving (0-10)": a.score,
                "Word": a.word,
                "Would like the team's help": "yes" if a.needs_team else "no",
            }
            for a in rec.arrivals
        ]
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
        # Until the session closes, whoever brought it (or the facilitator) can finish the
        # summary here; after close the record is kept as it was and shows it read-only.
        if not closed and (item.brought_by_id == actor.person_id or v.i_facilitate):
            session_notes.summary_form(actor, item)
        elif item.case_file_summary:
            st.caption("Summary for the case file" + (" (ready)" if item.summary_ready else " (draft)"))
            st.text(item.case_file_summary)
if not v.items:
    st.caption("Nothing was brought to this session.")

st.header("Relationship check-ins")
if rec.check_ins:
    text.table(
        [
            {"Case": c.case_reference, "Who": c.practitioner}
            | {label: getattr(c, key) for key, label in sessions.CHECK_IN_ITEMS.items()}
            | {"What's working": c.working_well, "What gets in the way": c.gets_in_the_way}
            for c in rec.check_ins
        ]
    )
else:
    st.caption("No relationship check-ins were recorded in this session.")

st.header("Actions")
if rec.reviewed_actions:
    st.markdown("**Looked back on**")
    text.table(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "How it went": a.status.replace("_", " "),
                "Why": a.status_reason,
            }
            for a in rec.reviewed_actions
        ]
    )
if rec.new_actions:
    st.markdown("**Agreed**")
    text.table(
        [
            {
                "What": a.description,
                "Who": a.owner,
                "By": f"{a.due_on:%d %b %Y}",
                "For": a.case_reference or "the team",
                "Carried over?": "carried over" if a.carried_from_id else "new",
            }
            for a in rec.new_actions
        ]
    )
if not rec.reviewed_actions and not rec.new_actions:
    st.caption("No actions.")

st.header("Closing round")
if rec.closings:
    text.table(
        [
            {"Who": c.name}
            | {label: getattr(c, key) for key, label in sessions.CLOSING_ITEMS.items()}
            | {"Word": c.word}
            for c in rec.closings
        ]
    )
else:
    st.caption("No closing round was recorded.")

st.header("Amendments")
for a in rec.amendments:
    st.markdown(f"**{plain(a.author)}** · {clock.when(a.created_at, '%d %B %Y, %H:%M')}")
    st.text(a.text)
if not rec.amendments:
    st.caption(
        "No amendments." if v.status == "closed" else "Amendments can be added once the session has closed."
    )
if v.status == "closed" and v.i_facilitate:
    session_notes.amendment_form(actor, session_id)
