"""The insights charts as Altair specifications, shared by the screen and the PDF report.

Each chart has a plain title that says what it shows, and tells its series apart by
shape or line style as well as colour, so it reads without colour alone.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

HEIGHT = 240


def _empty(title: str) -> alt.Chart:
    return (
        alt.Chart(pd.DataFrame({"note": ["Nothing recorded in this range yet"]}), title=title)
        .mark_text(size=14, color="#5b6b70")
        .encode(text="note:N")
        .properties(height=80)
    )


def _lines(
    frame: pd.DataFrame,
    title: str,
    *,
    y: str,
    series: str,
    tooltip: list,
    domain: list | None = None,
    y_title: str | None = None,
    x_format: str | None = None,
) -> alt.Chart:
    """A line per series over time, told apart by colour, line style and point shape."""
    x = (
        alt.X("period:T", title=None, axis=alt.Axis(format=x_format))
        if x_format
        else alt.X("period:T", title=None)
    )
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(y, scale=alt.Scale(domain=domain), title=y_title) if domain else alt.Y(y, title=y_title),
            color=alt.Color(series, legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash(series, legend=None),
            shape=alt.Shape(series, legend=None),
            tooltip=tooltip,
        )
        .properties(height=HEIGHT)
    )


def relationships(frame: pd.DataFrame) -> alt.Chart:
    title = "Relationship check-ins, average per item (0–10); circles mark a drop"
    if frame.empty:
        return _empty(title)
    base = alt.Chart(frame, title=title).encode(
        x=alt.X("period:T", title=None),
        y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 10]), title=None),
        color=alt.Color("item:N", legend=alt.Legend(orient="bottom", title=None, columns=2, labelLimit=280)),
        strokeDash=alt.StrokeDash("team:N", legend=alt.Legend(orient="bottom", title="Team")),
        detail="team:N",
        tooltip=["team:N", "item:N", alt.Tooltip("period:T", format="%d %b %Y"), "score:Q", "n:Q"],
    )
    lines = base.mark_line(point=True)
    # The rings only highlight points the line layer already carries (and describes to a
    # screen reader); without aria=False an empty ring layer is an unlabelled SVG group.
    drops = base.transform_filter(alt.datum.dropped).mark_point(
        size=220, shape="circle", filled=False, strokeWidth=2, color="#b3261e", aria=False
    )
    return (lines + drops).properties(height=HEIGHT)


def arrival(frame: pd.DataFrame) -> alt.Chart:
    title = "How people arrived at supervision, team average (0–10)"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="score:Q",
        series="team:N",
        domain=[0, 10],
        tooltip=["team:N", alt.Tooltip("period:T", format="%d %b %Y"), "score:Q", "people:Q"],
    )


def closing(frame: pd.DataFrame) -> alt.Chart:
    title = "Closing round: heard, helped and held, team average (0–10)"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="mean(score):Q",
        series="item:N",
        domain=[0, 10],
        tooltip=[
            "item:N",
            alt.Tooltip("period:T", format="%d %b %Y"),
            alt.Tooltip("mean(score):Q", format=".1f"),
        ],
    )


def worry(frame: pd.DataFrame) -> alt.Chart:
    title = "Worry about a risk, before and after the team's discussion (0–10)"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="mean(worry):Q",
        series="when:N",
        domain=[0, 10],
        tooltip=[
            "when:N",
            alt.Tooltip("period:T", format="%d %b %Y"),
            alt.Tooltip("mean(worry):Q", format=".1f"),
        ],
    )


def risks_opened(frame: pd.DataFrame) -> alt.Chart:
    title = "Risks taken on to hold together, by whose risk it was"
    if frame.empty:
        return _empty(title)
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("sum(risks):Q", title="Risks"),
            color=alt.Color("whose:N", legend=alt.Legend(orient="bottom", title=None)),
            opacity=alt.Opacity("whose:N", legend=None, scale=alt.Scale(range=[1.0, 0.75, 0.5])),
            tooltip=["whose:N", alt.Tooltip("period:T", format="%b %Y"), "sum(risks):Q"],
        )
        .properties(height=HEIGHT)
    )


def risk_flow(opened: pd.DataFrame, closed: pd.DataFrame) -> alt.Chart:
    title = "Risks taken on to hold, and risks closed, each period"
    taken = opened.groupby("period", as_index=False)["risks"].sum() if not opened.empty else opened
    frames = [f.assign(flow=label) for f, label in ((taken, "Taken on"), (closed, "Closed")) if not f.empty]
    if not frames:
        return _empty(title)
    return (
        alt.Chart(pd.concat(frames), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("risks:Q", title="Risks"),
            color=alt.Color("flow:N", legend=alt.Legend(orient="bottom", title=None)),
            strokeDash=alt.StrokeDash("flow:N", legend=None),
            shape=alt.Shape("flow:N", legend=None),
            tooltip=["flow:N", alt.Tooltip("period:T", format="%d %b %Y"), "risks:Q"],
        )
        .properties(height=HEIGHT)
    )


def outcomes(frame: pd.DataFrame) -> alt.Chart:
    title = "How held risks turned out, against what was feared"
    if frame.empty:
        return _empty(title)
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("outcome:N", title=None, sort=["Better than feared", "As feared", "Worse than feared"]),
            x=alt.X("reviews:Q", title="Reviews"),
            color=alt.Color("outcome:N", legend=None),
            tooltip=["outcome:N", "reviews:Q"],
        )
        .properties(height=140)
    )


def sessions_held(frame: pd.DataFrame) -> alt.Chart:
    title = "Group supervision sessions held each month"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="sessions:Q",
        series="team:N",
        y_title="Sessions",
        x_format="%b %Y",
        tooltip=["team:N", alt.Tooltip("period:T", format="%b %Y"), "sessions:Q"],
    )


def attendance(frame: pd.DataFrame) -> alt.Chart:
    title = "Attendance: share of the team present (%)"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="rate:Q",
        series="team:N",
        domain=[0, 100],
        y_title="%",
        x_format="%b %Y",
        tooltip=["team:N", alt.Tooltip("period:T", format="%b %Y"), "rate:Q"],
    )


def actions_on_time(frame: pd.DataFrame) -> alt.Chart:
    title = "Actions done by their date (%)"
    if frame.empty:
        return _empty(title)
    return _lines(
        frame,
        title,
        y="rate:Q",
        series="team:N",
        domain=[0, 100],
        y_title="%",
        x_format="%b %Y",
        tooltip=["team:N", alt.Tooltip("period:T", format="%b %Y"), "rate:Q", "actions:Q"],
    )


def drift(frame: pd.DataFrame) -> alt.Chart:
    title = "Where session time went: reflection, case management, tasks"
    if frame.empty:
        return _empty(title)
    return (
        alt.Chart(frame, title=title)
        .mark_area()
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("share:Q", stack="normalize", title=None, axis=alt.Axis(format="%")),
            color=alt.Color(
                "kind:N",
                legend=alt.Legend(orient="bottom", title=None),
                sort=["Reflection", "Case management", "Tasks"],
            ),
            opacity=alt.Opacity("kind:N", legend=None, scale=alt.Scale(range=[1.0, 0.7, 0.45])),
            tooltip=["kind:N", alt.Tooltip("period:T", format="%d %b %Y"), "share:Q"],
        )
        .properties(height=HEIGHT)
    )
