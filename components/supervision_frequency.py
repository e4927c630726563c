"""How often people are supervised one-to-one: a small Home section for supervisors (who is
due, who is overdue) and an Insights panel (share within agreed frequency by month, planned
against held, newly qualified staff against their own frequency). Dates and counts only."""

from __future__ import annotations

import altair as alt
import streamlit as st

from components.text import plain
from db import supervision_frequency
from db.access import Actor
from db.errors import NotAllowed
from db.supervision_frequency import MonthLine

STATE_WORDS = {
    "overdue": "Overdue",
    "due": "Due soon",
    "ok": "Seen recently",
    "no_agreement": "No agreement yet",
}


def home_section(actor: Actor) -> None:
    """For a supervisor's Home: who is due a one-to-one, who is overdue against their agreement."""
    try:
        lines = supervision_frequency.due_for_supervisor(actor)
    except NotAllowed:
        return
    st.subheader("One-to-ones")
    if not lines:
        st.info("When practitioners join your team, when each is due a one-to-one will show here.")
        return
    overdue = [d for d in lines if d.state == "overdue"]
    due = [d for d in lines if d.state == "due"]
    if overdue:
        names = ", ".join(plain(d.name) for d in overdue)
        st.warning(f"Overdue against their agreement: {names}.", icon=":material/schedule:")
    elif due:
        st.caption("Nobody is overdue. A few are due soon.")
    else:
        st.caption("Everyone has had a one-to-one within what they agreed.")
    st.dataframe(
        [
            {
                "Who": d.name,
                "Where things are": STATE_WORDS[d.state] + (" (first year)" if d.first_year else ""),
                "Agreed": f"every {d.every_weeks} weeks" if d.every_weeks else "",
                "Last one-to-one": f"{d.last_held:%d %b %Y}" if d.last_held else "none yet",
                "Due by": f"{d.due_on:%d %b %Y}" if d.due_on else "",
                "Next planned": f"{d.next_planned:%d %b %Y}" if d.next_planned else "not planned",
            }
            for d in lines
        ],
        hide_index=True,
        width="stretch",
    )
    st.page_link("pages/one_to_one.py", label="Plan or open a one-to-one", icon=":material/forum:")


def insights_panel(actor: Actor, team_ids: tuple[int, ...]) -> None:
    """For Insights: per team and month, the share within agreed frequency, planned vs held,
    and newly qualified staff against their own frequency."""
    allowed = dict(supervision_frequency.allowed_teams(actor))
    teams = tuple(t for t in team_ids if t in allowed)
    if not teams:
        return
    lines = supervision_frequency.team_frequency(actor, teams, months=6)
    if not any(line.with_agreement or line.planned for line in lines):
        st.info(
            "When practitioners have supervision agreements and one-to-ones are held, how often each is "
            "supervised against what they agreed will show here.",
            icon=":material/forum:",
        )
        return
    lines = tuple(line for line in lines if line.with_agreement or line.planned)
    _share_chart(lines)
    st.caption("Judged at each month's end: a one-to-one held within the weeks their agreement sets.")
    st.dataframe(
        [
            {
                "Team": line.team,
                "Month": f"{line.month:%B %Y}",
                "Within agreed frequency": f"{line.within} of {line.with_agreement}",
                "Planned": line.planned,
                "Held": line.held,
                "Not held": line.planned - line.held,
                "Newly qualified, within their own frequency": (
                    f"{line.first_year_within} of {line.first_year}" if line.first_year else "none this month"
                ),
            }
            for line in reversed(lines)
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Newly qualified social workers in their assessed first year are counted against their own, "
        "more frequent, rhythm. Only dates and counts are shown here: what was said in a one-to-one "
        "stays with the two people in it."
    )


def _share_chart(lines: tuple[MonthLine, ...]) -> None:
    """The share of practitioners supervised within their agreed frequency, team by team."""
    months = list(dict.fromkeys(f"{line.month:%b %Y}" for line in lines))
    shares = [
        {"Team": line.team, "Month": f"{line.month:%b %Y}", "Share within agreed frequency": line.share}
        for line in lines
        if line.share is not None
    ]
    st.markdown("**How many practitioners had a one-to-one within what they agreed, month by month**")
    st.altair_chart(
        alt.Chart(alt.Data(values=shares))
        .mark_line(point=True)
        .encode(
            x=alt.X("Month:O", title=None, sort=months, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "Share within agreed frequency:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            color="Team:N",
            tooltip=["Team:N", "Month:O", alt.Tooltip("Share within agreed frequency:Q", format=".0%")],
        )
        .properties(height=260),
        width="stretch",
    )
