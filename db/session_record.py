"""A closed (or running) session's record as files: a PDF to print and a CSV to keep.

Both are built from `record` here (the session's record with restricted cases left out),
so they hold exactly what the record page shows, and both audit the export.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from sqlmodel import col, select

from db import audit, restriction, sessions
from db.access import Actor
from db.engine import session_scope
from db.exports import Document, to_csv
from db.models import Case

_OUTCOME = {"done": "done", "carried_over": "carried over", "dropped": "dropped", "open": "open"}


def _audit_export(actor: Actor, rec: sessions.Record, kind: str) -> None:
    with session_scope(write=True) as s:
        audit.by(s, actor, "export", f"session_record_{kind}", rec.view.id, rec.view.team_id)


class _Reflected(Protocol):
    @property
    def working_well(self) -> str: ...
    @property
    def gets_in_the_way(self) -> str: ...
    @property
    def what_they_would_say(self) -> str: ...
    @property
    def their_own_words(self) -> bool: ...
    @property
    def what_i_changed(self) -> str: ...


def reflections(c: _Reflected) -> list[tuple[str, str]]:
    """A relationship check-in's written reflections, each with its question, as the record
    and the case file put them (unanswered questions left out)."""
    said = "What they would say" + (" (their own words)" if c.their_own_words else "")
    asked = (
        ("What's working", c.working_well),
        ("What gets in the way", c.gets_in_the_way),
        (said, c.what_they_would_say),
        ("What I've changed", c.what_i_changed),
    )
    return [(label, text) for label, text in asked if text]


def record(actor: Actor, session_id: int) -> sessions.Record:
    """The session's record as the team may see it: what was brought about a restricted case,
    its check-ins and its actions are left out (see db.restriction) until the restriction is
    lifted. Everything else is as `sessions.record` reads it."""
    rec = sessions.record(actor, session_id)
    with session_scope() as s:
        hidden = restriction.restricted_case_ids(s)
        if not hidden:
            return rec
        # References are unique within a team, and a session's actions are its team's.
        hidden_refs = set(
            s.exec(
                select(Case.reference).where(col(Case.id).in_(hidden), Case.team_id == rec.view.team_id)
            ).all()
        )
    items = tuple(i for i in rec.view.items if i.case_id not in hidden)
    stages = sessions._stages(items)
    current = rec.view.current if rec.view.current in stages else stages[0]
    return replace(
        rec,
        view=replace(rec.view, items=items, stages=stages, current=current),
        check_ins=tuple(c for c in rec.check_ins if c.case_id not in hidden),
        new_actions=tuple(a for a in rec.new_actions if a.case_reference not in hidden_refs),
        reviewed_actions=tuple(a for a in rec.reviewed_actions if a.case_reference not in hidden_refs),
    )


def title(rec: sessions.Record) -> str:
    v = rec.view
    return f"Group supervision: {v.team_name}, {v.scheduled_for:%A %d %B %Y}"


def pdf(actor: Actor, session_id: int) -> bytes:
    rec = record(actor, session_id)
    doc = Document(title(rec))
    _who_came(doc, rec)
    _what_was_brought(doc, rec)
    _check_ins(doc, rec)
    _actions(doc, rec)
    _closing_and_after(doc, rec)
    _audit_export(actor, rec, "pdf")
    return doc.bytes()


def _who_came(doc: Document, rec: sessions.Record) -> None:
    """The PDF's opening: who facilitated, who was there, and the arrival round."""
    v = rec.view
    state = "closed" if v.status == "closed" else "still open (this is a draft)"
    doc.para(f"Facilitated by {v.facilitator or 'the team'} · {v.duration_minutes} minutes · record {state}")
    present = [a.name for a in v.attendees if a.attendance == "present"]
    apologies = [a.name for a in v.attendees if a.attendance == "apologies"]
    doc.para("Present: " + (", ".join(present) or "nobody recorded"))
    if apologies:
        doc.para("Apologies: " + ", ".join(apologies))

    doc.heading("Arrival round")
    for a in rec.arrivals:
        extra = f" · “{a.word}”" if a.word else ""
        need = " · would like the team's help today" if a.needs_team else ""
        doc.para(f"{a.name}: {a.score} out of 10{extra}{need}")
    if not rec.arrivals:
        doc.para("No arrival round was recorded.")


def _what_was_brought(doc: Document, rec: sessions.Record) -> None:
    doc.heading("What people brought")
    for item in rec.view.items:
        doc.para(f"{item.case_reference or 'A theme'} (brought by {item.brought_by})", bold=True)
        doc.para(f"Ask: {item.ask}")
        if item.discussion_notes:
            doc.para(f"Notes: {item.discussion_notes}")
        if item.case_file_summary:
            ready = "ready for the case file" if item.summary_ready else "draft"
            doc.para(f"Summary for the case file ({ready}): {item.case_file_summary}")


