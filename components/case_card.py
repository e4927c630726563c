"""A case on the board: one card, readable across a room and on a laptop.

Everything a person typed (references, names, the team's status names) goes through
`plain()`; signals carry words and an icon, never colour alone.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.text import plain
from db.case_board import Card

TREND_WORDS = {
    "up": (":material/trending_up:", "warmer than the check-in before"),
    "down": (":material/trending_down:", "cooler than the check-in before"),
    "steady": (":material/trending_flat:", "about the same as the check-in before"),
}


def ago(day: date | None, today: date) -> str:
    if day is None:
        return "not yet"
    days = (today - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"{days // 7} weeks ago"


def _check_in(card: Card, today: date) -> str:
    if card.check_in_score is None:
        return "No relationship check-in yet"
    line = f"Relationship check-in **{card.check_in_score:g}**/10, {ago(card.check_in_on, today)}"
    if card.trend:
        icon, words = TREND_WORDS[card.trend]
        line += f"  \n{icon} {words}"
    return line


def show(card: Card, today: date, weeks: int, *, show_status: bool = False) -> None:
    with st.container(border=True):
        # One markdown block per card (heading, badge, details): a page of 24 cards stays
        # quick to draw on a shared screen.
        head = [f"### {plain(card.reference)}"]
        if card.quiet:
            head.append(f":orange-badge[:material/schedule: Not talked about for {weeks}+ weeks]")
        if show_status:
            head.append(f"_{plain(card.status_label)}_")
        best = plain(card.best_name) if card.best_name else "not named yet"
        lines = [
            *head,
            f":material/person: Lead: **{plain(card.lead_name)}**",
            f":material/favorite: Best relationship: **{best}**",
            ":material/forum: " + _check_in(card, today),
            ":material/straighten: Safety scale: "
            + (f"**{card.scale}**/10" if card.scale is not None else "not scaled yet"),
            ":material/handshake: Worries held together: "
            + (f"**{card.risks_held}**" if card.risks_held else "none open"),
            ":material/groups: Last talked about in supervision: " + ago(card.last_discussed, today),
        ]
        if card.next_review_on:
            due = "review date has come" if card.review_due(today) else "next review"
            lines.append(f":material/event: {due.capitalize()}: {card.next_review_on:%d %b %Y}")
        else:
            lines.append(":material/event: No review date set")
        st.markdown(lines[0] + "\n\n" + "  \n".join(lines[1:]))
        st.page_link(
            "pages/case.py",
            label=f"Open {plain(card.reference)}",
            icon=":material/open_in_new:",
            query_params={"case": str(card.case_id)},
        )
