"""Riverside's weekly group supervision: nine closed sessions and this week's planned one,
with the rounds, what each practitioner brought, the relationship check-ins and the actions
(content: demo_riverside.json, demo_visits.json). The building blocks (`add_sessions`,
`add_rounds`, `add_relationship`, `add_action`) serve Northgate too."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from db.models import (
    ACTION_STATUSES,
    WORK_KINDS,
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    ClosingCheckIn,
    Person,
    RelationshipCheckIn,
    SessionAmendment,
    SessionAttendee,
    SupervisionSession,
    Team,
)
from db.seed import read_content
from db.seed.demo.dates import Calendar, clamp
from db.seed.demo.people import DEMO_TEAM, NEW_STARTERS, NEW_STARTERS_FROM, supervisor_of, team_usernames

_DATA = read_content("demo_riverside")
# What helps and what gets in the way of each relationship, in the practitioner's words.
_RELATIONSHIP = {ref: (words["helps"], words["hinders"]) for ref, words in _DATA["relationship"].items()}
# Words people chose for how they arrived, roughly matching how the week had been.
_ARRIVAL_WORDS = tuple(tuple(_DATA["arrival_words"][k]) for k in ("low", "middle", "high"))
_CLOSING_WORDS = tuple(_DATA["closing_words"])
_USUAL_ARRIVAL: dict[str, int] = _DATA["usual_arrival"]
# Weeks that were hard for someone, matching the stories in demo_visits.json.
_HARD_WEEKS = {(w["session"], w["username"]): (w["score"], w["word"]) for w in _DATA["hard_weeks"]}
_QUICK = _DATA["quick_looks"]  # a short look at a quieter family, one per past session
_THIS_WEEK = _DATA["this_week"]


@dataclass(frozen=True)
class Visit:
    """One time a family was brought to group supervision, and what came of it."""

    session: int  # index of the past session, 0 = the oldest
    scores: tuple[int, int, int, int]  # trust, feel heard, what matters, hope
    ask: str
    notes: str
    said: str  # what the young person or family would say about the relationship
    changed: str  # what the practitioner changed in response
    action: dict[str, str]  # text, owner, outcome ("done", "open", "carried: why", "dropped: why")
    own_words: bool = False
    kind: str = "reflection"
    summary: dict | None = None  # case-file summary text, and whether it is ready


VISITS: dict[str, tuple[Visit, ...]] = {
    reference: tuple(Visit(**v) for v in visits)
    for reference, visits in read_content("demo_visits")["visits"].items()
}


def add_rounds(
    s: Session,
    rng: random.Random,
    session: SupervisionSession,
    present: list[Person],
    facilitator: Person,
    index: int | None,
) -> None:
    """The arrival and closing rounds for everyone present."""
    for minute, person in enumerate(present):
        score, word = _HARD_WEEKS.get((index, person.username), (None, None))
        if score is None:
            score = clamp(_USUAL_ARRIVAL[person.username] + rng.randint(-2, 2))
            word = rng.choice(_ARRIVAL_WORDS[0 if score <= 4 else 1 if score <= 7 else 2])
        # Sometimes the facilitator types the round in for the room.
        typed_by = facilitator if rng.random() < 0.25 else person
        s.add(
            ArrivalCheckIn(
                session_id=session.id,
                person_id=person.id,
                score=score,
                word=word,
                needs_team=score <= 4 or rng.random() < 0.08,
                entered_by_id=typed_by.id,
                created_at=session.scheduled_for + timedelta(minutes=minute),
            )
        )
        s.add(
            ClosingCheckIn(
                session_id=session.id,
                person_id=person.id,
                felt_heard=clamp(rng.randint(6, 10)),
                helped_my_work=clamp(rng.randint(5, 10)),
                held_my_worries=clamp(rng.randint(5, 9) + (2 if score <= 4 else 0)),
                word=rng.choice(_CLOSING_WORDS),
                created_at=session.scheduled_for + timedelta(minutes=85),
            )
        )


def add_sessions(
    s: Session,
    team: Team,
    days: list[date],
    hour: int,
    facilitator: Person,
    cal: Calendar,
    rng: random.Random,
) -> list[SupervisionSession]:
    rows = []
    for day in days:
        start = cal.at(day, hour)
        done = day <= cal.today
        rows.append(
            SupervisionSession(
                team_id=team.id,
                scheduled_for=start,
                duration_minutes=90,
                status="closed" if done else "planned",
                facilitator_id=facilitator.id,
                created_by_id=facilitator.id,
                created_at=start - timedelta(days=7),
                closed_at=start + timedelta(minutes=90 + rng.randint(0, 10)) if done else None,
            )
        )
    s.add_all(rows)
    s.flush()
    return rows


def add_relationship(
    s: Session,
    case: Case,
    visit_scores: tuple[int, int, int, int],
    practitioner: Person,
    session: SupervisionSession,
    at: datetime,
    said: str,
    own_words: bool,
    changed: str,
) -> None:
    helps, hinders = _RELATIONSHIP.get(case.reference, ("", ""))
    trust, heard, matters, hope = visit_scores
    s.add(
        RelationshipCheckIn(
            case_id=case.id,
            practitioner_id=practitioner.id,
            session_id=session.id,
            trust=trust,
            feel_heard=heard,
            what_matters=matters,
            hope=hope,
            working_well=helps,
            gets_in_the_way=hinders,
            what_they_would_say=said,
            their_own_words=own_words,
            what_i_changed=changed,
            best_relationship_person_id=case.best_relationship_person_id or practitioner.id,
            created_at=at,
        )
    )


def add_action(
    s: Session,
    team: Team,
    session: SupervisionSession,
    case: Case | None,
    text: str,
    owner: Person,
    outcome: str,
    kind: str,
    cal: Calendar,
    rng: random.Random,
    carried_from: Action | None = None,
) -> Action:
    status, _, reason = outcome.partition(": ")
    status = "carried_over" if status == "carried" else status
    assert status in ACTION_STATUSES and kind in WORK_KINDS
    day = session.scheduled_for.date()
    due = day + timedelta(days=7 if rng.random() < 0.7 else 14)
    done_on = min(cal.today, due - timedelta(days=rng.randint(0, 3))) if status == "done" else None
    action = Action(
        team_id=team.id,
        session_id=session.id,
        case_id=case.id if case else None,
        description=text,
        owner_id=owner.id,
        due_on=due,
        kind=kind,
        status=status,
        status_reason=reason,
        completed_on=done_on,
        carried_from_id=carried_from.id if carried_from else None,
        created_at=session.scheduled_for + timedelta(minutes=80),
    )
    s.add(action)
    s.flush()
    return action


# An action carried over, to be picked up the following week: (action, text, owner, case, kind).
_Carried = tuple[Action, str, Person, Case, str]


@dataclass
class _Riverside:
    """What every Riverside session needs to hand."""

    s: Session
    team: Team
    people: dict[str, Person]
    cases: dict[str, Case]
    cal: Calendar
    rng: random.Random
    members: list[Person]
    facilitator: Person


def riverside_sessions(
    s: Session,
    team: Team,
    people: dict[str, Person],
    cases: dict[str, Case],
    cal: Calendar,
    rng: random.Random,
) -> list[SupervisionSession]:
    """Nine closed sessions, oldest first, and this week's planned one (returned in that order)."""
    riverside = [people[u] for u in team_usernames(DEMO_TEAM)]
    facilitator = people[supervisor_of(DEMO_TEAM)]
    sessions = add_sessions(s, team, [*cal.past, cal.upcoming], 10, facilitator, cal, rng)
    past, planned = sessions[:-1], sessions[-1]
    r = _Riverside(s, team, people, cases, cal, rng, riverside, facilitator)
    by_session = _agendas(len(past))
    carry: list[_Carried] = []
    for i, session in enumerate(past):
        carry = _past_session(r, i, session, by_session[i], carry)
    _this_week(r, planned)
    _look_back_and_amend(s, past, facilitator)
    return sessions


