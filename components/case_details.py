"""A case's details (where things are, who leads, who is closest, the next review) and, for
the team's supervisor, its reference.

Each form saves through the data layer for the signed-in person. A save leaves a line for
the case page to show after its rerun (`FLASH_KEY`); a refused one keeps every choice made
and says what to change, or what a colleague saved in between.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from components import fields, forms
from db import case_board
from db.access import Actor
from db.cases import CaseDetail
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import CASE_STATUSES
from db.validation import shown

# (what was saved, a note to show beside it or None): the case page shows it once.
FLASH_KEY = "case_flash"


def _base_key(case_id: int) -> str:
    return f"case_details_base_{case_id}"


def _start_from_saved(detail: CaseDetail, key: str, leads: list[int]) -> None:
    """The form starts from what is saved; after that it keeps what this person chose."""
    base_key = _base_key(detail.case_id)
    if base_key in st.session_state and f"{key}_status" in st.session_state:
        return
    st.session_state[base_key] = detail.version
    st.session_state[f"{key}_status"] = detail.status
    st.session_state[f"{key}_lead"] = detail.lead_id if detail.lead_id in leads else None
    st.session_state[f"{key}_best"] = detail.best_id if detail.best_id in leads else None
    st.session_state[f"{key}_review"] = shown(detail.next_review_on) if detail.next_review_on else ""


def details_form(actor: Actor, detail: CaseDetail, today: date) -> None:
    base_key = _base_key(detail.case_id)
    key = f"case_details_{detail.case_id}"
    people_by_id = {c.person_id: c.name for c in detail.colleagues}
    leads = list(people_by_id)
    _start_from_saved(detail, key, leads)
    with st.form(key):
        status = st.selectbox(
            "Where things are", CASE_STATUSES, format_func=detail.settings.label, key=f"{key}_status"
        )
        lead = st.selectbox(
            "Lead practitioner", leads, format_func=people_by_id.__getitem__, key=f"{key}_lead"
        )
        best_id = st.selectbox(
            "Who in the team has the best relationship with the child or young person?",
            [None, *leads],
            format_func=lambda p: "Not known yet" if p is None else people_by_id[p],
            help="Often the person best placed for a hard conversation, whoever leads the case.",
            key=f"{key}_best",
        )
        next_review = fields.date(
            "Next review",
            key=f"{key}_review",
            earliest=today - timedelta(days=732),
            latest=today + timedelta(days=732),
        )
        if not st.form_submit_button("Save the details"):
            return
        try:
            case_board.update_case(
                actor,
                detail.case_id,
                status=status,
                lead_id=lead,
                best_id=best_id,
                next_review_on=next_review,  # type: ignore[arg-type]  # the date field gives back the text typed when it is not a date; the data layer refuses it
                version=st.session_state[base_key],
            )
        except NotValid as problem:
            forms.show_problems(problem, case_board.CASE_LABELS)
        except EditConflict as conflict:
            # They have now seen the saved details: the next save is made against them.
            st.session_state[base_key] = detail.version
            forms.show_conflict(conflict)
        else:
            del st.session_state[base_key]
            st.session_state[FLASH_KEY] = ("Saved. The board shows the new details now.", None)
            st.rerun()


def rename_form(actor: Actor, detail: CaseDetail) -> None:
    """A new reference for the case (a code, never a name), for the team's supervisor."""
    rename_key = f"case_rename_{detail.case_id}"
    with st.form(rename_key):
        st.markdown("**The case's reference**")
        # No max_chars: the browser would drop a longer paste whole; the save says what's over.
        new_reference = fields.text(
            "New reference",
            value=detail.reference,
            limit=40,
            help=case_board.REFERENCE_SHAPE,
            key=f"{rename_key}_reference",
        )
        if not st.form_submit_button("Rename the case"):
            return
        try:
            case_board.rename_case(actor, detail.case_id, reference=new_reference, version=detail.version)
        except NotValid as problem:
            forms.show_problems(problem, {"reference": "New reference"})
        except (EditConflict, NotAllowed) as refused:
            st.warning(refused.message)
        else:
            st.session_state.pop(_base_key(detail.case_id), None)
            st.session_state[FLASH_KEY] = (
                "Renamed. The board and the records use the new reference now.",
                None,
            )
            st.rerun()
