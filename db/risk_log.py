"""The risk-holding log: worries the team names, looks at honestly ("which risk are we
managing?"), decides on together and holds, and later learns from.

A worry is a *thread* of append-only `RiskEntry` revisions (same `thread_id`, rising
`revision`). Nothing is ever updated in place: a correction, a changed plan, a manager's
agreement or a closing is a new revision saying who and when, and every earlier revision
stays readable. Reviews (`RiskReview`) sit beside the thread.

Every function takes the signed-in `Actor` first and checks scope itself: practitioners
and supervisors reach their own teams' logs, managers the teams they oversee, trainers and
administrators nothing.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from db import audit, clock, notifications, restriction
from db.access import Actor, case_team_ids
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    REVIEW_NEXT,
    REVIEW_OUTCOMES,
    WHOSE_RISK,
    Case,
    Membership,
    Person,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.risk_threads import HeldRisk, is_closed, next_review, open_risks
from db.validation import Checks, shown

WHOSE_RISK_LABELS = {
    "young_person": "A risk to the young person, or to others",
    "professional_anxiety": "Mostly our own worry, as professionals or as an organisation",
    "both": "Some of each",
}
WHOSE_RISK_SHORT = {
    "young_person": "risk to the young person or others",
    "professional_anxiety": "professional or organisational anxiety",
    "both": "both",
}
OUTCOME_LABELS = {
    "as_feared": "Much as we feared",
    "better_than_feared": "Better than we feared",
    "worse_than_feared": "Worse than we feared",
}
NEXT_STEP_LABELS = {
    "keep_holding": "Keep holding it as it is",
    "change_plan": "Change the plan",
    "close": "We can close it",
}
# What each field is called on screen: the form, the problems list and the history use it.
FIELD_LABELS = {
    "case_id": "Who it's about",
    "session_id": "Session",
    "raised_by_id": "Who raised it",
    "worry": "The worry",
    "whose_risk": "Whose risk",
    "whose_risk_reasoning": "What makes you think so",
    "reasonable_for_age": "What would be reasonable at this age",
    "family_view": "What the young person and family say",
    "keeping_safe": "What is keeping them safe",
    "decision": "What we decided",
    "decision_reasons": "Why",
    "needs_manager": "Needs the accountable manager",
    "manager_agreed_by_id": "Manager's agreement",
    "holder_ids": "Who holds it",
    "worry_before": "Worry before talking",
    "worry_after": "Worry after talking",
    "review_on": "Review date",
    "status": "Open or closed",
    "what_happened": "What happened",
    "what_we_learned": "What we learned",
    "next_step": "What now",
    "next_review_on": "Next review date",
    "new_plan": "The new plan",
    "thread": "This worry",
}
REVIEW_WITHIN_DAYS = 183  # "not in the far future": back to it within about six months
PAGE_SIZE = 20
_TEXT_FIELDS = (
    "worry",
    "whose_risk_reasoning",
    "reasonable_for_age",
    "family_view",
    "keeping_safe",
    "decision",
    "decision_reasons",
)


# --- Read models ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    id: int
    label: str


@dataclass(frozen=True)
class FormOptions:
    """What an entry form for one team may offer."""

    team_id: int
    team_name: str
    cases: tuple[Choice, ...]
    members: tuple[Choice, ...]
    sessions: tuple[Choice, ...]


@dataclass(frozen=True)
class RiskDraft:
    """What someone typed into an entry form, as plain values."""

    worry: str = ""
    whose_risk: str | None = None
    whose_risk_reasoning: str = ""
    reasonable_for_age: str = ""
    family_view: str = ""
    keeping_safe: str = ""
    decision: str = ""
    decision_reasons: str = ""
    holder_ids: tuple[int, ...] = ()
    review_on: date | None = None
    case_id: int | None = None
    session_id: int | None = None
    raised_by_id: int | None = None
    needs_manager: bool = False
    worry_before: int | None = None
    worry_after: int | None = None


@dataclass(frozen=True)
class Revision:
    revision: int
    created_at: datetime
    created_by: str
    case_reference: str | None
    session_label: str | None
    raised_by: str
    worry: str
    whose_risk: str
    whose_risk_reasoning: str
    reasonable_for_age: str
    family_view: str
    keeping_safe: str
    decision: str
    decision_reasons: str
    needs_manager: bool
    manager_agreed_by: str | None
    manager_agreed_at: datetime | None
    holders: tuple[str, ...]
    holder_ids: tuple[int, ...]
    worry_before: int | None
    worry_after: int | None
    review_on: date
    status: str
    case_id: int | None
    session_id: int | None
    raised_by_id: int
    # The fields this revision changed from the one before (labels), empty for the first.
    changed: tuple[str, ...] = ()
    # Written by a review that changed the plan or closed the worry.
    at_review: bool = False

    def as_draft(self) -> RiskDraft:
        return RiskDraft(
            worry=self.worry,
            whose_risk=self.whose_risk,
            whose_risk_reasoning=self.whose_risk_reasoning,
            reasonable_for_age=self.reasonable_for_age,
            family_view=self.family_view,
            keeping_safe=self.keeping_safe,
            decision=self.decision,
            decision_reasons=self.decision_reasons,
            holder_ids=self.holder_ids,
            review_on=self.review_on,
            case_id=self.case_id,
            session_id=self.session_id,
            raised_by_id=self.raised_by_id,
            needs_manager=self.needs_manager,
            worry_before=self.worry_before,
            worry_after=self.worry_after,
        )


@dataclass(frozen=True)
class Review:
    reviewed_at: datetime
    reviewed_by: str
    what_happened: str
    what_we_learned: str
    next_step: str
    next_review_on: date | None


@dataclass(frozen=True)
class ThreadDetail:
    thread_id: str
    team_id: int
    team_name: str
    case_reference: str | None
    revisions: tuple[Revision, ...]  # oldest first: the original is revisions[0]
    reviews: tuple[Review, ...]  # oldest first
    next_review_on: date
    is_open: bool
    can_agree: bool
    # What a later write must match: refused as stale if anyone changed the thread since.
    stamp: str

    @property
    def current(self) -> Revision:
        return self.revisions[-1]

    @property
    def original(self) -> Revision:
        return self.revisions[0]

    @property
    def awaiting_manager(self) -> bool:
        return self.is_open and self.current.needs_manager and self.current.manager_agreed_by is None

    def overdue(self, today: date) -> bool:
        return self.is_open and self.next_review_on < today


@dataclass(frozen=True)
class LogRow:
    thread_id: str
    case_reference: str | None
    raised_on: date
    raised_by: str
    worry: str
    whose_risk: str
    decision: str
    holders: tuple[str, ...]
    is_open: bool
    next_review_on: date | None  # None once closed
    reviews: int
    last_outcome: str | None
    revisions: int


@dataclass(frozen=True)
class LogFilters:
    text: str = ""
    case_id: int | None = None
    team_level_only: bool = False
    holder_id: int | None = None
    whose_risk: str | None = None
    outcome: str | None = None
    status: str | None = None  # "open", "closed" or None for both
    raised_from: date | None = None
    raised_to: date | None = None


@dataclass(frozen=True)
class LogPage:
    rows: tuple[LogRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class TeamHolding:
    team_id: int
    team_name: str
    risks: tuple[HeldRisk, ...]

    def overdue(self, today: date) -> tuple[HeldRisk, ...]:
        return tuple(r for r in self.risks if r.overdue(today))

    def due_soon(self, today: date) -> tuple[HeldRisk, ...]:
        return tuple(r for r in self.risks if r.due_soon(today))


@dataclass(frozen=True)
class MyHolding:
    risk: HeldRisk
    team_name: str
    held_with: tuple[str, ...] = field(default_factory=tuple)


# --- Scope ---------------------------------------------------------------------------------
def teams_for(actor: Actor) -> tuple[Choice, ...]:
    """The teams whose log this person may open (none for trainers and administrators)."""
    reachable = case_team_ids(actor)
    return tuple(Choice(m.team_id, m.team_name) for m in actor.memberships if m.team_id in reachable)


def _require_team(actor: Actor, team_id: int) -> None:
    if team_id not in case_team_ids(actor):
        raise NotAllowed(
            "This team's worries aren't open to you: only the team and its managers see its log."
        )


def _is_manager_of(actor: Actor, team_id: int) -> bool:
    return actor.role == "manager" and any(
        m.team_id == team_id and m.role == "manager" for m in actor.memberships
    )


def _today(today: date | None) -> date:
    return today or clock.today()


# --- Small queries shared by reads and writes ----------------------------------------------
def _latest(s: Session, thread_id: str, *, lock: bool = False) -> RiskEntry | None:
    query = (
        select(RiskEntry)
        .where(RiskEntry.thread_id == thread_id)
        .order_by(col(RiskEntry.revision).desc())
        .limit(1)
    )
    if lock:  # PostgreSQL: two people writing to one thread queue here (SQLite already does)
        query = query.with_for_update()
    return s.exec(query).first()


def _reviews(s: Session, thread_id: str) -> list[RiskReview]:
    return list(
        s.exec(
            select(RiskReview)
            .where(RiskReview.thread_id == thread_id)
            .order_by(col(RiskReview.reviewed_at), col(RiskReview.id))
        ).all()
    )


def _stamp(entry: RiskEntry, reviews: list[RiskReview]) -> str:
    return f"{entry.revision}.{len(reviews)}"


def _current_members(s: Session, team_id: int) -> dict[int, str]:
    rows = s.exec(
        select(Person.id, Person.display_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.team_id == team_id,
            col(Membership.left_on).is_(None),
            col(Person.is_active).is_(True),
        )
        .order_by(Person.display_name)
    ).all()
    return {int(pid): name for pid, name in rows}


def _names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        int(pid): name
        for pid, name in s.exec(select(Person.id, Person.display_name).where(col(Person.id).in_(ids))).all()
    }


def _session_label(session: SupervisionSession) -> str:
    return f"Group supervision, {session.scheduled_for:%A %d %B %Y}"


def form_options(actor: Actor, team_id: int) -> FormOptions:
    """The families, people and sessions an entry for this team can name."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        if team is None:
            raise NotAllowed("That team isn't in Circle any more.")
        cases = s.exec(
            select(Case.id, Case.reference)
            .where(Case.team_id == team_id, Case.status != "closed", restriction.case_in_use(Case.id))
            .order_by(Case.reference)
        ).all()
        sessions = s.exec(
            select(SupervisionSession)
            .where(
                SupervisionSession.team_id == team_id,
                SupervisionSession.scheduled_for <= utcnow() + timedelta(days=7),
            )
            .order_by(col(SupervisionSession.scheduled_for).desc())
            .limit(12)
        ).all()
        return FormOptions(
            team_id=team_id,
            team_name=team.name,
            cases=tuple(Choice(int(cid), ref) for cid, ref in cases),
            members=tuple(Choice(pid, name) for pid, name in _current_members(s, team_id).items()),
            sessions=tuple(Choice(int(x.id), _session_label(x)) for x in sessions),
        )