def _agendas(sessions: int) -> dict[int, list[tuple[str, Visit | None]]]:
    """The order each session took: every visit, then the quick look, by session."""
    by_session: dict[int, list[tuple[str, Visit | None]]] = {i: [] for i in range(sessions)}
    for reference, visits in VISITS.items():
        for visit in visits:
            by_session[visit.session].append((reference, visit))
    for i, reference in enumerate(_QUICK["references"]):
        by_session[i].append((reference, None))
    return by_session


def _past_session(
    r: _Riverside,
    i: int,
    session: SupervisionSession,
    items: list[tuple[str, Visit | None]],
    carry: list[_Carried],
) -> list[_Carried]:
    """One closed session; returns the actions carried over to the next one."""
    s, rng = r.s, r.rng
    bringing = {r.cases[ref].lead_practitioner_id for ref, _ in items}
    members = [p for p in r.members if p.username not in NEW_STARTERS or i >= NEW_STARTERS_FROM]
    # Now and then someone without an item that week sends apologies.
    free = [p for p in members if p.id not in bringing and p is not r.facilitator]
    away = rng.choice(free) if free and rng.random() < 0.4 else None
    present = [p for p in members if p is not away]
    s.add_all(
        SessionAttendee(
            session_id=session.id, person_id=p.id, attendance="apologies" if p is away else "present"
        )
        for p in members
    )
    add_rounds(s, rng, session, present, r.facilitator, i)
    for action, text, owner, case, kind in carry:  # last week's carried actions, picked up here
        add_action(
            s, r.team, session, case, text, owner, "open" if i >= 7 else "done", kind, r.cal, rng, action
        )
    carried: list[_Carried] = []
    for position, (reference, visit) in enumerate(items):
        case = r.cases[reference]
        lead = s.get(Person, case.lead_practitioner_id)
        assert lead is not None
        at = session.scheduled_for + timedelta(minutes=10 + 12 * position)
        if visit is None:
            _quick_look(r, i, session, case, lead, position, at)
        else:
            carried += _visit(r, session, case, lead, visit, position, at)
    return carried


