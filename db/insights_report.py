"""The insights as files: a CSV of every figure (safe to open in a spreadsheet) and a PDF
report with each chart as an image (vl-convert renders Altair offline) and its stories."""

from __future__ import annotations

import vl_convert as vlc

from db import insights, insights_charts
from db.access import Actor
from db.exports import Document, to_csv


def charts(data: dict) -> list:
    return [
        insights_charts.relationships(data["relationships"]),
        insights_charts.arrival(data["arrival"]),
        insights_charts.closing(data["closing"]),
        insights_charts.worry(data["worry"]),
        insights_charts.risks_opened(data["risks_opened"]),
        insights_charts.risk_flow(data["risks_opened"], data["risks_closed"]),
        insights_charts.outcomes(data["outcomes"]),
        insights_charts.sessions_held(data["sessions_held"]),
        insights_charts.attendance(data["attendance"]),
        insights_charts.actions_on_time(data["actions_on_time"]),
        insights_charts.drift(data["drift"]),
    ]


def _title(chart) -> str:
    title = chart.title if isinstance(getattr(chart, "title", None), str) else None
    if title is None and getattr(chart, "layer", None):
        title = chart.layer[0].title
    return title if isinstance(title, str) else ""


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


def pdf(actor: Actor, filters: insights.Filters, team_names: list[str]) -> bytes:
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
    for chart in charts(data):
        title = _title(chart)
        png = vlc.vegalite_to_png(chart.properties(width=640).to_json(), scale=1.5)
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
