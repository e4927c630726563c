"""The case board: the team's cases as cards, grouped by where things are or by who leads,
with a gentle signal for any child nobody has talked about lately."""

from __future__ import annotations

import streamlit as st

from components import board_forms, case_card, identity
from components.text import plain
from db import case_board
from db.models import CASE_STATUSES

actor = identity.actor()
st.title("Case board")

choices = case_board.teams(actor)
if not choices:
    st.info(
        "Case boards belong to teams. When your Circle administrator adds you to a team, "
        "its board will show here.",
        icon=":material/groups:",
    )
    st.stop()

names = {t.team_id: t.name for t in choices}
team_id = (
    st.selectbox("Team", list(names), format_func=names.__getitem__, key="board_team")
    if len(choices) > 1
    else choices[0].team_id
)
choice = next(t for t in choices if t.team_id == team_id)


def _first_page() -> None:
    st.session_state["board_page"] = 1


# One read for the whole board (its settings and colleagues come with the cards). The
# filters are drawn above it but read first: a widget's value is in session state at the
# start of the rerun that its change caused, so the board can be read before they are drawn.
filters_box = st.container(border=True)
chosen = st.session_state
OPEN_BY_DEFAULT = [s for s in CASE_STATUSES if s != "closed"]
read_with = (
    tuple(chosen.get("board_statuses", OPEN_BY_DEFAULT)),
    chosen.get("board_lead") or None,
    chosen.get("board_search", ""),
    bool(chosen.get("board_quiet", False)),
    chosen.get("board_group") or "status",
)
view = case_board.board(
    actor,
    team_id,
    statuses=read_with[0],
    lead_id=read_with[1],
    search=read_with[2],
    quiet_only=read_with[3],
    group_by=read_with[4],
    page=chosen.get("board_page", 1),
)
settings = view.settings

with filters_box:
    top = st.columns([3, 2])
    search = top[0].text_input(
        "Search",
        placeholder="A reference, or a colleague's name",
        key="board_search",
        on_change=_first_page,
    )
    group_by = top[1].segmented_control(
        "Group by",
        case_board.GROUPINGS,
        format_func={"status": "Where things are", "practitioner": "Lead practitioner"}.get,  # type: ignore[arg-type]  # dict.get as format_func: every option is one of the dict's keys
        key="board_group",
        default="status",
        on_change=_first_page,
    )
    row = st.columns([3, 2])
    switches = st.columns(2)
    big = switches[1].toggle(
        "Shared screen",
        key="board_big",
        help="Fewer, larger cards for a screen the whole room can read.",
    )
    statuses = row[0].multiselect(
        "Where things are",
        CASE_STATUSES,
        default=OPEN_BY_DEFAULT,
        format_func=settings.label,
        key="board_statuses",
        on_change=_first_page,
    )
    people = {0: "Everyone", **{c.person_id: c.name for c in view.colleagues}}
    lead = row[1].selectbox(
        "Lead practitioner",
        list(people),
        format_func=people.__getitem__,
        key="board_lead",
        on_change=_first_page,
    )
    quiet_only = switches[0].toggle(
        f"Only those not talked about for {settings.not_discussed_weeks}+ weeks",
        key="board_quiet",
        on_change=_first_page,
    )
if (tuple(statuses), lead or None, search, quiet_only, group_by or "status") != read_with:
    # A filter Streamlit reset as it drew it (another team's lead, say): read again with it.
    st.rerun()

open_cases = sum(n for s, n in view.status_counts.items() if s != "closed")
summary = st.columns(3)
summary[0].metric("Open cases", open_cases)
summary[1].metric(
    f"Not talked about for {view.settings.not_discussed_weeks}+ weeks",
    view.quiet_count,
    help="Bring them to the next group supervision, so no child is held by one person alone.",
)
summary[2].metric("Showing", view.total, help="Cases that match what you chose above.")
if view.quiet_count and not quiet_only:
    st.caption(
        f":material/schedule: {view.quiet_count} open "
        + ("case has" if view.quiet_count == 1 else "cases have")
        + f" not been talked about in supervision for {view.settings.not_discussed_weeks} weeks or more. "
        "Turn on the switch above to see just those."
    )

if not view.cards:
    if view.filters_on:
        st.info(
            "Nothing matches what you chose. Try clearing the search or the filters above.",
            icon=":material/filter_alt_off:",
        )
    else:
        st.info(
            "Your team's board is empty for now. When someone adds a case below, it will "
            "appear here for the whole team to think about together.",
            icon=":material/dashboard:",
        )

per_row = 2 if big else 3
for heading, cards in view.grouped:
    count = (
        f" · {view.status_counts.get(cards[0].status, len(cards))} in the team"
        if view.group_by == "status"
        else ""
    )
    st.header(f"{plain(heading)}{count}")
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start : start + per_row], strict=False):
            with column:
                case_card.show(
                    card,
                    view.today,
                    view.settings.not_discussed_weeks,
                    show_status=view.group_by != "status",
                )

if view.pages > 1:
    nav = st.columns([1, 2, 1])
    if nav[0].button("Previous cards", disabled=view.page <= 1, icon=":material/chevron_left:"):
        st.session_state["board_page"] = view.page - 1
        st.rerun()
    nav[1].markdown(
        f"Page {view.page} of {view.pages} · cards {(view.page - 1) * view.page_size + 1} to "
        f"{min(view.page * view.page_size, view.total)} of {view.total}"
    )
    if nav[2].button("More cards", disabled=view.page >= view.pages, icon=":material/chevron_right:"):
        st.session_state["board_page"] = view.page + 1
        st.rerun()


if view.can_edit:
    st.divider()
    board_forms.new_case(actor, team_id, view)

if choice.can_set_up:
    board_forms.settings(actor, team_id, settings)