# --- Validation ----------------------------------------------------------------------------
def _check_draft(
    s: Session,
    team_id: int,
    draft: RiskDraft,
    *,
    today: date,
    raised_on: date | None = None,
    unchanged_review_on: date | None = None,
    kept: RiskEntry | None = None,
) -> dict[str, object]:
    """Clean an entry's fields, or raise NotValid with a message for each thing to change."""
    c = Checks()
    values: dict[str, object] = {}
    values["worry"] = c.text("worry", draft.worry, "The worry", max_len=2000)
    values["whose_risk"] = draft.whose_risk
    if draft.whose_risk not in WHOSE_RISK:
        c.add(
            "whose_risk",
            "Please choose whose risk this feels like. There's no wrong answer; 'some of each' is fine.",
        )
    values["whose_risk_reasoning"] = c.text(
        "whose_risk_reasoning", draft.whose_risk_reasoning, "What makes you think so", max_len=2000
    )
    for name in ("reasonable_for_age", "family_view", "keeping_safe"):
        values[name] = c.text(name, getattr(draft, name), FIELD_LABELS[name], required=False, max_len=2000)
    values["decision"] = c.text("decision", draft.decision, "What we decided", max_len=2000)
    values["decision_reasons"] = c.text("decision_reasons", draft.decision_reasons, "Why", max_len=2000)
    values["worry_before"] = c.scale("worry_before", draft.worry_before, "Worry before talking")
    values["worry_after"] = c.scale("worry_after", draft.worry_after, "Worry after talking")
    values["needs_manager"] = bool(draft.needs_manager)

    members = _current_members(s, team_id)
    holders = tuple(dict.fromkeys(draft.holder_ids))
    strangers = [pid for pid in holders if pid not in members]
    if strangers:
        gone = _names(s, set(strangers))
        c.add(
            "holder_ids",
            "Everyone holding a worry needs to be in the team now; "
            + ", ".join(gone.get(p, "someone") for p in strangers)
            + " isn't. Please choose someone else.",
        )
    elif len(holders) < 2:
        c.add(
            "holder_ids",
            "Please choose at least two people to hold this: nobody holds a worry alone.",
        )
    values["holder_ids"] = holders

    raised_by = draft.raised_by_id
    # A correction may keep who raised it even if they have since left the team.
    if raised_by is None or (raised_by not in members and not (kept and raised_by == kept.raised_by_id)):
        c.add("raised_by_id", "Please choose who raised this from the people in the team now.")
    values["raised_by_id"] = raised_by

    if draft.case_id is not None:
        status = s.exec(select(Case.status).where(Case.id == draft.case_id, Case.team_id == team_id)).first()
        if status is None:
            c.add("case_id", "That family isn't on this team's board; please choose again.")
        elif restriction.is_restricted(s, "case", draft.case_id):
            raise NotAllowed(restriction.RESTRICTED_MESSAGE)
        elif status == "closed" and not (kept and kept.case_id == draft.case_id):
            c.add(
                "case_id", "Our work with that family has closed; please choose a family we're working with."
            )
    values["case_id"] = draft.case_id
    if draft.session_id is not None:
        found = s.exec(
            select(SupervisionSession.id).where(
                SupervisionSession.id == draft.session_id, SupervisionSession.team_id == team_id
            )
        ).first()
        if found is None:
            c.add("session_id", "That session isn't one of this team's; please choose again.")
    values["session_id"] = draft.session_id

    raised_on = raised_on or today
    # The form hands over the text typed when it isn't a date: refused, naming the field.
    review_on = c.readable_day("review_on", draft.review_on, FIELD_LABELS["review_on"])
    if review_on is None:
        c.add("review_on", "Please choose when the team will look at this again.")
    elif review_on <= raised_on:
        c.add(
            "review_on",
            f"The review needs to come after the worry was raised ({raised_on:%d %B %Y}); "
            "please choose a later date.",
        )
    elif review_on != unchanged_review_on:
        if review_on <= today or review_on > today + timedelta(days=REVIEW_WITHIN_DAYS):
            c.add(
                "review_on",
                f"The review can be from {shown(today + timedelta(days=1))} to "
                f"{shown(today + timedelta(days=REVIEW_WITHIN_DAYS))} (within six months, so the team "
                f"comes back to it while it's still fresh); {shown(review_on)} is outside that. "
                "You can always keep holding it for longer at the review.",
            )
    values["review_on"] = review_on
    c.raise_if_any()
    return values


