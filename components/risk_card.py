"""Showing worries the team holds: a calm card for each, one worry in full, its versions and
its reviews, and the log as a table. Text people typed always goes through `plain()` or a
table; the only colour is a red badge for a review that is overdue."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.text import plain
from db import clock
from db.risk_log import (
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    WHOSE_RISK_SHORT,
    LogRow,
    Revision,
    ThreadDetail,
)
from db.risk_threads import HeldRisk


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def review_badge(next_review_on: date, today: date) -> str:
    """Words first, colour second: red only when a review is overdue."""
    if next_review_on < today:
        days = (today - next_review_on).days
        return f":red-badge[:material/schedule: Review overdue by {days} day{'s' if days != 1 else ''}]"
    if next_review_on == today:
        return ":blue-badge[:material/event: Review due today]"
    if (next_review_on - today).days <= 7:
        return f":blue-badge[:material/event: Review due {next_review_on:%A %d %B}]"
    return f":gray-badge[Next review {next_review_on:%d %B %Y}]"


def _where(case_reference: str | None) -> str:
    return f"**{plain(case_reference)}**" if case_reference else "**A team-level worry**"


def held_card(
    risk: HeldRisk,
    today: date,
    *,
    key: str,
    held_with: tuple[str, ...] | None = None,
    team_name: str | None = None,
) -> bool:
    """One worry the team holds. Returns True when the person asks to open it."""
    with st.container(border=True):
        badges = review_badge(risk.next_review_on, today)
        if risk.awaiting_manager:
            badges += " :gray-badge[:material/hourglass_empty: Waiting for the manager's agreement]"
        st.markdown(f"{_where(risk.case_reference)} &nbsp; {badges}")
        st.markdown(plain(_short(risk.worry)))
        if held_with is not None:
            who = f"Held with {plain(', '.join(held_with))}" if held_with else "Held with the team"
        else:
            who = f"Held by {plain(', '.join(risk.holders))}"
        team = f" · {plain(team_name)}" if team_name else ""
        st.caption(f"{who} · Whose risk: {WHOSE_RISK_SHORT.get(risk.whose_risk, risk.whose_risk)}{team}")
        # A distinct name per card, so a screen reader (and a person) can tell them apart.
        words = risk.worry.split()
        gist = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
        label = f"Open this worry: {plain(risk.case_reference or 'a team-level worry')} · {plain(gist)}"
        return st.button(label, key=key, icon=":material/open_in_full:")


def summary_line(detail: ThreadDetail, today: date) -> None:
    now = detail.current
    if detail.is_open:
        status = review_badge(detail.next_review_on, today)
        if detail.awaiting_manager:
            status += " :gray-badge[:material/hourglass_empty: Waiting for the manager's agreement]"
    else:
        status = ":green-badge[:material/check: Closed]"
    raised = detail.original.created_at
    st.markdown(f"{_where(detail.case_reference)} &nbsp; {status}")
    st.caption(
        f"Raised by {plain(detail.original.raised_by)} on {raised:%d %B %Y}"
        + (f" · {plain(detail.original.session_label)}" if detail.original.session_label else "")
        + f" · Version {now.revision}, saved by {plain(now.created_by)} on {clock.when(now.created_at, '%d %B %Y at %H:%M')}"
    )


def _field(label: str, value: str) -> None:
    if value:
        st.markdown(f"**{label}**  \n{plain(value)}")


def revision_body(rev: Revision, *, next_review_on: date | None = None) -> None:
    """Everything one version of the worry says (with the thread's next review, when current)."""
    _field("What we're worried might happen", rev.worry)
    st.markdown(
        f"**Whose risk is this?** {WHOSE_RISK_SHORT.get(rev.whose_risk, rev.whose_risk).capitalize()}  \n"
        + plain(rev.whose_risk_reasoning)
    )
    _field("What would be reasonable for any young person of this age", rev.reasonable_for_age)
    _field("What the young person and family say", rev.family_view)
    _field("What is already keeping them safe", rev.keeping_safe)
    _field("What we decided", rev.decision)
    _field("Why", rev.decision_reasons)
    holders = plain(", ".join(rev.holders)) or "nobody recorded"
    st.markdown(f"**Held by** {holders}")
    if rev.needs_manager:
        if rev.manager_agreed_by and rev.manager_agreed_at:
            st.markdown(
                f"**The accountable manager** {plain(rev.manager_agreed_by)} agreed on "
                f"{clock.when(rev.manager_agreed_at, '%d %B %Y at %H:%M')}"
            )
        else:
            st.markdown("**The accountable manager** hasn't agreed this decision yet")
    if rev.worry_before is not None and rev.worry_after is not None:
        st.markdown(
            f"**How worried, from 0 (not at all) to 10 (as worried as can be)**: "
            f"{rev.worry_before} before the team talked it through, {rev.worry_after} after"
        )
    if rev.status == "closed":
        st.markdown("**Closed**: the team no longer holds this worry")
    else:
        st.markdown(f"**Next review** {(next_review_on or rev.review_on):%d %B %Y}")


def history(detail: ThreadDetail) -> None:
    """Every version, newest first; the first one is the worry as it was first named."""
    st.caption(
        "Nothing here is ever written over. Each correction or change is a new version, with who "
        "made it and when, and every earlier version stays readable."
    )
    for rev in reversed(detail.revisions):
        changed = ", ".join(rev.changed) or "nothing"
        if rev.revision == 1:
            what = "As first named"
        elif rev.at_review:
            what = "At a review, changed: " + changed
        else:
            what = "Changed: " + changed
        title = f"Version {rev.revision} · {clock.when(rev.created_at, '%d %b %Y %H:%M')} · {plain(rev.created_by)} · {what}"
        with st.expander(title, expanded=False):
            revision_body(rev)


def reviews(detail: ThreadDetail) -> None:
    if not detail.reviews:
        st.info(
            "Nobody has looked back at this worry yet. When the team reviews it, what happened and "
            "what you learned will show here.",
            icon=":material/history_edu:",
        )
        return
    for r in reversed(detail.reviews):
        with st.container(border=True):
            st.markdown(
                f"**{r.reviewed_at:%d %B %Y}** · {OUTCOME_LABELS.get(r.what_happened, r.what_happened)} · "
                f"{NEXT_STEP_LABELS.get(r.next_step, r.next_step)}"
                + (f" (next look on {r.next_review_on:%d %B %Y})" if r.next_review_on else "")
            )
            st.markdown(plain(r.what_we_learned))
            st.caption(f"Reviewed by {plain(r.reviewed_by)}")


def log_table(rows: tuple[LogRow, ...], today: date) -> None:
    def review_words(row: LogRow) -> str:
        if not row.is_open:
            return "closed"
        assert row.next_review_on is not None
        if row.next_review_on < today:
            return f"overdue since {row.next_review_on:%d %b %Y}"
        return f"{row.next_review_on:%d %b %Y}"

    st.dataframe(
        [
            {
                "Raised": row.raised_on.strftime("%d %b %Y"),
                "About": row.case_reference or "team-level",
                "The worry": _short(row.worry, 140),
                "Whose risk": WHOSE_RISK_SHORT.get(row.whose_risk, row.whose_risk),
                "Held by": ", ".join(row.holders),
                "Next review": review_words(row),
                "Last review": OUTCOME_LABELS.get(row.last_outcome, "") if row.last_outcome else "not yet",
                "Versions": row.revisions,
            }
            for row in rows
        ],
        hide_index=True,
        width="stretch",
    )
