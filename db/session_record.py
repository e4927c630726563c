"""A closed (or running) session's record as files: a PDF to print and a CSV to keep.

Both are built from `record` here (the session's record with restricted cases left out),
so they hold exactly what the record page shows, and both audit the export.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select

from db import audit, restriction, sessions
from db.access import Actor
from db.engine import session_scope
from db.exports import Document, to_csv
from db.models import Case

_OUTCOME = {"done": "done", "carried_over": "carried over", "dropped": "dropped", "open": "open"}


def _audit_export(actor: Actor, rec: sessions.Record, kind: str) -> None:
    with session_scope(write=True) as s:
        audit.record(
            s,
            "export",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type=f"session_record_{kind}",
            record_id=rec.view.id,
            team_id=rec.view.team_id,
        )


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
    v = rec.view
    doc = Document(title(rec))
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

    doc.heading("What people brought")
    for item in v.items:
        doc.para(f"{item.case_reference or 'A theme'} (brought by {item.brought_by})", bold=True)
        doc.para(f"Ask: {item.ask}")
        if item.discussion_notes:
            doc.para(f"Notes: {item.discussion_notes}")
        if item.case_file_summary:
            ready = "ready for the case file" if item.summary_ready else "draft"
            doc.para(f"Summary for the case file ({ready}): {item.case_file_summary}")

    doc.heading("Relationship check-ins")
    for c in rec.check_ins:
        scores = ", ".join(
            f"{label.lower()} {getattr(c, key)}" for key, label in sessions.CHECK_IN_ITEMS.items()
        )
        doc.para(f"{c.case_reference} with {c.practitioner}: {scores}", bold=True)
        for label, text in (
            ("What's working", c.working_well),
            ("What gets in the way", c.gets_in_the_way),
            (
                "What they would say" + (" (their own words)" if c.their_own_words else ""),
                c.what_they_would_say,
            ),
            ("What I've changed", c.what_i_changed),
        ):
            if text:
                doc.para(f"{label}: {text}")

    doc.heading("Actions from earlier sessions")
    for done in rec.reviewed_actions:
        reason = f" ({done.status_reason})" if done.status_reason else ""
        doc.para(f"{done.description} · {done.owner} · {_OUTCOME.get(done.status, done.status)}{reason}")
    if not rec.reviewed_actions:
        doc.para("None were looked back on.")

    doc.heading("Actions agreed")
    for new in rec.new_actions:
        for_case = f" · for {new.case_reference}" if new.case_reference else ""
        carried = " · carried over" if new.carried_from_id else ""
        doc.para(f"{new.description} · {new.owner} by {new.due_on:%d %B %Y}{for_case}{carried}")
    if not rec.new_actions:
        doc.para("No new actions.")

    doc.heading("Closing round")
    for closing in rec.closings:
        word = f" · “{closing.word}”" if closing.word else ""
        doc.para(
            f"{closing.name}: felt heard {closing.felt_heard}, helped my work {closing.helped_my_work}, "
            f"worries held {closing.held_my_worries}{word}"
        )

    if rec.amendments:
        doc.heading("Amendments")
        for change in rec.amendments:
            doc.para(f"{change.created_at:%d %B %Y %H:%M} UTC, {change.author}: {change.text}")
    _audit_export(actor, rec, "pdf")
    return doc.bytes()


def csv(actor: Actor, session_id: int) -> bytes:
    rec = record(actor, session_id)
    rows: list[list[object]] = []
    for a in rec.arrivals:
        rows.append(["arrival", a.name, "", a.score, a.word, "needs the team" if a.needs_team else ""])
    for item in rec.view.items:
        rows.append(
            ["brought", item.brought_by, item.case_reference or "", "", item.ask, item.discussion_notes]
        )
        if item.case_file_summary:
            rows.append(
                [
                    "case file summary",
                    item.brought_by,
                    item.case_reference or "",
                    "",
                    item.case_file_summary,
                    "ready" if item.summary_ready else "draft",
                ]
            )
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
    for done in rec.reviewed_actions:
        rows.append(
            [
                "action looked back on",
                done.owner,
                done.case_reference or "",
                _OUTCOME[done.status],
                done.description,
                done.status_reason,
            ]
        )
    for new in rec.new_actions:
        rows.append(
            ["action agreed", new.owner, new.case_reference or "", f"{new.due_on:%Y-%m-%d}", new.description, new.kind]
        )
    for closing in rec.closings:
        rows.append(
            ["closing", closing.name, "", f"{closing.felt_heard} / {closing.helped_my_work} / {closing.held_my_worries}", closing.word, ""]
        )
    for change in rec.amendments:
        rows.append(["amendment", change.author, "", f"{change.created_at:%Y-%m-%d %H:%M}", change.text, ""])
    _audit_export(actor, rec, "csv")
    return to_csv(["part", "who", "case", "score or date", "text", "more"], rows)