def _add_revision(s: Session, entry: RiskEntry, holder_ids: tuple[int, ...]) -> RiskEntry:
    s.add(entry)
    s.flush()
    s.add_all(RiskHolder(risk_entry_id=entry.id, person_id=pid) for pid in holder_ids)
    return entry


def _holder_ids(s: Session, entry_id: int) -> tuple[int, ...]:
    return tuple(
        int(pid)
        for pid in s.exec(select(RiskHolder.person_id).where(RiskHolder.risk_entry_id == entry_id)).all()
    )


def _copy(entry: RiskEntry, **changes: object) -> RiskEntry:
    data = entry.model_dump(exclude={"id"})
    data.update(changes)
    return RiskEntry(**data)


def _writable_thread(
    s: Session, actor: Actor, thread_id: str, stamp: str
) -> tuple[RiskEntry, list[RiskReview]]:
    """The newest revision, locked, after checking scope and that nobody changed it meanwhile."""
    entry = _latest(s, thread_id, lock=True)
    if entry is None:
        raise NotAllowed("That worry isn't in the log.")
    _require_team(actor, entry.team_id)
    restriction.require_worry_in_use(s, thread_id)
    reviews = _reviews(s, thread_id)
    if _stamp(entry, reviews) != stamp:
        newest = max(
            [(entry.created_at, entry.created_by_id)] + [(r.reviewed_at, r.reviewed_by_id) for r in reviews]
        )
        who = _names(s, {newest[1]}).get(newest[1], "A colleague")
        last = reviews[-1] if reviews else None
        due = next_review(entry, last)
        theirs: dict[str, object] = {
            FIELD_LABELS["worry"]: entry.worry,
            FIELD_LABELS["keeping_safe"]: entry.keeping_safe,
            FIELD_LABELS["decision"]: entry.decision,
            FIELD_LABELS["status"]: "closed" if is_closed(entry, last) else "open",
            FIELD_LABELS["review_on"]: f"{due:%d %B %Y}" if due else "",
        }
        if last is not None:
            theirs[FIELD_LABELS["what_we_learned"]] = last.what_we_learned
        raise EditConflict(
            f"{who} added to this worry at {newest[0]:%H:%M on %d %B} while you had it open, so "
            "nothing was saved over their change. What you typed is still in the form: have a look at "
            "the worry as it is now, then save again if it still fits.",
            theirs,
        )
    return entry, reviews


