"""Case-file entries: one child's or family's part of a session, ready for their record.

The session's own record holds several families, a theme or two and the team's arrival and
closing scores, so it can't be filed on any one child's record. A case-file entry is built
from the session for one case only: the ask, the summary for the case file, the actions
agreed for that case with who and by when, any worry about that case named, changed or
reviewed in the session (with its decision and why), the relationship check-in if the team
agreed to include it, the date, who was there (names and roles) and who wrote it. Nothing of
any other family, no arrival or closing scores, no staff wellbeing.

Who reaches what (docs/permissions.md, `case_file_entry` and `case_file_list`):
- the team's practitioners and supervisors read an entry, export it (PDF, plain text; each
  export audited), choose whether the check-in goes in, and tick "copied to the case file";
- the team's manager sees the list on the case page (which sessions made an entry and
  whether each has been filed, by whom and when) but not the entry's text: it is drawn
  from the session record, which is the team's (managers read trends, not one session);
- a restricted case has no entries anyone can open (db.restriction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, or_, select

from db import audit, clock, names, restriction, session_record, sessions
from db.access import Actor, case_team_ids
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    Action,
    AgendaItem,
    Case,
    Membership,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SessionAttendee,
    SupervisionSession,
    Team,
)
from db.notification_models import CaseFileEntry
from db.risk_log import NEXT_STEP_LABELS, OUTCOME_LABELS, WHOSE_RISK_SHORT

ENTRY_ROLES = ("practitioner", "supervisor")
ROLE_NAMES = {"practitioner": "Practitioner", "supervisor": "Supervisor", "manager": "Manager"}


@dataclass(frozen=True)
class EntryLine:
    """One entry as the case page lists it (no record text: managers see this much)."""

    session_id: int
    held_on: date
    session_status: str
    copied_by: str | None
    copied_at: datetime | None
    include_check_in: bool
    version: int

    @property
    def filed(self) -> bool:
        return self.copied_at is not None


@dataclass(frozen=True)
class Present:
    name: str
    role: str


@dataclass(frozen=True)
class ActionPart:
    description: str
    owner: str
    due_on: date
    status: str


@dataclass(frozen=True)
class WorryPart:
    what: str  # "named", "changed" or "reviewed"
    worry: str
    whose_risk: str
    decision: str
    decision_reasons: str
    review_on: date | None
    outcome: str = ""
    learned: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class CheckInPart:
    practitioner: str
    scores: dict[str, int]
    working_well: str
    gets_in_the_way: str
    what_they_would_say: str
    their_own_words: bool
    what_i_changed: str


@dataclass(frozen=True)
class AskPart:
    brought_by: str
    ask: str
    summary: str
    summary_ready: bool


@dataclass(frozen=True)
class Entry:
    session_id: int
    case_id: int
    case_reference: str
    team_name: str
    held_on: date
    starts_at: datetime
    session_status: str
    facilitator: str | None
    asks: tuple[AskPart, ...]
    actions: tuple[ActionPart, ...]
    worries: tuple[WorryPart, ...]
    check_in: CheckInPart | None
    check_in_recorded: bool
    present: tuple[Present, ...]
    include_check_in: bool
    copied_by: str | None
    copied_at: datetime | None
    version: int

    @property
    def written_by(self) -> str:
        who = list(dict.fromkeys(a.brought_by for a in self.asks))
        if self.facilitator and self.facilitator not in who:
            who.append(f"{self.facilitator} (facilitating)")
        return ", ".join(who)


# ------------------------------------------------------------------ scope


def _case_for_list(s: Session, actor: Actor, case_id: int) -> Case:
    found = s.get(Case, case_id) if isinstance(case_id, int) else None
    if found is None or found.team_id not in case_team_ids(actor):
        raise NotAllowed("That case isn't open to you, or it is no longer in Circle.")
    restriction.require_case_in_use(s, case_id)
    return found


def _session_and_case(
    s: Session, actor: Actor, session_id: int, case_id: int
) -> tuple[SupervisionSession, Case]:
    if actor.role not in ENTRY_ROLES:
        raise NotAllowed(
            "Case-file entries are written and filed by the team's practitioners and supervisors."
        )
    session = sessions._load(s, actor, session_id)
    case = s.get(Case, case_id)
    if case is None or case.team_id != session.team_id:
        raise NotAllowed("That case wasn't part of this session.")
    restriction.require_case_in_use(s, case_id)
    brought = s.exec(
        select(AgendaItem.id).where(AgendaItem.session_id == session_id, AgendaItem.case_id == case_id)
    ).first()
    if brought is None:
        raise NotAllowed("That case wasn't brought to this session, so there is no entry for it.")
    return session, case


def _row(s: Session, session_id: int, case_id: int, *, lock: bool = False) -> CaseFileEntry | None:
    query = select(CaseFileEntry).where(
        CaseFileEntry.session_id == session_id, CaseFileEntry.case_id == case_id
    )
    if lock:
        query = query.with_for_update()
    return s.exec(query).first()


# ------------------------------------------------------------------ reading


def entries_for_case(actor: Actor, case_id: int) -> tuple[EntryLine, ...]:
    """Every session this case was brought to, newest first, with whether its entry has been
    copied to the case file (by whom and when). Cancelled sessions made no entry."""
    with session_scope() as s:
        _case_for_list(s, actor, case_id)
        rows = s.exec(
            select(SupervisionSession)
            .where(
                col(SupervisionSession.id).in_(
                    select(AgendaItem.session_id).where(AgendaItem.case_id == case_id)
                ),
                SupervisionSession.status != "cancelled",
            )
            .order_by(col(SupervisionSession.scheduled_for).desc())
        ).all()
        ticks = {
            e.session_id: e
            for e in s.exec(select(CaseFileEntry).where(CaseFileEntry.case_id == case_id)).all()
        }
        names = _names(s, {e.copied_by_id for e in ticks.values() if e.copied_by_id})
        return tuple(
            EntryLine(
                int(x.id),
                clock.local(x.scheduled_for).date(),
                x.status,
                names.get(ticks[x.id].copied_by_id) if x.id in ticks else None,  # type: ignore[arg-type]  # dict.get with a None key gives the default, which is what is shown then
                ticks[x.id].copied_at if x.id in ticks else None,
                ticks[x.id].include_check_in if x.id in ticks else False,
                ticks[x.id].version if x.id in ticks else 0,
            )
            for x in rows
        )


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    return names.of(s, ids)


def entry(actor: Actor, session_id: int, case_id: int, *, audit_view: bool = True) -> Entry:
    """The whole entry for one case in one session (for the team's practitioners and supervisors)."""
    with session_scope() as s:
        session, case = _session_and_case(s, actor, session_id, case_id)
        built = _build(s, session, case)
    if audit_view:
        audit.record_view(actor, "case_file_entry", f"{session_id}:{case_id}", team_id=built_team(session))
    return built


def built_team(session: SupervisionSession) -> int:
    return session.team_id


def _asks(s: Session, session_id: int, case_id: int) -> tuple[AskPart, ...]:
    items = s.exec(
        select(AgendaItem, Person.display_name)
        .join(Person, col(Person.id) == col(AgendaItem.brought_by_id))
        .where(AgendaItem.session_id == session_id, AgendaItem.case_id == case_id)
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all()
    return tuple(AskPart(name, i.ask, i.case_file_summary, i.summary_ready) for i, name in items)


def _actions(s: Session, session_id: int, case_id: int) -> tuple[ActionPart, ...]:
    return tuple(
        ActionPart(a.description, owner, a.due_on, a.status)
        for a, owner in s.exec(
            select(Action, Person.display_name)
            .join(Person, col(Person.id) == col(Action.owner_id))
            .where(Action.session_id == session_id, Action.case_id == case_id)
            .order_by(col(Action.due_on), col(Action.id))
        ).all()
    )


def _check_in(s: Session, session_id: int, case_id: int, include: bool) -> tuple[CheckInPart | None, bool]:
    """The session's latest relationship check-in on the case, if the team chose to include it,
    and whether one was recorded at all."""
    check = s.exec(
        select(RelationshipCheckIn, Person.display_name)
        .join(Person, col(Person.id) == col(RelationshipCheckIn.practitioner_id))
        .where(RelationshipCheckIn.session_id == session_id, RelationshipCheckIn.case_id == case_id)
        .order_by(col(RelationshipCheckIn.created_at).desc())
    ).first()
    if check is None or not include:
        return None, check is not None
    r, name = check
    part = CheckInPart(
        name,
        {label: getattr(r, key) for key, label in sessions.CHECK_IN_ITEMS.items()},
        r.working_well,
        r.gets_in_the_way,
        r.what_they_would_say,
        r.their_own_words,
        r.what_i_changed,
    )
    return part, True


def _present(s: Session, session: SupervisionSession) -> tuple[Present, ...]:
    attendees = s.exec(
        select(SessionAttendee.attendance, Person.display_name, Membership.role)
        .join(Person, col(Person.id) == col(SessionAttendee.person_id))
        .outerjoin(
            Membership,
            (col(Membership.person_id) == col(SessionAttendee.person_id))
            & (col(Membership.team_id) == session.team_id),
        )
        .where(SessionAttendee.session_id == session.id)
        .order_by(Person.display_name)
    ).all()
    return tuple(
        Present(name, ROLE_NAMES.get(role or "", "Colleague"))
        for attendance, name, role in attendees
        if attendance == "present"
    )


def _build(s: Session, session: SupervisionSession, case: Case) -> Entry:
    session_id, case_id = int(session.id), int(case.id)
    team = s.get(Team, session.team_id)
    facilitator = s.get(Person, session.facilitator_id) if session.facilitator_id else None
    asks = _asks(s, session_id, case_id)
    actions = _actions(s, session_id, case_id)
    worries = _worries(s, session, case_id)
    row = _row(s, session_id, case_id)
    include = bool(row and row.include_check_in)
    check_in, recorded = _check_in(s, session_id, case_id, include)
    present = _present(s, session)
    names = _names(s, {row.copied_by_id} if row and row.copied_by_id else set())
    return Entry(
        session_id=session_id,
        case_id=case_id,
        case_reference=case.reference,
        team_name=team.name if team else "",
        held_on=clock.local(session.scheduled_for).date(),
        starts_at=session.scheduled_for,
        session_status=session.status,
        facilitator=facilitator.display_name if facilitator else None,
        asks=asks,
        actions=actions,
        worries=worries,
        check_in=check_in,
        check_in_recorded=recorded,
        present=present,
        include_check_in=include,
        copied_by=names.get(row.copied_by_id) if row and row.copied_by_id else None,
        copied_at=row.copied_at if row else None,
        version=row.version if row else 0,
    )


def _worry_part(e: RiskEntry, what: str, review_on: date | None, reviewed: tuple = ()) -> WorryPart:
    """A worry as its latest entry words it, with how a review went (`reviewed`), if any."""
    whose = WHOSE_RISK_SHORT.get(e.whose_risk, e.whose_risk)
    return WorryPart(what, e.worry, whose, e.decision, e.decision_reasons, review_on, *reviewed)


def _worries(s: Session, session: SupervisionSession, case_id: int) -> tuple[WorryPart, ...]:
    """Worries about this case named, changed or reviewed in this session (by its session, or
    written while it was running)."""
    start = session.scheduled_for
    end = session.closed_at or start
    in_time = (RiskEntry.created_at >= start) & (RiskEntry.created_at <= end)
    entries = s.exec(
        select(RiskEntry)
        .where(
            RiskEntry.case_id == case_id,
            or_(RiskEntry.session_id == session.id, in_time),
            restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
        )
        .order_by(RiskEntry.thread_id, col(RiskEntry.revision).desc())
    ).all()
    parts: list[WorryPart] = []
    seen: set[str] = set()
    for e in entries:
        if e.thread_id not in seen:
            seen.add(e.thread_id)
            what = "named" if e.revision == 1 else "changed"
            parts.append(_worry_part(e, what, e.review_on if e.status == "open" else None))
    return tuple(parts) + _reviewed(s, session, case_id)


def _reviewed(s: Session, session: SupervisionSession, case_id: int) -> tuple[WorryPart, ...]:
    """Worries about this case the team reviewed in this session, as their latest entry says."""
    threads_here = select(RiskEntry.thread_id).where(RiskEntry.case_id == case_id)
    parts: list[WorryPart] = []
    for review in s.exec(
        select(RiskReview)
        .where(
            RiskReview.session_id == session.id,
            col(RiskReview.thread_id).in_(threads_here),
            restriction.worry_in_use(RiskReview.thread_id),
        )
        .order_by(col(RiskReview.reviewed_at))
    ).all():
        latest = s.exec(
            select(RiskEntry)
            .where(RiskEntry.thread_id == review.thread_id)
            .order_by(col(RiskEntry.revision).desc())
        ).first()
        if latest is not None:
            how = OUTCOME_LABELS.get(review.what_happened, review.what_happened)
            step = NEXT_STEP_LABELS.get(review.next_step, review.next_step)
            reviewed = (how, review.what_we_learned, step)
            parts.append(_worry_part(latest, "reviewed", review.next_review_on, reviewed))
    return tuple(parts)


# ------------------------------------------------------------------ the team's choices


def _save(
    actor: Actor, session_id: int, case_id: int, version: int, *, closed_only: bool, **changes: object
) -> int:
    with session_scope(write=True) as s:
        session, _case = _session_and_case(s, actor, session_id, case_id)
        if closed_only and session.status != "closed":
            raise NotValid(
                {
                    "copied": "The session is still open; once it is closed its entry can be copied to the case file."
                }
            )
        row = _row(s, session_id, case_id, lock=True)
        current = row.version if row else 0
        if current != version:
            who = (
                _names(s, {row.updated_by_id}).get(row.updated_by_id, "A colleague")
                if row and row.updated_by_id
                else "A colleague"
            )
            raise EditConflict(
                f"{who} changed this entry a moment ago, so nothing was saved over it. Here it is now.",
                {
                    "Copied to the case file": (
                        f"yes, {clock.when(row.copied_at, '%d %B %Y %H:%M')}"
                        if row and row.copied_at
                        else "not yet"
                    ),
                    "Relationship check-in included": "yes" if row and row.include_check_in else "no",
                },
            )
        if row is None:
            row = CaseFileEntry(session_id=session_id, case_id=case_id)
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_by_id = actor.person_id
        row.updated_at = clock.utcnow()
        row.version = current + 1
        s.add(row)
        s.flush()
        audit.by(s, actor, "change", "case_file_entry", f"{session_id}:{case_id}", session.team_id)
        return row.version


def set_copied(actor: Actor, session_id: int, case_id: int, *, copied: bool, version: int) -> int:
    """Tick (or untick) "copied to the case file", with who and when. Returns the new version."""
    now = clock.utcnow()
    return _save(
        actor,
        session_id,
        case_id,
        version,
        closed_only=copied,
        copied_by_id=actor.person_id if copied else None,
        copied_at=now if copied else None,
    )


def set_include_check_in(actor: Actor, session_id: int, case_id: int, *, include: bool, version: int) -> int:
    """Whether the relationship check-in goes into the entry (the team agrees it first)."""
    return _save(actor, session_id, case_id, version, closed_only=False, include_check_in=include)


def cases_in(actor: Actor, session_id: int) -> tuple[tuple[int, str, bool], ...]:
    """(case id, reference, copied to the case file yet) of each case brought to a session
    and still in use, for the record page and the room's close step."""
    with session_scope() as s:
        sessions._load(s, actor, session_id)
        copied = set(
            s.exec(
                select(CaseFileEntry.case_id).where(
                    CaseFileEntry.session_id == session_id, col(CaseFileEntry.copied_at).is_not(None)
                )
            ).all()
        )
        return tuple(
            (int(cid), ref, cid in copied)
            for cid, ref in s.exec(
                select(Case.id, Case.reference)
                .join(AgendaItem, col(AgendaItem.case_id) == col(Case.id))
                .where(AgendaItem.session_id == session_id, restriction.case_in_use(Case.id))
                .distinct()
                .order_by(Case.reference)
            ).all()
        )


# ------------------------------------------------------------------ plain text


def _audit_export(actor: Actor, e: Entry, kind: str) -> None:
    with session_scope(write=True) as s:
        audit.by(
            s,
            actor,
            "export",
            f"case_file_entry_{kind}",
            f"{e.session_id}:{e.case_id}",
            _team_of(s, e.session_id),
        )


def _team_of(s: Session, session_id: int) -> int | None:
    found = s.get(SupervisionSession, session_id)
    return found.team_id if found else None


def title(e: Entry) -> str:
    return f"Group supervision: {e.case_reference}, {e.held_on:%d %B %Y}"


def sections(e: Entry) -> list[tuple[str, list[str]]]:
    """The entry as headed sections of lines: the PDF and the plain text both use this."""
    out: list[tuple[str, list[str]]] = []
    state = "" if e.session_status == "closed" else " (the session is still open: this is a draft)"
    out.append(
        (
            "",
            [
                f"Case: {e.case_reference}",
                f"Date: {e.held_on:%d %B %Y}, {clock.when(e.starts_at, '%H:%M')}{state}",
                f"Team: {e.team_name} (group supervision)",
                "Present: " + ("; ".join(f"{p.name} ({p.role})" for p in e.present) or "not recorded"),
                f"Written by: {e.written_by}",
            ],
        )
    )
    for a in e.asks:
        out.append((f"What {a.brought_by} asked of the team", [a.ask or "No ask was written down."]))
        ready = "" if a.summary_ready else " (draft)"
        out.append(
            (f"Summary for the case file{ready}", [a.summary or "No summary was written in the session."])
        )
    out.append(
        (
            "Actions agreed",
            [f"{x.description} (who: {x.owner}; by {x.due_on:%d %B %Y})" for x in e.actions]
            or ["No actions were agreed for this case."],
        )
    )
    worry_lines = [line for w in e.worries for line in _worry_lines(w)]
    out.append(("Worries held together", worry_lines or ["No worry about this case was named or reviewed."]))
    if e.check_in is not None:
        out.append(("Relationship check-in", _check_in_lines(e.check_in)))
    return out


def _worry_lines(w: WorryPart) -> list[str]:
    lines = [f"A worry {w.what}: {w.worry}", f"Whose risk: {w.whose_risk}"]
    if w.what == "reviewed":
        lines.append(f"How it turned out: {w.outcome}")
        if w.learned:
            lines.append(f"What the team learned: {w.learned}")
        lines.append(f"Decision: {w.next_step}")
    else:
        lines.append(f"Decision: {w.decision or 'not written down'}")
        if w.decision_reasons:
            lines.append(f"Why: {w.decision_reasons}")
    if w.review_on:
        lines.append(f"Next review: {w.review_on:%d %B %Y}")
    return lines


def _check_in_lines(c: CheckInPart) -> list[str]:
    lines = [f"{c.practitioner}: " + ", ".join(f"{k.lower()} {v} out of 10" for k, v in c.scores.items())]
    lines += [f"{label}: {text}" for label, text in session_record.reflections(c)]
    return lines


def text(actor: Actor, session_id: int, case_id: int) -> str:
    """Plain text to paste into the council's case-management system (audited)."""
    e = entry(actor, session_id, case_id, audit_view=False)
    parts = [title(e), ""]
    for heading, lines in sections(e):
        if heading:
            parts += [heading.upper(), *lines, ""]
        else:
            parts += [*lines, ""]
    _audit_export(actor, e, "text")
    return "\n".join(parts).rstrip() + "\n"
