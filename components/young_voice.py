"""The young person's own view, on the case page and in the room.

- `beside(actor, case_id, large=...)`: their latest answers next to the practitioner's
  latest check-in, item by item, both trends in one chart (told apart by line style as well
  as colour), the gap offered to the team as a question, and a gentle note when their own
  answer drops. Draws nothing when they haven't answered yet (so the room's check-in step
  is unchanged for every other case).
- `case_section(actor, case_id)`: the above, plus making a check-in link (wording chosen by
  the practitioner), showing it once as a copyable address and a QR code, the links and
  where each is, withdrawing one; and "what we talked about, for you": a note in plain words
  with the language lens and a reading age, kept with who and when, as a PDF.
"""

from __future__ import annotations

import base64
import copy
import functools
import io
import os
from urllib.parse import urlsplit

import altair as alt
import streamlit as st

from components import downloads, fields, forms, lens, text
from components.text import plain
from db import clock, young_voice
from db.access import Actor
from db.errors import NotAllowed, NotValid
from db.sessions import CHECK_IN_ITEMS

_NEW_LINK = "young_voice_new_link"  # this tab's just-made link: shown once, then gone
_FLASH = "young_voice_flash"


def _base_url() -> str:
    configured = os.environ.get("CIRCLE_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    url = getattr(st.context, "url", None) or ""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    host = st.context.headers.get("host", "localhost:8501") if st.context.headers else "localhost:8501"
    return f"http://{host}"


def link_url(token: str) -> str:
    return f"{_base_url()}/voice/{token}"


def qr_png(url: str) -> bytes:
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


# ------------------------------------------------------------------ side by side
@functools.cache
def _trend_spec() -> dict:
    return (
        alt.Chart(alt.NamedData("views"), title="How the relationship feels, on average (0 to 10)")
        .mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=2.5)
        .encode(
            x=alt.X("When:T", title=None, axis=alt.Axis(format="%d %b")),
            y=alt.Y("Average:Q", scale=alt.Scale(domain=[0, 10]), title=None),
            color=alt.Color(
                "Whose view:N",
                legend=alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=400),
            ),
            strokeDash=alt.StrokeDash("Whose view:N", legend=None),
            shape=alt.Shape("Whose view:N", legend=None),
            tooltip=["When:T", "Whose view:N", "Average:Q"],
        )
        .properties(height=220)
        .to_dict()
    )


_LARGE = {
    "config": {"axis": {"labelFontSize": 18}, "legend": {"labelFontSize": 18}, "title": {"fontSize": 22}}
}


def _trend(view: young_voice.Beside, *, key: str, large: bool) -> None:
    theirs = f"{view.who.capitalize()}'s own answers"
    rows = [
        {
            "When": clock.local(a.created_at).date().isoformat(),
            "Whose view": theirs,
            "Average": round(sum(a.on_ten().values()) / 4, 1),
        }
        for a in view.answers
    ] + [
        {
            "When": clock.local(c.created_at).date().isoformat(),
            "Whose view": "The practitioner's check-ins",
            "Average": round(sum(c.scores().values()) / 4, 1),
        }
        for c in view.ours
    ]
    if len(rows) < 3:
        st.caption("The trend of both views appears once there are a few answers and check-ins.")
        return
    spec = {**copy.deepcopy(_trend_spec()), "data": {"values": rows}, **(_LARGE if large else {})}
    st.vega_lite_chart(spec, key=key, height=340 if large else 320)


def beside(actor: Actor, case_id: int, *, large: bool = False) -> None:
    """Their own answers beside the practitioner's check-in (nothing until they've answered)."""
    try:
        view = young_voice.beside(actor, case_id)
    except NotAllowed:
        return
    if not view.answers:
        return
    latest = view.answers[-1]
    ours = view.ours[-1] if view.ours else None
    when = clock.when(latest.created_at, "%d %B")
    with st.container(border=True, key=f"young_voice_beside_{case_id}"):
        st.markdown(f"**In {plain(view.who)}'s own words** · answered {when}")
        text.table(
            [
                {
                    "The relationship": label,
                    f"What {view.who} said": latest.words(k),
                    "The latest check-in (0 to 10)": getattr(ours, k) if ours else "not yet",
                }
                for k, label in CHECK_IN_ITEMS.items()
            ]
        )
        if latest.anything_else:
            st.caption(f"What {view.who} wanted the practitioner to know, in their own words")
            st.text(latest.anything_else)
        differ = view.differ
        if differ:
            lines = "\n".join(
                f"- {plain(g.item)}: {plain(view.who)} said “{plain(g.theirs)}”, the check-in says {g.ours} out of 10"
                for g in differ
            )
            st.info(f"**{plain(view.question)}**\n\n{lines}", icon=":material/forum:")
        elif ours:
            st.caption(
                f"{view.who.capitalize()} and the practitioner see the relationship much the same way."
            )
        for d in view.drops:
            st.warning(
                f"{d.item}: {view.who}'s own answer has moved from “{d.before}” to “{d.now}” since last time. "
                "What has changed, and what might help?",
                icon=":material/trending_down:",
            )
        _trend(view, key=f"young_voice_trend_{case_id}_{'large' if large else 'small'}", large=large)


