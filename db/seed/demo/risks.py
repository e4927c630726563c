"""The worries Riverside holds together, each a thread of revisions with its reviews
(content: demo_risks.json). A correction, a changed plan or a closing is written as a new
revision, so the log reads true."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from db.models import (
    REVIEW_NEXT,
    REVIEW_OUTCOMES,
    WHOSE_RISK,
    Case,
    Person,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.seed import read_content
from db.seed.demo.dates import Calendar
from db.seed.demo.people import MANAGER

_RISKS: tuple[dict, ...] = tuple(read_content("demo_risks")["risks"])


def new_thread_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128)))


def add_revision(s: Session, base: RiskEntry, holders: list[int], **changes: object) -> RiskEntry:
    """`base` with `changes`, saved as a new entry held by `holders`."""
    data = base.model_dump(exclude={"id"})
    data.update(changes)
    entry = RiskEntry(**data)
    s.add(entry)
    s.flush()
    s.add_all(RiskHolder(risk_entry_id=entry.id, person_id=pid) for pid in holders)
    return entry


@dataclass
class _Thread:
    """One worry as it is being written: its latest revision and who holds it."""

    s: Session
    entry: RiskEntry
    holders: list[int]
    raised_by: Person
    raised_at: datetime


def add_risks(
    s: Session,
    team: Team,
    cases: dict[str, Case],
    sessions: list[SupervisionSession],
    people: dict[str, Person],
    cal: Calendar,
    rng: random.Random,
) -> None:
    for risk in _RISKS:
        thread = _raise(s, risk, team, cases, sessions, people, cal, rng)
        if risk["correction"]:  # someone who knew better put a detail right; the first version stays
            fix = risk["correction"]
            thread.entry = add_revision(
                s,
                thread.entry,
                thread.holders,
                revision=thread.entry.revision + 1,
                created_by_id=people[fix["by"]].id,
                created_at=thread.raised_at + timedelta(days=fix["days_after"]),
                session_id=None,
                **fix["changes"],
            )
        for review in risk["reviews"]:
            _review(thread, review, sessions, cal)


def _raise(
    s: Session,
    risk: dict,
    team: Team,
    cases: dict[str, Case],
    sessions: list[SupervisionSession],
    people: dict[str, Person],
    cal: Calendar,
    rng: random.Random,
) -> _Thread:
    """The first revision, as raised in its session (agreed by the manager if it needs one)."""
    assert risk["whose"] in WHOSE_RISK
    session = sessions[risk["session"]]
    raised_at = session.scheduled_for + timedelta(minutes=75)
    raiser = people[risk["raised_by"]]
    holders = [people[u].id for u in risk["holders"]]
    needs_manager = risk["needs_manager"]
    entry = add_revision(
        s,
        RiskEntry(
            thread_id=new_thread_id(rng),
            revision=1,
            team_id=team.id,
            case_id=cases[risk["case"]].id,
            session_id=session.id,
            raised_by_id=raiser.id,
            worry=risk["worry"],
            whose_risk=risk["whose"],
            whose_risk_reasoning=risk["reasoning"],
            reasonable_for_age=risk["reasonable"],
            family_view=risk["family_view"],
            keeping_safe=risk["keeping_safe"],
            decision=risk["decision"],
            decision_reasons=risk["reasons"],
            worry_before=risk["worry_before"],
            worry_after=risk["worry_after"],
            review_on=cal.when(risk["review"]),
            created_by_id=raiser.id,
            created_at=raised_at,
        ),
        holders,
        needs_manager=needs_manager,
        manager_agreed_by_id=people[MANAGER].id if needs_manager else None,
        manager_agreed_at=raised_at + timedelta(hours=2) if needs_manager else None,
    )
    return _Thread(s, entry, holders, raiser, raised_at)


def _review(thread: _Thread, review: dict, sessions: list[SupervisionSession], cal: Calendar) -> None:
    outcome, next_step = review["outcome"], review["next_step"]
    assert outcome in REVIEW_OUTCOMES and next_step in REVIEW_NEXT
    session = sessions[review["session"]]
    at: datetime = session.scheduled_for + timedelta(minutes=60)
    next_on = cal.when(review["next_review"]) if review["next_review"] is not None else None
    thread.s.add(
        RiskReview(
            thread_id=thread.entry.thread_id,
            session_id=session.id,
            reviewed_by_id=thread.raised_by.id,
            reviewed_at=at,
            what_happened=outcome,
            what_we_learned=review["learned"],
            next_step=next_step,
            next_review_on=next_on,
        )
    )
    if next_step == "change_plan":
        changes: dict[str, object] = {"keeping_safe": review["new_plan"], "review_on": next_on}
    elif next_step == "close":
        changes = {"status": "closed"}
    else:
        return
    thread.entry = add_revision(
        thread.s,
        thread.entry,
        thread.holders,
        revision=thread.entry.revision + 1,
        **changes,
        created_by_id=thread.raised_by.id,
        created_at=at,
        session_id=session.id,
    )
