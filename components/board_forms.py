"""The case board's two forms: adding a case, and the team's own board settings (what the
statuses are called, and the weeks before a gentle nudge). Each is drawn only when its
section is opened, and saves through the data layer (docs/architecture.md)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import a11y, disclosure, fields, forms
from components.text import plain
from db import case_board, clock
from db.access import Actor
from db.errors import EditConflict, NotValid
from db.models import CASE_STATUSES


def new_case(actor: Actor, team_id: int, view: case_board.BoardPage) -> None:
    """Add a case to the team's board (for those who can edit it)."""
    with disclosure.section("Add a case to the board", key="board_new", icon=":material/add:") as adding:
        if adding:
            _new_case_form(actor, team_id, view)


def settings(actor: Actor, team_id: int, current: case_board.BoardSettings) -> None:
    """The team's supervisor names the statuses and chooses the weeks before a nudge."""
    base_key = f"board_settings_base_{team_id}"
    label_keys = {status: f"board_label_{team_id}_{status}" for status in CASE_STATUSES}
    weeks_key = f"board_weeks_{team_id}"
    if base_key not in st.session_state or weeks_key not in st.session_state:
        st.session_state[base_key] = current.version
        st.session_state[weeks_key] = str(current.not_discussed_weeks)
        for status, key in label_keys.items():
            st.session_state[key] = current.labels[status]
    with disclosure.section(
        "Your team's board settings", key=f"board_setup_{team_id}", icon=":material/tune:"
    ) as setting:
        if setting:
            _settings_form(actor, team_id, base_key, label_keys, weeks_key)


def _new_case_form(actor: Actor, team_id: int, view: case_board.BoardPage) -> None:
    with st.form("board_new_case"):
        st.caption(
            "Use initials or your local reference number, never a name, address or date of birth: "
            "everyone in your team will see it."
        )
        colleagues = {c.person_id: c.name for c in view.colleagues}
        reference = fields.text("Reference", limit=40, key="board_new_reference", placeholder="e.g. JT-07")
        lead_choices = list(colleagues)
        new_lead = st.selectbox(
            "Lead practitioner",
            lead_choices,  # type: ignore[arg-type]  # Streamlit's option type is inferred from format_func=dict.get and collapses to Never
            index=lead_choices.index(actor.person_id) if actor.person_id in lead_choices else 0,
            format_func=colleagues.get,  # type: ignore[arg-type]  # dict.get as format_func: every option is one of the dict's keys
            key="board_new_lead",
        )
        new_status = st.selectbox(
            "Where things are", CASE_STATUSES, format_func=view.settings.label, key="board_new_status"
        )
        today = clock.today()
        review = fields.date(
            "Next review (optional)",
            key="board_new_review",
            earliest=today - timedelta(days=732),
            latest=today + timedelta(days=732),
        )
        if st.form_submit_button("Add the case"):
            try:
                case_board.create_case(
                    actor,
                    team_id,
                    reference=reference,
                    lead_id=new_lead,
                    status=new_status,
                    next_review_on=review,  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                )
                a11y.notice(f"{plain(reference.strip())} is on the board.", icon=":material/check:")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, case_board.CASE_LABELS)


def _settings_form(
    actor: Actor, team_id: int, base_key: str, label_keys: dict[str, str], weeks_key: str
) -> None:
    with st.form(f"board_settings_{team_id}"):
        st.caption(
            "Name the stages the way your team talks about them, and choose how long a case can go "
            "without being talked about before the board gently points it out."
        )
        labels = {
            status: fields.text(f"Instead of “{case_board.DEFAULT_STATUS_LABELS[status]}”", limit=30, key=key)
            for status, key in label_keys.items()
        }
        weeks = fields.whole_number("Weeks before a gentle nudge", low=1, high=26, key=weeks_key)
        if st.form_submit_button("Save the board settings"):
            try:
                case_board.save_board_settings(
                    actor,
                    team_id,
                    labels=labels,
                    not_discussed_weeks=weeks,  # type: ignore[arg-type]  # the data layer refuses a non-number
                    version=st.session_state[base_key],
                )
                del st.session_state[base_key]
                a11y.notice("Saved: the whole team sees the new names now.", icon=":material/check:")
                st.rerun()
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        f"label_{s}": f"Instead of “{case_board.DEFAULT_STATUS_LABELS[s]}”"
                        for s in CASE_STATUSES
                    }
                    | {"not_discussed_weeks": "Weeks before a gentle nudge"},
                )
            except EditConflict as conflict:
                st.session_state[base_key] = case_board.board_settings(actor, team_id).version
                forms.show_conflict(conflict)
