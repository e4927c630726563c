"""The insights as files: a CSV of every figure (safe to open in a spreadsheet) and a PDF
report with each chart as a picture and the stories behind them.

The pictures come from presentation (`components.insight_charts.pictures`): the data layer
reads the figures once, hands them over to be drawn, and lays out what comes back, so it
never holds a chart specification itself."""

from __future__ import annotations

from collections.abc import Callable

from db import insights
from db.access import Actor
from db.exports import Document, to_csv

# Draws the figures of `insights.everything` as (title, PNG) pairs, in the report's order.
Pictures = Callable[[dict], list[tuple[str, bytes]]]


def csv(actor: Actor, filters: insights.Filters) -> bytes:
    data = {k: v for k, v in insights.everything(actor, filters).items() if k != "stories"}
    rows = []
    for section, frame in data.items():
        for record in frame.to_dict("records"):
            rows.append([section, *(f"{k}={v}" for k, v in record.items())])
    width = max((len(r) for r in rows), default=1)
    insights.audit_export(actor, filters, "csv")
    return to_csv(
        ["section", *(f"value {i}" for i in range(1, width))], [r + [""] * (width - len(r)) for r in rows]
    )


def pdf(actor: Actor, filters: insights.Filters, team_names: list[str], pictures: Pictures) -> bytes:
    data = insights.everything(actor, filters)
    stories = data["stories"]
    doc = Document("Circle insights: how supervision is going")
    doc.para(f"Teams: {', '.join(team_names)}")
    doc.para(
        f"From {filters.start:%d %B %Y} to {filters.end:%d %B %Y}. Wellbeing figures are team averages "
        f"over {insights.MIN_GROUP} or more people; no one person's scores are shown."
    )
    on_time = data["on_time"].iloc[0]
    if on_time["reviews"]:
        doc.para(f"Risk reviews on time: {on_time['on_time']} of {on_time['reviews']}.")
    for title, png in pictures(data):
        doc.heading(title)
        doc.image(png, w=doc.epw)
    doc.heading("The stories behind the numbers")
    for label, key in (
        ("What is working, in practitioners' words", "working"),
        ("What the teams learned from risks they held", "learned"),
        ("What practitioners brought to reflect on", "asks"),
    ):
        doc.para(label, bold=True)
        for story in stories[key]:
            doc.para(f"{story.when:%d %b %Y} · {story.case_reference or 'team'}: {story.text}")
    insights.audit_export(actor, filters, "pdf")
    return doc.bytes()
