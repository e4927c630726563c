"""Insights: how supervision is going across teams over time, with the stories behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import streamlit as st

from components import downloads, fields, identity, insight_charts, insight_views
from components import supervision_frequency as supervision_frequency_view
from components.text import plain, table
from db import clock, insights, insights_report
from db.errors import NotAllowed, NotValid

actor = identity.actor()
st.title("Insights")
st.caption(
    "Numbers alone hide the quality, so each chart sits beside a few of the reflections behind it. "
    f"Wellbeing is only ever shown as a team average over {insights.MIN_GROUP} or more people."
)

scope = insights.scope(actor)
if not scope.teams:
    st.info(
        "When you oversee or supervise a team, how its supervision is going will show here.",
        icon=":material/insights:",
    )
    st.stop()

names = dict(scope.teams)
cols = st.columns([3, 1, 1, 2])
chosen = cols[0].multiselect(
    "Teams", list(names), default=list(names)[:3], format_func=names.__getitem__, key="insights_teams"
)
# Typed as DD/MM/YYYY and read strictly (components/fields.py says why not a date picker).
typed_start = fields.date(
    "From", value=clock.today() - timedelta(days=182), key="insights_from", where=cols[1]
)
typed_end = fields.date("To", value=clock.today(), key="insights_to", where=cols[2])
practitioner = None
if scope.practitioners:
    people = dict(scope.practitioners)
    practitioner = cols[3].selectbox(
        "One practitioner's check-ins (optional)",
        [None, *people],
        format_func=lambda p: "Whole team" if p is None else people[p],
        key="insights_practitioner",
    )
if not chosen:
    st.info("Choose at least one team to see its picture.", icon=":material/groups:")
    st.stop()
try:
    period = (fields.typed_day("start", typed_start, "From"), fields.typed_day("end", typed_end, "To"))
except NotValid as problem:
    # A search, not a save: the words alone, each naming its field ("From: ...").
    st.error(plain(" ".join(problem.problems.values())), icon=":material/date_range:")
    st.stop()
if period[0] is None or period[1] is None:
    st.info("Please fill in both dates, from and to (as DD/MM/YYYY).", icon=":material/date_range:")
    st.stop()

try:
    filters = insights.check(
        actor, insights.Filters(tuple(sorted(chosen)), period[0], period[1], practitioner)
    )
except (NotAllowed, NotValid) as refused:
    st.warning(getattr(refused, "message", None) or "; ".join(getattr(refused, "problems", {}).values()))
    st.stop()

data = insight_views.cached(actor, filters)

# One part at a time: what is on the screen is all that is drawn.
section = (
    st.segmented_control(
        "Which part of the picture?",
        ["Relationships", "Feeling held", "Risks held", "Rhythm", "Drift", "One-to-ones"],
        default="Relationships",
        key="insights_section",
    )
    or "Relationships"
)
if section == "Relationships":
    insight_views.beside(
        "relationships",
        (data["relationships"],),
        data["stories"]["working"],
        "What is working, in practitioners' words",
        key="insights_rel",
    )
elif section == "Feeling held":
    insight_views.beside("arrival", (data["arrival"],), (), "", key="insights_arrival")
    insight_views.beside("closing", (data["closing"],), (), "", key="insights_closing")
    insight_views.beside(
        "worry",
        (data["worry"],),
        data["stories"]["learned"],
        "What the teams learned from risks they held",
        key="insights_worry",
    )
elif section == "Risks held":
    on_time = data["on_time"].iloc[0]
    if on_time["reviews"]:
        st.metric("Risk reviews that happened by their date", f"{on_time['on_time']} of {on_time['reviews']}")
    insight_views.beside(
        "risks_opened",
        (data["risks_opened"],),
        data["stories"]["learned"],
        "What the teams learned",
        key="insights_opened",
    )
    insight_views.beside(
        "risk_flow",
        (
            data["risks_opened"],
            data["risks_closed"],
        ),
        (),
        "",
        key="insights_flow",
    )
    insight_views.beside("outcomes", (data["outcomes"],), (), "", key="insights_outcomes")
elif section == "Rhythm":
    insight_views.beside("sessions_held", (data["sessions_held"],), (), "", key="insights_held")
    insight_views.beside("attendance", (data["attendance"],), (), "", key="insights_attendance")
    insight_views.beside("actions_on_time", (data["actions_on_time"],), (), "", key="insights_actions")
    st.markdown("**Open cases nobody has talked about in supervision for the team's set number of weeks**")
    table(data["not_discussed"].rename(columns={"team": "Team", "cases": "Cases"}).to_dict("records"))
elif section == "One-to-ones":
    supervision_frequency_view.insights_panel(actor, filters.team_ids)
else:
    insight_views.beside(
        "drift",
        (data["drift"],),
        data["stories"]["asks"],
        "What practitioners brought to reflect on",
        key="insights_drift",
    )

st.divider()
export = st.columns(2)
# Made on the button press, for these filters; handed over only while the sign-in still holds.
exports: tuple[tuple[str, str, Callable[[], bytes]], ...] = (
    (
        "pdf",
        "Prepare the PDF report",
        lambda: insights_report.pdf(
            actor, filters, [names[t] for t in filters.team_ids], insight_charts.pictures
        ),
    ),
    ("csv", "Prepare the CSV of every figure", lambda: insights_report.csv(actor, filters)),
)
for where, (kind, label, build) in zip(export, exports, strict=True):
    made = downloads.prepare(
        label, build, key=f"insights_{kind}_prepare", keep_as=f"insights_{kind}", fits=filters, where=where
    )
    if made is not None:
        name = f"circle-insights.{kind}"
        downloads.file(
            f"Download {name}", made=made, file_name=name, key=f"insights_{kind}_download", where=where
        )
