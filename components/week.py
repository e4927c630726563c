"""The pieces of the Home screen: the next session, my cases, what I'm holding, my actions,
and each team's week for those who look after teams. Each piece has an inviting empty state."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.case_card import ago
from components.text import plain, table
from db import clock
from db.home import AdminLine, CohortLine, MyAction, MyCase, NextSession, TeamWeek
from db.risk_threads import HeldRisk

STATUS_WORDS = {
    "new": "New",
    "active": "Active",
    "stuck": "Stuck",
    "stepping_down": "Stepping down",
    "closed": "Closed",
}
WHOSE_RISK_WORDS = {
    "young_person": "a risk to the young person or others",
    "professional_anxiety": "professional or organisational anxiety",
    "both": "both a risk to the young person and our own anxiety",
}


def next_sessions(sessions: tuple[NextSession, ...], *, facilitating: bool = False) -> None:
    st.header("Your next group supervision")
    if not sessions:
        st.info(
            "No group supervision is planned yet. When your supervisor plans the next one, "
            "it will show here with what you're bringing.",
            icon=":material/event:",
        )
        return
    for s in sessions:
        with st.container(border=True):
            st.markdown(
                f"**{plain(s.team_name)}** · {clock.when(s.scheduled_for)} "
                f"· {s.duration_minutes} minutes · {s.expected} expected"
            )
            if facilitating:
                st.caption("You're facilitating. Practitioners add what they're bringing before the session.")
            elif s.my_items:
                st.caption("What you're bringing")
                for item in s.my_items:
                    st.markdown(f"- {plain(item)}")
            else:
                st.caption(
                    "You haven't added a case or a question yet. What would you like the team "
                    "to help you think about?"
                )


def my_cases(cases: tuple[MyCase, ...], today: date) -> None:
    st.header("The children and families you're working with")
    if not cases:
        st.info(
            "When you're the lead for a case, it will show here with when it was last "
            "talked about in supervision.",
            icon=":material/diversity_1:",
        )
        return
    table(
        [
            {
                "Reference": c.reference,
                "Team": c.team_name,
                "Where things are": STATUS_WORDS.get(c.status, c.status),
                "Last relationship check-in": ago(c.last_check_in, today),
                "Last talked about in supervision": ago(c.last_discussed, today),
                "Next review": f"{c.next_review_on:%d %b %Y}" if c.next_review_on else "",
            }
            for c in cases
        ]
    )


def holding(risks: tuple[HeldRisk, ...], today: date) -> None:
    st.header("What you're holding with the team")
    if not risks:
        st.info(
            "Nothing is being held with you right now. When the team decides together to hold "
            "a worry, the people holding it with you will show here.",
            icon=":material/handshake:",
        )
        return
    for r in risks:
        with st.container(border=True):
            where = f"**{plain(r.case_reference)}**" if r.case_reference else "**A team-level worry**"
            due = "review is overdue" if r.overdue(today) else "next review"
            st.markdown(f"{where} · {due}: {r.next_review_on:%d %B %Y}")
            st.text(r.worry if len(r.worry) <= 240 else r.worry[:237] + "...")
            st.caption(
                f"Held with: {plain(', '.join(r.holders))} · Whose risk: {WHOSE_RISK_WORDS.get(r.whose_risk, r.whose_risk)}"
            )
            words = r.worry.split()
            gist = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
            label = f"Open this worry: {plain(r.case_reference or 'a team-level worry')} · {plain(gist)}"
            if st.button(label, key=f"home_risk_{r.thread_id}"):
                st.session_state["risk_thread"] = r.thread_id
                st.session_state["risk_new"] = False
                st.switch_page("pages/risk_entry.py")


def my_actions(actions: tuple[MyAction, ...], today: date) -> None:
    st.header("Things you said you'd do")
    if not actions:
        st.info(
            "Nothing open for you. Actions agreed in group supervision will show here.",
            icon=":material/task_alt:",
        )
        return
    table(
        [
            {
                "What": a.description,
                "For": a.case_reference or "the team",
                "By": f"{a.due_on:%d %b %Y}" + (" · past its date" if a.due_on < today else ""),
            }
            for a in actions
        ]
    )


# A few references to bring back, not a wall of them: the case board lists the rest.
NOT_DISCUSSED_SHOWN = 8


def team_weeks(teams: tuple[TeamWeek, ...], today: date, *, manager: bool) -> None:
    st.header("Your teams this week" if manager else "Your team this week")
    if not teams:
        st.info(
            "You're not linked to a team yet. Your Circle administrator can add you.",
            icon=":material/groups:",
        )
        return
    for t in teams:
        with st.container(border=True):
            st.markdown(f"**{plain(t.team_name)}**")
            cols = st.columns(4)
            cols[0].metric("Open cases", t.open_cases)
            cols[1].metric("Worries held together", t.risks_held)
            cols[2].metric("Sessions in the last 4 weeks", t.sessions_last_4_weeks)
            cols[3].metric(
                "Open actions", t.open_actions, help=f"{t.overdue_actions} of them are past their date."
            )
            nxt = clock.when(t.next_session) if t.next_session else "not planned yet"
            st.caption(f"Next group supervision: {nxt}")
            if t.not_discussed:
                shown = t.not_discussed[:NOT_DISCUSSED_SHOWN]
                more = len(t.not_discussed) - len(shown)
                st.markdown(
                    f"Worth bringing back to the circle (not talked about for {t.not_discussed_weeks} weeks "
                    f"or more): {plain(', '.join(shown))}" + (f", and {more} more." if more else "")
                )
                if more:
                    st.page_link(
                        "pages/case_board.py",
                        label="See them all on the case board (its switch shows just these)",
                        icon=":material/dashboard:",
                    )
            if t.reviews_due:
                st.markdown("Reviews due this week or overdue:")
                for r in t.reviews_due:
                    ref = r.case_reference or "team-level worry"
                    flag = "overdue" if r.overdue(today) else "due"
                    st.markdown(
                        f"- {plain(ref)}: {flag} {r.next_review_on:%d %b} · held by {plain(', '.join(r.holders))}"
                    )


def cohorts(lines: tuple[CohortLine, ...]) -> None:
    st.header("Your induction cohorts")
    if not lines:
        st.info(
            "You haven't started a cohort yet. Cohorts of new starters you run will show here.",
            icon=":material/school:",
        )
        return
    table(
        [
            {
                "Cohort": c.name,
                "Started": f"{c.starts_on:%d %b %Y}",
                "New starters": c.members,
                "Status": c.status,
            }
            for c in lines
        ]
    )


def admin_overview(line: AdminLine | None) -> None:
    if line is None:
        return
    st.header("Circle at a glance")
    cols = st.columns(4)
    cols[0].metric("People", line.people)
    cols[1].metric("Active accounts", line.active_people)
    cols[2].metric("Teams", line.teams)
    cols[3].metric("Refused sign-ins today", line.failed_signins_24h)
    st.page_link("pages/admin.py", label="Look after teams and people", icon=":material/manage_accounts:")