def _check_ins(doc: Document, rec: sessions.Record) -> None:
    doc.heading("Relationship check-ins")
    for c in rec.check_ins:
        scores = ", ".join(
            f"{label.lower()} {getattr(c, key)}" for key, label in sessions.CHECK_IN_ITEMS.items()
        )
        doc.para(f"{c.case_reference} with {c.practitioner}: {scores}", bold=True)
        for label, text in reflections(c):
            doc.para(f"{label}: {text}")


def _actions(doc: Document, rec: sessions.Record) -> None:
    doc.heading("Actions from earlier sessions")
    for a in rec.reviewed_actions:
        reason = f" ({a.status_reason})" if a.status_reason else ""
        doc.para(f"{a.description} · {a.owner} · {_OUTCOME.get(a.status, a.status)}{reason}")
    if not rec.reviewed_actions:
        doc.para("None were looked back on.")

    doc.heading("Actions agreed")
    for a in rec.new_actions:
        for_case = f" · for {a.case_reference}" if a.case_reference else ""
        carried = " · carried over" if a.carried_from_id else ""
        doc.para(f"{a.description} · {a.owner} by {a.due_on:%d %B %Y}{for_case}{carried}")
    if not rec.new_actions:
        doc.para("No new actions.")


def _closing_and_after(doc: Document, rec: sessions.Record) -> None:
    doc.heading("Closing round")
    for c in rec.closings:
        word = f" · “{c.word}”" if c.word else ""
        doc.para(
            f"{c.name}: felt heard {c.felt_heard}, helped my work {c.helped_my_work}, "
            f"worries held {c.held_my_worries}{word}"
        )

    if rec.amendments:
        doc.heading("Amendments")
        for a in rec.amendments:
            doc.para(f"{a.created_at:%d %B %Y %H:%M} UTC, {a.author}: {a.text}")


def csv(actor: Actor, session_id: int) -> bytes:
    rec = record(actor, session_id)
    rows: list[list[object]] = [
        *(_arrival_row(a) for a in rec.arrivals),
        *_brought_rows(rec),
        *_check_in_rows(rec),
        *_action_rows(rec),
        *(_closing_row(c) for c in rec.closings),
        *(_amendment_row(a) for a in rec.amendments),
    ]
    _audit_export(actor, rec, "csv")
    return to_csv(["part", "who", "case", "score or date", "text", "more"], rows)


def _arrival_row(a: sessions.Arrival) -> list[object]:
    return ["arrival", a.name, "", a.score, a.word, "needs the team" if a.needs_team else ""]


def _amendment_row(a: sessions.Amendment) -> list[object]:
    return ["amendment", a.author, "", f"{a.created_at:%Y-%m-%d %H:%M}", a.text, ""]


def _brought_rows(rec: sessions.Record) -> list[list[object]]:
    """What was brought, each followed by its case-file summary."""
    rows: list[list[object]] = []
    for item in rec.view.items:
        reference = item.case_reference or ""
        rows.append(["brought", item.brought_by, reference, "", item.ask, item.discussion_notes])
        if item.case_file_summary:
            ready = "ready" if item.summary_ready else "draft"
            rows.append(["case file summary", item.brought_by, reference, "", item.case_file_summary, ready])
    return rows


def _check_in_rows(rec: sessions.Record) -> list[list[object]]:
    rows: list[list[object]] = []
    for c in rec.check_ins:
        scores = " / ".join(str(getattr(c, k)) for k in sessions.CHECK_IN_ITEMS)
        rows.append(
            [
                "relationship check-in",
                c.practitioner,
                c.case_reference,
                scores,
                c.working_well,
                c.gets_in_the_way,
            ]
        )
    return rows


def _action_rows(rec: sessions.Record) -> list[list[object]]:
    """Actions looked back on, then actions agreed."""
    rows: list[list[object]] = [
        [
            "action looked back on",
            r.owner,
            r.case_reference or "",
            _OUTCOME[r.status],
            r.description,
            r.status_reason,
        ]
        for r in rec.reviewed_actions
    ]
    rows += [
        ["action agreed", a.owner, a.case_reference or "", f"{a.due_on:%Y-%m-%d}", a.description, a.kind]
        for a in rec.new_actions
    ]
    return rows


def _closing_row(closing: sessions.Closing) -> list[object]:
    scores = f"{closing.felt_heard} / {closing.helped_my_work} / {closing.held_my_worries}"
    return ["closing", closing.name, "", scores, closing.word, ""]
