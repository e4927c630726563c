"""The insights charts as Altair specifications, drawn on the screen and pictured in the PDF
report. The data layer (`db.insights`) returns the figures; how they look lives here.

Each chart has a plain title that says what it shows, and tells its series apart by
shape or line style as well as colour, so it reads without colour alone.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

HEIGHT = 240
REPORT_WIDTH = 640  # the charts' width in the PDF report


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
    """A line per series over time, told apart by colour, line style and point shape (or the
    empty note when nothing was recorded)."""
    if frame.empty:
        return _empty(title)
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


def _averages(frame: pd.DataFrame, title: str, *, value: str, series: str) -> alt.Chart:
    """A 0–10 average per series and period (closing round, worry), to one decimal place."""
    mean = f"mean({value}):Q"
    return _lines(
        frame,
        title,
        y=mean,
        series=series,
        domain=[0, 10],
        tooltip=[series, alt.Tooltip("period:T", format="%d %b %Y"), alt.Tooltip(mean, format=".1f")],
    )


def _monthly(
    frame: pd.DataFrame, title: str, *, y: str, y_title: str, domain: list | None = None, extra: tuple = ()
) -> alt.Chart:
    """A line per team by month (the rhythm charts)."""
    return _lines(
        frame,
        title,
        y=y,
        series="team:N",
        domain=domain,
        y_title=y_title,
        x_format="%b %Y",
        tooltip=["team:N", alt.Tooltip("period:T", format="%b %Y"), y, *extra],
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
    return _lines(
        frame,
        "How people arrived at supervision, team average (0–10)",
        y="score:Q",
        series="team:N",
        domain=[0, 10],
        tooltip=["team:N", alt.Tooltip("period:T", format="%d %b %Y"), "score:Q", "people:Q"],
    )


def closing(frame: pd.DataFrame) -> alt.Chart:
    title = "Closing round: heard, helped and held, team average (0–10)"
    return _averages(frame, title, value="score", series="item:N")


def worry(frame: pd.DataFrame) -> alt.Chart:
    title = "Worry about a risk, before and after the team's discussion (0–10)"
    return _averages(frame, title, value="worry", series="when:N")


def _shaded(
    frame: pd.DataFrame,
    title: str,
    mark: str,
    *,
    y: alt.Y,
    series: str,
    shades: list[float],
    tooltip: list,
    sort: object = alt.Undefined,
) -> alt.Chart:
    """Bars or areas (`mark`) per series over time, told apart by shade as well as colour (or
    the empty note when nothing was recorded)."""
    if frame.empty:
        return _empty(title)
    base = alt.Chart(frame, title=title)
    chart = base.mark_area() if mark == "area" else base.mark_bar()
    return chart.encode(
        x=alt.X("period:T", title=None),
        y=y,
        color=alt.Color(series, legend=alt.Legend(orient="bottom", title=None), sort=sort),  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        opacity=alt.Opacity(series, legend=None, scale=alt.Scale(range=shades)),
        tooltip=tooltip,
    ).properties(height=HEIGHT)


def risks_opened(frame: pd.DataFrame) -> alt.Chart:
    title = "Risks taken on to hold together, by whose risk it was"
    return _shaded(
        frame,
        title,
        "bar",
        y=alt.Y("sum(risks):Q", title="Risks"),
        series="whose:N",
        shades=[1.0, 0.75, 0.5],
        tooltip=["whose:N", alt.Tooltip("period:T", format="%b %Y"), "sum(risks):Q"],
    )


def risk_flow(opened: pd.DataFrame, closed: pd.DataFrame) -> alt.Chart:
    title = "Risks taken on to hold, and risks closed, each period"
    taken = opened.groupby("period", as_index=False)["risks"].sum() if not opened.empty else opened
    frames = [f.assign(flow=label) for f, label in ((taken, "Taken on"), (closed, "Closed")) if not f.empty]
    if not frames:
        return _empty(title)
    return _lines(
        pd.concat(frames),
        title,
        y="risks:Q",
        series="flow:N",
        y_title="Risks",
        tooltip=["flow:N", alt.Tooltip("period:T", format="%d %b %Y"), "risks:Q"],
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
    return _monthly(frame, title, y="sessions:Q", y_title="Sessions")


def attendance(frame: pd.DataFrame) -> alt.Chart:
    title = "Attendance: share of the team present (%)"
    return _monthly(frame, title, y="rate:Q", y_title="%", domain=[0, 100])


def actions_on_time(frame: pd.DataFrame) -> alt.Chart:
    title = "Actions done by their date (%)"
    return _monthly(frame, title, y="rate:Q", y_title="%", domain=[0, 100], extra=("actions:Q",))


def drift(frame: pd.DataFrame) -> alt.Chart:
    title = "Where session time went: reflection, case management, tasks"
    return _shaded(
        frame,
        title,
        "area",
        y=alt.Y("share:Q", stack="normalize", title=None, axis=alt.Axis(format="%")),
        series="kind:N",
        shades=[1.0, 0.7, 0.45],
        sort=["Reflection", "Case management", "Tasks"],
        tooltip=["kind:N", alt.Tooltip("period:T", format="%d %b %Y"), "share:Q"],
    )


# ------------------------------------------------------------------ the PDF report's pictures


def for_report(data: dict) -> list[alt.Chart]:
    """Every chart, in the report's order, from `db.insights.everything`'s figures."""
    return [
        relationships(data["relationships"]),
        arrival(data["arrival"]),
        closing(data["closing"]),
        worry(data["worry"]),
        risks_opened(data["risks_opened"]),
        risk_flow(data["risks_opened"], data["risks_closed"]),
        outcomes(data["outcomes"]),
        sessions_held(data["sessions_held"]),
        attendance(data["attendance"]),
        actions_on_time(data["actions_on_time"]),
        drift(data["drift"]),
    ]


def title_of(chart) -> str:
    """A chart's title (a layered chart carries it on its first layer)."""
    found = chart.title if isinstance(getattr(chart, "title", None), str) else None
    if found is None and getattr(chart, "layer", None):
        found = chart.layer[0].title
    return found if isinstance(found, str) else ""


def pictures(data: dict) -> list[tuple[str, bytes]]:
    """Each chart as (title, PNG), rendered offline by vl-convert, for the PDF report
    (`db.insights_report.pdf` lays them out)."""
    return [
        (title_of(chart), vlc.vegalite_to_png(chart.properties(width=REPORT_WIDTH).to_json(), scale=1.5))
        for chart in for_report(data)
    ]
