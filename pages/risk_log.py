"""Holding risk together: what the team is holding now, the team's whole log, and what I hold."""

from __future__ import annotations

import streamlit as st

from components import fields, identity, risk_card
from components.text import plain
from db import clock, risk_log
from db.errors import NotValid
from db.models import REVIEW_OUTCOMES, WHOSE_RISK
from db.risk_log import OUTCOME_LABELS, WHOSE_RISK_SHORT, FormOptions, LogFilters, LogPage

ENTRY_PAGE = "pages/risk_entry.py"

actor = identity.actor()
today = clock.today()
st.title("Holding risk together")
st.caption(
    "Which risk are we managing: a risk to the young person, or our own worry? Here are the worries "
    "the team has named and decided to hold together, so nobody holds one alone."
)

teams = risk_log.teams_for(actor)
if not teams:
    st.info(
        "Worries are held by a team. When you're part of a team, the worries it holds with you will "
        "show here.",
        icon=":material/groups:",
    )
    st.stop()


def _open(thread_id: str) -> None:
    st.session_state["risk_thread"] = thread_id
    # Opening afresh: later saves are checked against the version seen now, not an older visit.
    st.session_state.pop(f"risk_stamp_{thread_id}", None)
    st.session_state["risk_new"] = False
    st.switch_page(ENTRY_PAGE)


names = {t.id: t.label for t in teams}
if len(teams) > 1:
    remembered = st.session_state.get("risk_team_id")
    team_id = st.selectbox(
        "Which team?",
        list(names),
        index=list(names).index(remembered) if remembered in names else 0,
        format_func=names.__getitem__,
    )
else:
    team_id = teams[0].id
# Remembered outside any widget, so the entry screen knows which team a new worry is for.
st.session_state["risk_team_id"] = team_id

if st.button("Name a new worry", icon=":material/add:", type="primary", key="risk_log_new"):
    st.session_state["risk_new"] = True
    st.switch_page(ENTRY_PAGE)

# The open tab lives in the URL (?tab=…), so a refresh or a bookmark comes back to it, and
# only the open tab's worries are read: each tab is its own query over the team's history.
TABS = ["What we're holding now", "The team's log", "What I'm holding"]
tab_now, tab_log, tab_mine = st.tabs(TABS, key="tab", bind="query-params")


def _holding_now() -> None:
    holding = risk_log.holding_now(actor, team_id)
    overdue, soon = holding.overdue(today), holding.due_soon(today)
    cols = st.columns(3)
    cols[0].metric("Worries held together", len(holding.risks))
    cols[1].metric("Reviews due this week", len(soon))
    cols[2].metric("Reviews overdue", len(overdue), help="Past their review date: worth a look soon.")
    waiting = [r for r in holding.risks if r.awaiting_manager]
    if waiting and actor.role == "manager":
        st.info(
            f"{len(waiting)} {'decision is' if len(waiting) == 1 else 'decisions are'} waiting for the "
            "accountable manager's agreement. Open the worry to read it and record yours.",
            icon=":material/how_to_reg:",
        )
    if not holding.risks:
        st.info(
            "The team isn't holding any worries right now. When someone names one and the team "
            "decides to hold it together, it will show here with who holds it and when to look again.",
            icon=":material/handshake:",
        )
    for risk in holding.risks:
        if risk_card.held_card(risk, today, key=f"risk_now_open_{risk.thread_id}"):
            _open(risk.thread_id)


def _team_log() -> None:
    filters = _log_filters(risk_log.filter_choices(actor, team_id))
    page = risk_log.team_log(actor, team_id, filters, page=st.session_state.get("risk_log_page", 1))
    if not page.rows:
        st.info(
            "No worries match these choices. Try fewer filters, or name a new worry above.",
            icon=":material/search:",
        )
    else:
        _log_rows(page)