# ------------------------------------------------------------------ links
def _new_link_panel(case_id: int) -> None:
    made = st.session_state.get(_NEW_LINK)
    if not made or made[0] != case_id:
        return
    _, token, wording = made
    url = link_url(token)
    with st.container(border=True, key="young_voice_made"):
        st.markdown(f"**Your new link** ({plain(young_voice.WORDING_LABELS[wording].lower())})")
        st.caption(
            "Copy it now, or let them scan the code from your screen. Circle keeps only a fingerprint "
            "of it, so it can't show it again. It works once, for "
            f"{young_voice.link_days()} days."
        )
        st.code(url, language=None, wrap_lines=True)
        # A markdown image, so it has alt text (st.image draws an <img> without any); the data
        # is our own PNG of our own link, never anything typed.
        qr = base64.b64encode(qr_png(url)).decode()
        st.markdown(
            f"![QR code for the link above: scan it with a phone's camera](data:image/png;base64,{qr})"
        )
        if st.button("I've sent it: put the link away", key="young_voice_hide_link"):
            st.session_state.pop(_NEW_LINK, None)
            st.rerun()


def _links(actor: Actor, case_id: int, can_send: bool) -> None:
    lines = young_voice.links(actor, case_id)
    if not lines:
        st.caption("No links yet. Once one is answered, the answers show here beside your check-ins.")
        return
    for line in lines:
        cols = st.columns([3, 1]) if can_send and line.can_withdraw else [st.container()]
        cols[0].markdown(
            f"{plain(line.status_words)} · {plain(young_voice.WORDING_LABELS[line.wording])} · "
            f"made by {plain(line.created_by)} {clock.when(line.created_at, '%d %B')} · "
            f"until {clock.when(line.expires_at, '%d %B, %H:%M')}"
        )
        made = clock.when(line.created_at, "%d %B, %H:%M")
        if len(cols) > 1 and cols[1].button(
            f"Withdraw the link made {made}",  # each button its own name, for a screen reader
            key=f"young_voice_withdraw_{line.id}",
            help="The link stops working straight away.",
        ):
            try:
                young_voice.withdraw(actor, line.id)
                st.session_state[_FLASH] = "Withdrawn. The link shows a kind 'finished' page now."
            except NotAllowed as refused:
                st.session_state[_FLASH] = refused.message
            except NotValid as problem:  # answered or expired in between: say which
                st.session_state[_FLASH] = " ".join(problem.problems.values())
            st.rerun()


def _link_form(actor: Actor, case_id: int) -> None:
    with st.form(f"young_voice_link_form_{case_id}", border=True):
        st.markdown("**Ask them how it's going**")
        st.caption(
            "A link to four short questions about how things are between you, in plain words, on a "
            "phone. No account; they see only your first name. It works once."
        )
        wording = st.radio(
            "Who is it for?",
            list(young_voice.WORDING_LABELS),
            format_func=young_voice.WORDING_LABELS.__getitem__,
            index=None,
            horizontal=True,
            key=f"young_voice_wording_{case_id}",
        )
        if st.form_submit_button("Make a check-in link"):
            try:
                made = young_voice.create_link(actor, case_id, wording=wording)
                st.session_state[_NEW_LINK] = (case_id, made.token, made.wording)
                st.rerun()
            except NotValid as problem:
                forms.show_problems(problem, {"wording": "Who is it for?"})
            except NotAllowed as refused:
                st.warning(refused.message)


# ------------------------------------------------------------------ notes for them
def _note_form(actor: Actor, case_id: int) -> None:
    key = f"young_voice_note_{case_id}"
    st.markdown("**What we talked about, for you**")
    st.caption(
        "A short note to the young person or family after the team has talked: plain words, as you "
        "would say it to them. What you write here is all the note holds."
    )
    typed = fields.area(
        "Your note to them",
        key=key,
        limit=young_voice.MAX_NOTE,
        height=160,
        help="Print it or give it as a PDF.",
    )
    if typed.strip():
        age = young_voice.reading_age(typed)
        if age is None:
            st.caption("Reading age: write a little more to see it.")
        else:
            st.caption(
                f"Reading age about {age}{'+' if age >= 18 else ''}. Shorter sentences and everyday words bring "
                "it down; around 9 to 11 suits most families."
            )
        lens.hint(typed, key=key)
    if st.button("Keep this note", key=f"{key}_save"):
        try:
            young_voice.write_note(actor, case_id, typed)
            st.session_state.pop(key, None)
            st.session_state[_FLASH] = "Kept on the case. Download it below as a PDF to print or send."
            st.rerun()
        except NotValid as problem:
            forms.show_problems(problem, {"body": "Your note to them"})
        except NotAllowed as refused:
            st.warning(refused.message)


def _notes(actor: Actor, case_id: int) -> None:
    from db.young_voice_pdf import note_pdf

    for n in young_voice.notes(actor, case_id):
        with st.container(border=True):
            st.caption(f"Written by {n.written_by}, {clock.when(n.created_at, '%d %B %Y, %H:%M')}")
            st.text(n.body)
            downloads.file(
                f"Download the note of {clock.when(n.created_at, '%d %B, %H:%M')} as a PDF",
                lambda who, note_id=n.id: note_pdf(who, note_id),  # type: ignore[misc]  # a lambda with defaulted arguments binding loop values; mypy cannot infer it
                file_name="a-note-for-you.pdf",
                key=f"young_voice_pdf_{n.id}",
                icon=":material/print:",
            )


def case_section(actor: Actor, case_id: int) -> None:
    st.header("In their words")
    st.caption(
        "The child's or young person's own view of how things are with their worker, beside the "
        "practitioner's check-ins; and notes written for them."
    )
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(plain(flash), icon=":material/check:")
    beside(actor, case_id)
    can_send = young_voice.may_send(actor, case_id)
    if can_send:
        _new_link_panel(case_id)
        _link_form(actor, case_id)
    else:
        st.caption(
            "The case's practitioner or the team's supervisor can ask the young person and write to them."
        )
    _links(actor, case_id, can_send)
    if can_send:
        _note_form(actor, case_id)
    _notes(actor, case_id)
