"""The case board: the team's cases as cards, grouped by where things are or by who leads,
with a gentle signal for any child nobody has talked about lately."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from components import a11y, case_card, disclosure, fields, forms, identity
from components.text import plain
from db import case_board, clock
from db.errors import EditConflict, NotValid
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
        "Lead practitioner", list(people), format_func=people.__getitem__, key="board_lead", on_change=_first_page
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


def _new_case_form() -> None:
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
            "Where things are", CASE_STATUSES, format_func=settings.label, key="board_new_status"
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


if view.can_edit:
    st.divider()
    with disclosure.section("Add a case to the board", key="board_new", icon=":material/add:") as adding:
        if adding:
            _new_case_form()


def _settings_form(base_key: str, label_keys: dict[str, str], weeks_key: str) -> None:
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


if choice.can_set_up:
    base_key = f"board_settings_base_{team_id}"
    label_keys = {status: f"board_label_{team_id}_{status}" for status in CASE_STATUSES}
    weeks_key = f"board_weeks_{team_id}"
    if base_key not in st.session_state or weeks_key not in st.session_state:
        st.session_state[base_key] = settings.version
        st.session_state[weeks_key] = str(settings.not_discussed_weeks)
        for status, key in label_keys.items():
            st.session_state[key] = settings.labels[status]
    with disclosure.section(
        "Your team's board settings", key=f"board_setup_{team_id}", icon=":material/tune:"
    ) as setting:
        if setting:
            _settings_form(base_key, label_keys, weeks_key)