def _integrity_to_conflict(exc: IntegrityError) -> EditConflict:
    return EditConflict(
        "A colleague saved a change to this worry at the same moment, so nothing was saved over theirs. "
        "What you typed is still in the form: look at the worry as it is now, then save again."
    )


# --- Commands ------------------------------------------------------------------------------
def create_entry(actor: Actor, team_id: int, draft: RiskDraft, *, today: date | None = None) -> str:
    """Name a new worry for the team. Returns the new thread's id."""
    _require_team(actor, team_id)
    today = _today(today)
    with session_scope(write=True) as s:
        values = _check_draft(s, team_id, draft, today=today)
        holders = values.pop("holder_ids")
        thread_id = str(uuid.uuid4())
        entry = _add_revision(
            s,
            RiskEntry(
                thread_id=thread_id,
                revision=1,
                team_id=team_id,
                created_by_id=actor.person_id,
                status="open",
                **values,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
            ),
            holders,  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
        notifications.worry_holders_named(
            s, actor, team_id=team_id, thread_id=thread_id, holder_ids=set(holders)  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )
        audit.record(
            s,
            "risk.create",
            actor_id=actor.person_id,
            actor_label=actor.username,
            record_type="risk_entry",
            record_id=entry.id,
            team_id=team_id,
        )
        return thread_id


def revise(actor: Actor, thread_id: str, draft: RiskDraft, *, stamp: str, today: date | None = None) -> int:
    """Correct or update a worry: a new revision with who and when; earlier ones stay as they were.
    Returns the new revision number."""
    today = _today(today)
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            first = s.exec(
                select(RiskEntry.created_at).where(RiskEntry.thread_id == thread_id, RiskEntry.revision == 1)
            ).one()
            current_review = next_review(entry, reviews[-1] if reviews else None)
            values = _check_draft(
                s,
                entry.team_id,
                draft,
                today=today,
                raised_on=first.date(),
                unchanged_review_on=current_review,
                kept=entry,
            )
            holders = values.pop("holder_ids")
            same_decision = (
                values["decision"] == entry.decision
                and values["decision_reasons"] == entry.decision_reasons
                and values["needs_manager"] == entry.needs_manager
            )
            before = {k: getattr(entry, k) for k in values} | {"review_on": current_review}
            if values == before and set(holders) == set(_holder_ids(s, entry.id)):  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                raise NotValid({"thread": "Nothing has changed yet, so there's nothing new to save."})
            new = _add_revision(
                s,
                _copy(
                    entry,
                    revision=entry.revision + 1,
                    created_by_id=actor.person_id,
                    created_at=utcnow(),
                    # A manager agreed to a decision; a changed decision needs agreeing afresh.
                    manager_agreed_by_id=entry.manager_agreed_by_id if same_decision else None,
                    manager_agreed_at=entry.manager_agreed_at if same_decision else None,
                    **values,
                ),
                holders,  # type: ignore[arg-type]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
            )
            notifications.worry_holders_named(
                s,
                actor,
                team_id=entry.team_id,
                thread_id=thread_id,
                holder_ids=set(holders),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                already=set(_holder_ids(s, entry.id)),
            )
            audit.record(
                s,
                "risk.revise",
                actor_id=actor.person_id,
                actor_label=actor.username,
                record_type="risk_entry",
                record_id=new.id,
                team_id=entry.team_id,
            )
            return new.revision
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc


def review(
    actor: Actor,
    thread_id: str,
    *,
    what_happened: str | None,
    what_we_learned: str,
    next_step: str | None,
    next_review_on: date | None,
    new_plan: str = "",
    session_id: int | None = None,
    stamp: str,
    today: date | None = None,
) -> None:
    """Look back at a worry: what happened, what we learned, and keep holding, change the plan
    (a new revision) or close it (a closing revision)."""
    today = _today(today)
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            if is_closed(entry, reviews[-1] if reviews else None):
                raise NotValid({"thread": "This worry is already closed, so there's nothing to review."})
            c = Checks()
            c.choice("what_happened", what_happened, "What happened", REVIEW_OUTCOMES)
            learned = c.text("what_we_learned", what_we_learned, "What we learned", max_len=2000)
            c.choice("next_step", next_step, "What now", REVIEW_NEXT)
            plan = c.text("new_plan", new_plan, "The new plan", required=False, max_len=2000)
            next_review_on = c.readable_day("next_review_on", next_review_on, "When to look again")
            if next_step in ("keep_holding", "change_plan"):
                if next_review_on is None:
                    c.add("next_review_on", "Please choose when the team will look at this again.")
                elif next_review_on <= today or next_review_on > today + timedelta(days=REVIEW_WITHIN_DAYS):
                    c.add(
                        "next_review_on",
                        f"The next review can be from {shown(today + timedelta(days=1))} to "
                        f"{shown(today + timedelta(days=REVIEW_WITHIN_DAYS))}; "
                        f"{shown(next_review_on)} is outside that.",
                    )
            if next_step == "change_plan" and not plan:
                c.add("new_plan", "Please say what the new plan is, so everyone holding it knows.")
            if session_id is not None:
                found = s.exec(
                    select(SupervisionSession.id).where(
                        SupervisionSession.id == session_id, SupervisionSession.team_id == entry.team_id
                    )
                ).first()
                if found is None:
                    c.add("session_id", "That session isn't one of this team's; please choose again.")
            c.raise_if_any()
            now = utcnow()
            keeps_date = next_step != "close"
            s.add(
                RiskReview(
                    thread_id=thread_id,
                    session_id=session_id,
                    reviewed_by_id=actor.person_id,
                    reviewed_at=now,
                    what_happened=what_happened,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                    what_we_learned=learned,
                    next_step=next_step,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                    next_review_on=next_review_on if keeps_date else None,
                )
            )
            if next_step in ("change_plan", "close"):
                changes: dict[str, object] = (
                    {"keeping_safe": plan, "review_on": next_review_on}
                    if next_step == "change_plan"
                    else {"status": "closed"}
                )
                _add_revision(
                    s,
                    _copy(
                        entry,
                        revision=entry.revision + 1,
                        created_by_id=actor.person_id,
                        created_at=now,
                        session_id=session_id if session_id is not None else entry.session_id,
                        **changes,
                    ),
                    _holder_ids(s, entry.id),
                )
            audit.record(
                s,
                f"risk.review.{next_step}"[:30],
                actor_id=actor.person_id,
                actor_label=actor.username,
                record_type="risk_thread",
                record_id=thread_id,
                team_id=entry.team_id,
            )
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc


def agree_as_manager(actor: Actor, thread_id: str, *, stamp: str) -> None:
    """The accountable manager agrees the decision: recorded as a new revision, by them, now."""
    try:
        with session_scope(write=True) as s:
            entry, reviews = _writable_thread(s, actor, thread_id, stamp)
            if not _is_manager_of(actor, entry.team_id):
                raise NotAllowed("Only a manager who oversees this team can agree a decision for it.")
            if is_closed(entry, reviews[-1] if reviews else None):
                raise NotValid({"thread": "This worry is closed, so there's no decision left to agree."})
            if not entry.needs_manager:
                raise NotValid({"thread": "This decision doesn't need a manager's agreement."})
            if entry.manager_agreed_by_id is not None:
                raise NotValid({"thread": "A manager has already agreed this decision."})
            now = utcnow()
            new = _add_revision(
                s,
                _copy(
                    entry,
                    revision=entry.revision + 1,
                    created_by_id=actor.person_id,
                    created_at=now,
                    manager_agreed_by_id=actor.person_id,
                    manager_agreed_at=now,
                ),
                _holder_ids(s, entry.id),
            )
            audit.record(
                s,
                "risk.manager_agreed",
                actor_id=actor.person_id,
                actor_label=actor.username,
                record_type="risk_entry",
                record_id=new.id,
                team_id=entry.team_id,
            )
    except IntegrityError as exc:
        raise _integrity_to_conflict(exc) from exc


# --- Reads ---------------------------------------------------------------------------------
def thread(actor: Actor, thread_id: str) -> ThreadDetail:
    """One worry with every revision (the original first) and every review."""
    with session_scope() as s:
        entries = list(
            s.exec(
                select(RiskEntry).where(RiskEntry.thread_id == thread_id).order_by(col(RiskEntry.revision))
            ).all()
        )
        if not entries:
            raise NotAllowed("That worry isn't in the log.")
        team_id = entries[-1].team_id
        try:
            _require_team(actor, team_id)
            restriction.require_worry_in_use(s, thread_id)
        except NotAllowed:
            audit.record_refusal(actor, "risk_thread", thread_id, team_id=team_id)
            raise
        audit.record_view(actor, "risk_thread", thread_id, team_id=team_id)
        reviews = _reviews(s, thread_id)
        holders: dict[int, list[int]] = {}
        for entry_id, pid in s.exec(
            select(RiskHolder.risk_entry_id, RiskHolder.person_id).where(
                col(RiskHolder.risk_entry_id).in_([e.id for e in entries])
            )
        ).all():
            holders.setdefault(entry_id, []).append(pid)
        people = {e.raised_by_id for e in entries} | {e.created_by_id for e in entries}
        people |= {e.manager_agreed_by_id for e in entries if e.manager_agreed_by_id}
        people |= {r.reviewed_by_id for r in reviews}
        people |= {pid for ids in holders.values() for pid in ids}
        names = _names(s, people)
        case_ids = {e.case_id for e in entries if e.case_id}
        refs = (
            dict(s.exec(select(Case.id, Case.reference).where(col(Case.id).in_(case_ids))).all())
            if case_ids
            else {}
        )
        session_ids = {e.session_id for e in entries if e.session_id}
        sessions = (
            {
                x.id: _session_label(x)
                for x in s.exec(
                    select(SupervisionSession).where(col(SupervisionSession.id).in_(session_ids))
                ).all()
            }
            if session_ids
            else {}
        )
        team = s.get(Team, team_id)
        review_times = {r.reviewed_at for r in reviews if r.next_step in ("change_plan", "close")}
        revisions: list[Revision] = []
        previous: RiskEntry | None = None
        for e in entries:
            ids = tuple(sorted(holders.get(e.id, []), key=lambda p: names.get(p, "")))
            changed: tuple[str, ...] = ()
            if previous is not None:
                keys = [
                    *_TEXT_FIELDS,
                    "whose_risk",
                    "case_id",
                    "raised_by_id",
                    "needs_manager",
                    "manager_agreed_by_id",
                    "worry_before",
                    "worry_after",
                    "review_on",
                    "status",
                ]
                changed = tuple(FIELD_LABELS[k] for k in keys if getattr(e, k) != getattr(previous, k))
                if set(ids) != set(holders.get(previous.id, [])):
                    changed += (FIELD_LABELS["holder_ids"],)
            revisions.append(
                Revision(
                    revision=e.revision,
                    created_at=e.created_at,
                    created_by=names.get(e.created_by_id, "Someone"),
                    case_reference=refs.get(e.case_id) if e.case_id else None,
                    session_label=sessions.get(e.session_id) if e.session_id else None,
                    raised_by=names.get(e.raised_by_id, "Someone"),
                    worry=e.worry,
                    whose_risk=e.whose_risk,
                    whose_risk_reasoning=e.whose_risk_reasoning,
                    reasonable_for_age=e.reasonable_for_age,
                    family_view=e.family_view,
                    keeping_safe=e.keeping_safe,
                    decision=e.decision,
                    decision_reasons=e.decision_reasons,
                    needs_manager=e.needs_manager,
                    manager_agreed_by=names.get(e.manager_agreed_by_id) if e.manager_agreed_by_id else None,
                    manager_agreed_at=e.manager_agreed_at,
                    holders=tuple(names.get(p, "Someone") for p in ids),
                    holder_ids=ids,
                    worry_before=e.worry_before,
                    worry_after=e.worry_after,
                    review_on=e.review_on,
                    status=e.status,
                    case_id=e.case_id,
                    session_id=e.session_id,
                    raised_by_id=e.raised_by_id,
                    changed=changed,
                    at_review=e.revision > 1 and e.created_at in review_times,
                )
            )
            previous = e
        latest = entries[-1]
        last_review = reviews[-1] if reviews else None
        is_open = not is_closed(latest, last_review)
        return ThreadDetail(
            thread_id=thread_id,
            team_id=team_id,
            team_name=team.name if team else "",
            case_reference=revisions[-1].case_reference,
            revisions=tuple(revisions),
            reviews=tuple(
                Review(
                    r.reviewed_at,
                    names.get(r.reviewed_by_id, "Someone"),
                    r.what_happened,
                    r.what_we_learned,
                    r.next_step,
                    r.next_review_on,
                )
                for r in reviews
            ),
            next_review_on=next_review(latest, last_review),
            is_open=is_open,
            can_agree=is_open
            and latest.needs_manager
            and latest.manager_agreed_by_id is None
            and _is_manager_of(actor, team_id),
            stamp=_stamp(latest, reviews),
        )


def holding_now(actor: Actor, team_id: int) -> TeamHolding:
    """The team's open worries, who holds each, soonest review first."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        return TeamHolding(team_id, team.name if team else "", tuple(open_risks(s, team_ids=[team_id])))


def my_holdings(actor: Actor) -> tuple[MyHolding, ...]:
    """Open worries this person holds, in every team they can reach, and who holds each with them."""
    teams = dict((t.id, t.label) for t in teams_for(actor))
    if not teams:
        return ()
    with session_scope() as s:
        risks = open_risks(s, team_ids=teams, holder_id=actor.person_id)
    return tuple(
        MyHolding(
            r,
            teams.get(r.team_id, ""),
            tuple(n for pid, n in zip(r.holder_ids, r.holders, strict=False) if pid != actor.person_id),
        )
        for r in risks
    )


def _thread_rows(s: Session, entries: list[tuple[RiskEntry, str | None, datetime, str]]) -> list[LogRow]:
    if not entries:
        return []
    ids = [e.id for e, *_ in entries]
    threads = [e.thread_id for e, *_ in entries]
    holders: dict[int, list[str]] = {}
    for entry_id, name in s.exec(
        select(RiskHolder.risk_entry_id, Person.display_name)
        .join(Person, col(Person.id) == col(RiskHolder.person_id))
        .where(col(RiskHolder.risk_entry_id).in_(ids))
        .order_by(Person.display_name)
    ).all():
        holders.setdefault(entry_id, []).append(name)
    reviews: dict[str, list[RiskReview]] = {}
    for r in s.exec(
        select(RiskReview)
        .where(col(RiskReview.thread_id).in_(threads))
        .order_by(col(RiskReview.reviewed_at), col(RiskReview.id))
    ).all():
        reviews.setdefault(r.thread_id, []).append(r)
    rows = []
    for e, ref, raised_at, raised_by in entries:
        done = reviews.get(e.thread_id, [])
        last = done[-1] if done else None
        closed = is_closed(e, last)
        rows.append(
            LogRow(
                thread_id=e.thread_id,
                case_reference=ref,
                raised_on=raised_at.date(),
                raised_by=raised_by,
                worry=e.worry,
                whose_risk=e.whose_risk,
                decision=e.decision,
                holders=tuple(holders.get(e.id, [])),
                is_open=not closed,
                next_review_on=None if closed else next_review(e, last),
                reviews=len(done),
                last_outcome=last.what_happened if last else None,
                revisions=e.revision,
            )
        )
    return rows


def _log_query(team_ids: tuple[int, ...], filters: LogFilters):
    """Newest revision of each thread, with its first revision's time, filtered in SQL."""
    latest = (
        select(
            RiskEntry.thread_id,
            func.max(RiskEntry.revision).label("rev"),
            func.min(RiskEntry.created_at).label("raised_at"),
        )
        .where(
            col(RiskEntry.team_id).in_(team_ids),
            restriction.worry_in_use(RiskEntry.thread_id, RiskEntry.case_id),
        )
        .group_by(RiskEntry.thread_id)
        .subquery()
    )
    raiser = select(Person.id, Person.display_name).subquery("raiser")
    query = (
        select(RiskEntry, Case.reference, latest.c.raised_at, raiser.c.display_name)
        .join(latest, and_(col(RiskEntry.thread_id) == latest.c.thread_id, col(RiskEntry.revision) == latest.c.rev))
        .outerjoin(Case, col(Case.id) == col(RiskEntry.case_id))
        .join(raiser, raiser.c.id == RiskEntry.raised_by_id)
    )
    if filters.team_level_only:
        query = query.where(col(RiskEntry.case_id).is_(None))
    elif filters.case_id is not None:
        query = query.where(RiskEntry.case_id == filters.case_id)
    if filters.holder_id is not None:
        # EXISTS, not "id IN (...)": SQLite would otherwise probe every listed id per thread.
        query = query.where(
            exists().where(
                col(RiskHolder.risk_entry_id) == col(RiskEntry.id), col(RiskHolder.person_id) == filters.holder_id
            )
        )
    if filters.whose_risk:
        query = query.where(RiskEntry.whose_risk == filters.whose_risk)
    if filters.outcome:
        query = query.where(
            exists().where(
                col(RiskReview.thread_id) == col(RiskEntry.thread_id), col(RiskReview.what_happened) == filters.outcome
            )
        )
    closed_by_review = exists().where(
        col(RiskReview.thread_id) == col(RiskEntry.thread_id), col(RiskReview.next_step) == "close"
    )
    if filters.status == "open":
        query = query.where(RiskEntry.status == "open", ~closed_by_review)
    elif filters.status == "closed":
        query = query.where(or_(col(RiskEntry.status) == "closed", closed_by_review))
    if filters.raised_from:
        query = query.where(
            latest.c.raised_at >= datetime.combine(filters.raised_from, time.min, tzinfo=utcnow().tzinfo)
        )
    if filters.raised_to:
        query = query.where(
            latest.c.raised_at
            < datetime.combine(filters.raised_to + timedelta(days=1), time.min, tzinfo=utcnow().tzinfo)
        )
    text = filters.text.strip()
    if text:
        query = query.where(
            or_(
                *(getattr(RiskEntry, f).icontains(text, autoescape=True) for f in _TEXT_FIELDS),
                col(Case.reference).icontains(text, autoescape=True),
                exists().where(
                    col(RiskReview.thread_id) == col(RiskEntry.thread_id),
                    col(RiskReview.what_we_learned).icontains(text, autoescape=True),
                ),
            )
        )
    return query, latest


def team_log(
    actor: Actor,
    team_id: int,
    filters: LogFilters | None = None,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> LogPage:
    """Every worry the team has named, newest first, filtered and paged in the database."""
    _require_team(actor, team_id)
    filters = filters or LogFilters()
    page_size = max(1, min(page_size, 100))
    with session_scope() as s:
        query, latest = _log_query((team_id,), filters)
        total = int(s.exec(select(func.count()).select_from(query.subquery())).one())
        pages = max(1, math.ceil(total / page_size))
        page = max(1, min(page, pages))
        found = s.exec(
            query.order_by(col(latest.c.raised_at).desc(), col(RiskEntry.thread_id))
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).all()
        return LogPage(tuple(_thread_rows(s, list(found))), total, page, pages)


def case_log(actor: Actor, case_id: int) -> tuple[LogRow, ...]:
    """Every worry named for one family, open and closed, newest first."""
    with session_scope() as s:
        case = s.get(Case, case_id)
        if case is None or case.team_id not in case_team_ids(actor):
            raise NotAllowed(
                "This family's worries aren't open to you: only their team and its managers see them."
            )
        restriction.require_case_in_use(s, case_id)
        query, latest = _log_query((case.team_id,), LogFilters(case_id=case_id))
        found = s.exec(query.order_by(col(latest.c.raised_at).desc())).all()
        return tuple(_thread_rows(s, list(found)))


def filter_choices(actor: Actor, team_id: int) -> FormOptions:
    """Cases (including closed ones) and people (including past holders) to filter the log by."""
    _require_team(actor, team_id)
    with session_scope() as s:
        team = s.get(Team, team_id)
        cases = s.exec(
            select(Case.id, Case.reference)
            .where(Case.team_id == team_id, restriction.case_in_use(Case.id))
            .order_by(Case.reference)
        ).all()
        holders = s.exec(
            select(Person.id, Person.display_name)
            .where(
                col(Person.id).in_(
                    select(RiskHolder.person_id)
                    .join(RiskEntry, col(RiskEntry.id) == col(RiskHolder.risk_entry_id))
                    .where(RiskEntry.team_id == team_id)
                )
            )
            .order_by(Person.display_name)
        ).all()
        return FormOptions(
            team_id=team_id,
            team_name=team.name if team else "",
            cases=tuple(Choice(int(cid), ref) for cid, ref in cases),
            members=tuple(Choice(int(pid), name) for pid, name in holders),
            sessions=(),
        )
