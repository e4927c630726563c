"""Case-file entries on screen: the list on a case's page (what is filed and what is still to
file) and, on the session record and the room's close step, each family's entry with its
exports and the team's two choices (include the check-in; copied to the case file).

Downloads are built when pressed for the sign-in that still holds (components/downloads.py), and
the data layer audits each export. Managers see the list only (db.case_file says why)."""

from __future__ import annotations

import streamlit as st

from components import disclosure, downloads, forms, text
from components.text import plain
from db import case_file, case_file_pdf, clock
from db.access import Actor
from db.case_file import Entry
from db.errors import EditConflict, NotAllowed, NotValid

ENTRY_ROLES = case_file.ENTRY_ROLES


def _filed_words(copied_by: str | None, copied_at: object) -> str:
    if copied_at is None:
        return "Not copied yet"
    return f"Copied to the case file by {copied_by or 'a colleague'}, {clock.when(copied_at, '%d %B %Y at %H:%M')}"  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made


def case_section(actor: Actor, case_id: int) -> None:
    """The case page's *Case-file entries*: every session the case was brought to."""
    st.header("Case-file entries")
    try:
        lines = case_file.entries_for_case(actor, case_id)
    except NotAllowed as refused:
        st.caption(refused.message)
        return
    if not lines:
        st.caption(
            "When this child or family is brought to group supervision, an entry for their case file "
            "appears here after the session, ready to copy across."
        )
        return
    to_file = sum(1 for line in lines if not line.filed and line.session_status == "closed")
    st.caption(
        f"{len(lines)} from group supervision · {to_file} still to copy to the case file"
        if to_file
        else f"{len(lines)} from group supervision · all copied to the case file"
    )
    if actor.role not in ENTRY_ROLES:
        # Managers: which sessions made an entry and whether each is filed, not the text.
        text.table(
            [
                {
                    "Session": f"{line.held_on:%d %B %Y}",
                    "Copied to the case file": _filed_words(line.copied_by, line.copied_at)
                    if line.session_status == "closed"
                    else "Session still open",
                }
                for line in lines
            ]
        )
        return
    for line in lines:
        state = (
            "session still open"
            if line.session_status != "closed"
            else ("copied to the case file" if line.filed else "still to copy")
        )
        key = f"cf_case_{case_id}_{line.session_id}"
        # Built only when opened: a case brought to many sessions would otherwise build (and
        # audit as viewed) every entry on every rerun of the case page.
        with disclosure.section(f"Group supervision, {line.held_on:%d %B %Y} · {state}", key=key) as opened:
            if opened:
                entry_panel(actor, line.session_id, case_id, key=key)


def session_entries(actor: Actor, session_id: int, *, where: str) -> None:
    """Each family discussed in a session, with its entry (record page, room after close)."""
    if actor.role not in ENTRY_ROLES:
        return
    try:
        found = case_file.cases_in(actor, session_id)
    except NotAllowed:
        return
    st.header("Case-file entries")
    if not found:
        st.caption("No child or family was brought to this session, so there is nothing to file.")
        return
    st.caption(
        "One entry per child or family: only what the team said about them, ready to copy to "
        "their case file. Nothing of the other families, and no arrival or closing scores."
    )
    for case_id, reference, copied in found:
        state = "copied to the case file" if copied else "still to copy"
        key = f"cf_{where}_{session_id}_{case_id}"
        with disclosure.section(f"Case {plain(reference)} · {state}", key=key) as opened:
            if opened:
                entry_panel(actor, session_id, case_id, key=key)


def entry_panel(actor: Actor, session_id: int, case_id: int, *, key: str) -> None:
    try:
        e = case_file.entry(actor, session_id, case_id)
    except NotAllowed as refused:
        st.caption(refused.message)
        return
    closed = e.session_status == "closed"
    st.markdown(
        f"**{plain(_filed_words(e.copied_by, e.copied_at))}**"
        if closed
        else "**Draft: the session is still open**"
    )
    name = f"{plain(e.case_reference)}, {e.held_on:%d %B %Y}"
    _entry_downloads(e, key, name)
    with st.container(border=True):
        for heading, lines in case_file.sections(e):
            if heading:
                st.markdown(f"**{plain(heading)}**")
            for line in lines:
                st.text(line)
    _ticks(actor, e, key, name)


def _entry_downloads(e: Entry, key: str, name: str) -> None:
    slug = f"{e.held_on:%Y-%m-%d}"
    cols = st.columns(2)
    downloads.file(
        f"Download the entry for {name} (PDF)",
        lambda who: case_file_pdf.pdf(who, e.session_id, e.case_id),
        file_name=f"case-file-entry-{slug}-{e.case_id}.pdf",
        key=f"{key}_pdf",
        where=cols[0],
        help="Only this child or family's part of the session, to file on their record.",
    )
    downloads.file(
        f"Download the entry for {name} as text",
        lambda who: case_file.text(who, e.session_id, e.case_id),
        file_name=f"case-file-entry-{slug}-{e.case_id}.txt",
        key=f"{key}_txt",
        where=cols[1],
        help="Plain text, ready to paste into your council's case-management system.",
    )


def _ticks(actor: Actor, e: Entry, key: str, name: str) -> None:
    """Whether the check-in belongs in the entry, and (once closed) that it is copied across."""
    version_key = f"{key}_version"
    if version_key not in st.session_state:
        st.session_state[version_key] = e.version
    if e.check_in_recorded:
        include = st.checkbox(
            f"Include the relationship check-in in the entry for {name} (when the team agrees it belongs there)",
            value=e.include_check_in,
            key=f"{key}_include_{e.version}",
        )
        if include != e.include_check_in:
            _save(
                lambda v: case_file.set_include_check_in(
                    actor, e.session_id, e.case_id, include=include, version=v
                ),
                version_key,
            )
    if e.session_status == "closed":
        copied = st.checkbox(
            f"The entry for {name} is copied to the case file",
            value=e.copied_at is not None,
            key=f"{key}_copied_{e.version}",
            help="Tick once you have copied this entry to the child's record; the case page shows who and when.",
        )
        if copied != (e.copied_at is not None):
            _save(
                lambda v: case_file.set_copied(actor, e.session_id, e.case_id, copied=copied, version=v),
                version_key,
            )


def _save(act, version_key: str) -> None:
    try:
        st.session_state[version_key] = act(st.session_state[version_key])
        st.rerun()
    except EditConflict as conflict:
        st.session_state.pop(version_key, None)
        forms.show_conflict(conflict)
    except NotValid as problem:
        forms.show_problems(problem)
    except NotAllowed as refused:
        st.warning(refused.message)