def _quick_look(
    r: _Riverside, i: int, session: SupervisionSession, case: Case, lead: Person, position: int, at: datetime
) -> None:
    asks = _QUICK["asks"]
    r.s.add(
        AgendaItem(
            session_id=session.id,
            case_id=case.id,
            brought_by_id=lead.id,
            kind="case_management",
            ask=asks[i % len(asks)],
            time_box_minutes=5,
            position=position,
            discussion_notes=_QUICK["notes"],
            created_at=at - timedelta(days=1),
        )
    )
    rng = r.rng
    base = rng.randint(5, 8)
    scores = (base, clamp(base + rng.randint(-1, 1)), clamp(base + rng.randint(-1, 1)), clamp(base - 1))
    add_relationship(r.s, case, scores, lead, session, at, "", False, "")


def _visit(
    r: _Riverside,
    session: SupervisionSession,
    case: Case,
    lead: Person,
    visit: Visit,
    position: int,
    at: datetime,
) -> list[_Carried]:
    """A family brought to the session; returns its action if it was carried over."""
    summary = visit.summary or {"text": "", "ready": False}
    r.s.add(
        AgendaItem(
            session_id=session.id,
            case_id=case.id,
            brought_by_id=lead.id,
            ask=visit.ask,
            kind=visit.kind,
            time_box_minutes=15,
            position=position,
            discussion_notes=visit.notes,
            case_file_summary=summary["text"],
            summary_ready=summary["ready"],
            created_at=at - timedelta(days=1),
        )
    )
    add_relationship(r.s, case, visit.scores, lead, session, at, visit.said, visit.own_words, visit.changed)
    text, owner = visit.action["text"], r.people[visit.action["owner"]]
    action = add_action(
        r.s, r.team, session, case, text, owner, visit.action["outcome"], visit.kind, r.cal, r.rng
    )
    return [(action, text, owner, case, visit.kind)] if action.status == "carried_over" else []


def _this_week(r: _Riverside, planned: SupervisionSession) -> None:
    """This week's planned session: everyone expected, one on leave, two items already brought."""
    r.s.add_all(
        SessionAttendee(
            session_id=planned.id,
            person_id=p.id,
            attendance="apologies" if p.username == _THIS_WEEK["on_leave"] else "expected",
        )
        for p in r.members
    )
    for position, item in enumerate(_THIS_WEEK["items"]):
        case = r.cases[item["reference"]]
        r.s.add(
            AgendaItem(
                session_id=planned.id,
                case_id=case.id,
                brought_by_id=case.lead_practitioner_id,
                ask=item["ask"],
                position=position,
                created_at=r.cal.at(r.cal.today, 9),
            )
        )


def _look_back_and_amend(s: Session, past: list[SupervisionSession], facilitator: Person) -> None:
    # Actions that aren't open were looked back on in the following week's session.
    next_of = {a.id: b.id for a, b in zip(past, past[1:], strict=False)}
    for action in s.exec(
        select(Action).where(col(Action.session_id).in_(list(next_of)), Action.status != "open")
    ).all():
        action.reviewed_session_id = next_of[action.session_id]  # type: ignore[index]  # None is ruled out before this line, in a way mypy does not follow
        s.add(action)
    # One record corrected after it closed: the original stays, the amendment says who and when.
    amended = past[-3]
    s.add(
        SessionAmendment(
            session_id=amended.id,
            author_id=facilitator.id,
            text=_DATA["amendment"],
            created_at=(amended.closed_at or amended.scheduled_for) + timedelta(days=1),
        )
    )