def _filter_form(choices: FormOptions) -> dict:
    """The log's filters as chosen in its form (the dates as typed)."""
    case_names = {c.id: c.label for c in choices.cases}
    holder_names = {c.id: c.label for c in choices.members}
    chosen: dict = {}
    with st.form("risk_log_filters", border=True):
        chosen["text"] = st.text_input(
            "Search the words", key="risk_log_text", placeholder="a word from the worry, decision or learning"
        )
        row1 = st.columns(3)
        chosen["case"] = row1[0].selectbox(
            "About",
            ["any", "team", *case_names],
            format_func=lambda v: (
                {"any": "Any family or team-level", "team": "Team-level worries"}.get(v) or case_names[v]
            ),
            key="risk_log_case",
        )
        chosen["holder"] = row1[1].selectbox(
            "Held by",
            [None, *holder_names],
            format_func=lambda v: "Anyone" if v is None else holder_names[v],
            key="risk_log_holder",
        )
        chosen["whose"] = row1[2].selectbox(
            "Whose risk",
            [None, *WHOSE_RISK],
            format_func=lambda v: "Any" if v is None else WHOSE_RISK_SHORT[v].capitalize(),
            key="risk_log_whose",
        )
        row2 = st.columns(4)
        chosen["outcome"] = row2[0].selectbox(
            "How a review turned out",
            [None, *REVIEW_OUTCOMES],
            format_func=lambda v: "Any, or not reviewed yet" if v is None else OUTCOME_LABELS[v],
            key="risk_log_outcome",
        )
        chosen["status"] = row2[1].selectbox(
            "Open or closed",
            [None, "open", "closed"],
            format_func=lambda v: {None: "Both", "open": "Still held", "closed": "Closed"}[v],
            key="risk_log_status",
        )
        # Typed as DD/MM/YYYY and read strictly (components/fields.py says why not a date picker).
        chosen["from"] = fields.date("Raised from", key="risk_log_from", where=row2[2])
        chosen["to"] = fields.date("Raised up to", key="risk_log_to", where=row2[3])
        if st.form_submit_button("Show these worries"):
            st.session_state["risk_log_page"] = 1
    return chosen


def _log_filters(choices: FormOptions) -> LogFilters:
    chosen = _filter_form(choices)
    try:
        raised_from = fields.typed_day("raised_from", chosen["from"], "Raised from")
        raised_to = fields.typed_day("raised_to", chosen["to"], "Raised up to")
    except NotValid as problem:
        # A search, not a save: the words alone, each naming its field, and the typed date kept.
        st.error(plain(" ".join(problem.problems.values())), icon=":material/date_range:")
        raised_from = raised_to = None
    case_choice = chosen["case"]
    return LogFilters(
        text=chosen["text"] or "",
        case_id=case_choice if isinstance(case_choice, int) else None,
        team_level_only=case_choice == "team",
        holder_id=chosen["holder"],
        whose_risk=chosen["whose"],
        outcome=chosen["outcome"],
        status=chosen["status"],
        raised_from=raised_from if raised_from else None,
        raised_to=raised_to if raised_to else None,
    )


def _log_rows(page: LogPage) -> None:
    """One page of the log, the way between pages, and opening a worry from it."""
    st.caption(f"{page.total} {'worry' if page.total == 1 else 'worries'}, newest first")
    risk_card.log_table(page.rows, today)
    nav = st.columns([1, 2, 1])
    if nav[0].button("Newer", disabled=page.page <= 1, key="risk_log_prev", icon=":material/chevron_left:"):
        st.session_state["risk_log_page"] = page.page - 1
        st.rerun()
    nav[1].markdown(f"Page {page.page} of {page.pages}")
    if nav[2].button(
        "Older", disabled=page.page >= page.pages, key="risk_log_next", icon=":material/chevron_right:"
    ):
        st.session_state["risk_log_page"] = page.page + 1
        st.rerun()
    labels = {
        r.thread_id: f"{r.raised_on:%d %b %Y} · {r.case_reference or 'team-level'} · {r.worry[:60]}"
        for r in page.rows
    }
    picked = st.selectbox(
        "Open one of these worries", list(labels), format_func=labels.__getitem__, key="risk_log_pick"
    )
    if st.button("Open this worry", key="risk_log_open", icon=":material/open_in_full:"):
        _open(picked)


def _mine() -> None:
    mine = risk_log.my_holdings(actor)
    if not mine:
        st.info(
            "You're not holding any worries with the team right now. When the team decides to hold "
            "one with you, it will show here with who else is holding it.",
            icon=":material/handshake:",
        )
    for held in mine:
        if risk_card.held_card(
            held.risk,
            today,
            key=f"risk_mine_open_{held.risk.thread_id}",
            held_with=held.held_with,
            team_name=held.team_name if len(teams) > 1 else None,
        ):
            _open(held.risk.thread_id)


for tab, draw in ((tab_now, _holding_now), (tab_log, _team_log), (tab_mine, _mine)):
    if tab.open:
        with tab:
            draw()
