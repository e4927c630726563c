"""The audit trail, for administrators: who looked at, added, changed, exported or removed
which record, and every sign-in and failed sign-in, searched and exported."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import downloads, fields, identity
from components.text import plain
from db import audit, clock
from db.errors import NotValid

actor = identity.actor()
st.title("Audit trail")
st.caption(
    "Every line says who, what, which record and when (UTC). It never holds what a record says, "
    "and nobody can change or remove a line, not even an administrator."
)

known = audit.choices(actor)
today = clock.today()
with st.form("audit_search"):
    cols = st.columns([2, 2, 2, 1.5, 1.5])
    person = cols[0].text_input(
        "Username", key="audit_person", help="As typed at sign-in, so failed tries show too."
    )
    action = cols[1].selectbox(
        "Action", ["", *known.actions], format_func=lambda a: a or "Any action", key="audit_action"
    )
    record_type = cols[2].selectbox(
        "Kind of record",
        ["", *known.record_types],
        format_func=lambda r: r or "Any kind",
        key="audit_record_type",
    )
    # Typed as DD/MM/YYYY and read strictly (components/fields.py says why not a date picker).
    typed_start = fields.date("From", value=today - timedelta(days=30), key="audit_from", where=cols[3])
    typed_end = fields.date("To", value=today, key="audit_to", where=cols[4])
    st.form_submit_button("Search", icon=":material/search:")

page = int(st.session_state.get("audit_page", 1))
try:
    start = fields.typed_day("start", typed_start, "From")
    end = fields.typed_day("end", typed_end, "To")
    filters = audit.AuditFilters(person=person, action=action, record_type=record_type, start=start, end=end)
    found = audit.search(actor, filters, page=page)
except NotValid as problem:
    # A search, not a save: the words alone, each naming its field ("From: ...").
    st.error(plain(" ".join(problem.problems.values())), icon=":material/date_range:")
    st.stop()

if not found.rows:
    st.info(
        "Nothing matches yet. Widen the dates or clear a filter: sign-ins, views and changes all land here.",
        icon=":material/manage_search:",
    )
else:
    st.caption(f"{found.total} lines · page {found.page} of {found.pages} · newest first")
    st.dataframe(
        [dict(zip(audit.HEADERS, row.cells(), strict=True)) for row in found.rows],
        hide_index=True,
        width="stretch",
    )
    nav = st.columns([1, 1, 6])
    if nav[0].button("Newer", disabled=found.page <= 1, key="audit_newer"):
        st.session_state["audit_page"] = found.page - 1
        st.rerun()
    if nav[1].button("Older", disabled=found.page >= found.pages, key="audit_older"):
        st.session_state["audit_page"] = found.page + 1
        st.rerun()

made = downloads.prepare(
    "Prepare a CSV of these lines",
    lambda: audit.export_csv(actor, filters),
    key="audit_prepare",
    keep_as="audit_csv",
    show=bool(found.total),
)
if made:
    downloads.file(
        "Download the CSV", made=made, file_name=f"circle-audit-{today:%Y-%m-%d}.csv", key="audit_download"
    )
