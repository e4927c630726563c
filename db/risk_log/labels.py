"""The risk log's words, limits and read models: what reads return and forms offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from db.risk_threads import HeldRisk

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
