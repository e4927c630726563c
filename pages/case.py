"""One case: the mapping in three columns with its scale over time, the formulation, the
network around the child, a timeline, the mapping's history, and the case's details.

The case comes from the address (`?case=<id>`, set by the board's cards) or, failing that,
from the last case opened in this browser tab; the data layer checks it is in reach."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from components import case_details, identity, mapping, network, one_to_one_record, timeline
from components import case_file as case_file_view
from components import young_voice as young_voice_view
from components.case_card import ago
from components.text import plain
from db import cases, clock
from db.access import supervised_team_ids
from db.errors import NotAllowed

actor = identity.actor()


def _chosen_case() -> int | None:
    raw = st.query_params.get("case")
    if raw is not None:
        if raw.isdigit() and len(raw) < 12:
            st.session_state["case_page_id"] = int(raw)
            return int(raw)
        return None
    found = st.session_state.get("case_page_id")
    return found if isinstance(found, int) else None


def _nothing_chosen(message: str) -> NoReturn:
    st.title("Case")
    st.info(message, icon=":material/dashboard:")
    st.page_link("pages/case_board.py", label="Go to the case board", icon=":material/dashboard:")
    st.stop()


case_id = _chosen_case()
if case_id is None:
    _nothing_chosen(
        "Choose a case on your team's board to see its mapping, the people around the child "
        "and everything the team has done together."
    )
try:
    detail = cases.case_detail(actor, case_id)
except NotAllowed as refused:
    st.session_state.pop("case_page_id", None)
    _nothing_chosen(refused.message + " You can choose another on the board.")

st.query_params["case"] = str(detail.case_id)
st.title(f"Case {plain(detail.reference)}")
best = plain(detail.best_name) if detail.best_name else "not named yet"
review = f"{detail.next_review_on:%d %B %Y}" if detail.next_review_on else "not set"
st.markdown(
    f"{plain(detail.team_name)} · **{plain(detail.status_label)}** · Lead: **{plain(detail.lead_name)}** "
    f"· Best relationship: **{best}** · Next review: {review}"
)
if not detail.can_edit:
    st.caption("You can read this case; changes are made by the team itself.")

flash = st.session_state.pop("case_flash", None)
if flash:
    st.success(flash[0], icon=":material/check:")
    if flash[1]:
        st.warning(plain(flash[1]), icon=":material/visibility:")

view = cases.mapping(actor, detail.case_id)
revisions = cases.history(actor, detail.case_id)

tab_map, tab_form, tab_net, tab_time, tab_hist, tab_details = st.tabs(
    ["Mapping", "Formulation", "Network", "Timeline", "History", "Details"]
)

with tab_map:
    mapping.saved_line(view)
    if detail.can_edit:
        mapping.conflict_panel(detail.case_id)
        mapping.mapping_form(actor, detail.case_id, view)
    else:
        mapping.read_only(view, cases.MAPPING_FIELDS)
    mapping.scale_chart(revisions)

with tab_form:
    if detail.can_edit:
        if st.session_state.get(f"case_map_{detail.case_id}_conflict"):
            st.caption("A colleague saved in between: the Mapping tab shows both versions side by side.")
        mapping.formulation_form(actor, detail.case_id, view)
    else:
        mapping.read_only(view, cases.FORMULATION_FIELDS)

with tab_net:
    people = cases.network(actor, detail.case_id)
    network.table(people)
    if detail.can_edit:
        network.editor(actor, detail.case_id, people)

with tab_time:
    more_key = f"case_time_{detail.case_id}"
    limit = st.session_state.get(more_key + "_limit", 40)
    timeline.show(cases.timeline(actor, detail.case_id, limit=limit), more_key=more_key, limit=limit)

with tab_hist:
    mapping.history(revisions)

with tab_details:
    today = clock.today()
    st.markdown(f"Open since {detail.opened_on:%d %B %Y} ({ago(detail.opened_on, today)}).")
    if not detail.can_edit:
        st.caption("Changes to a case's details are made by the team.")
    else:
        case_details.details_form(actor, detail, today)
    if detail.team_id in supervised_team_ids(actor):
        case_details.rename_form(actor, detail)

# The young person's own view beside the team's, and notes written for them (issue 19).
if actor.role in ("practitioner", "supervisor"):
    st.divider()
    young_voice_view.case_section(actor, detail.case_id)

# Case-file entries from group supervision, and whether each is copied across (issue 17).
st.divider()
case_file_view.case_section(actor, detail.case_id)
one_to_one_record.case_discussions(actor, detail.case_id)
