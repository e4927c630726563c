"""Riverside's supervision agreements and seven months of one-to-ones with Hannah
(content: demo_one_to_ones.json).

Hannah Okafor supervises Riverside's six practitioners one-to-one: every four weeks by
their agreements (Leo, new to the work, every two weeks in his first year). Seven months of
one-to-ones are held and closed, each with a case brought, a check-in, a summary for the
case file, an action and a private part written by the two of them. Tom's last one-to-one
was seven weeks ago and none is planned: he shows as overdue on Hannah's Home. Jack's
agreement has been reviewed once (the first version kept), Sian's is due its yearly
review, and Leo's second agreement is a draft Hannah has agreed and Leo hasn't yet.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from db import agreements
from db.models import Case, Person, RelationshipCheckIn, Team
from db.seed import read_content
from db.seed.demo.dates import Calendar
from db.supervision_models import (
    OneToOne,
    OneToOneAction,
    OneToOneCheckIn,
    OneToOneItem,
    OneToOnePrivate,
    SupervisionAgreement,
)

_DATA = read_content("demo_one_to_ones")


def add_one_to_ones(
    s: Session, team: Team, people: dict[str, Person], cases: dict[str, Case], cal: Calendar
) -> None:
    supervisor = people[_DATA["supervisor"]]
    for n, who in enumerate(_DATA["who"]):
        person = people[who["username"]]
        first_agreed = cal.today - timedelta(weeks=who["agreed_weeks_ago"])
        _agreements(s, team, person, supervisor, who, first_agreed, cal.today)
        # The one-to-ones: held every `rhythm` weeks, the last a few days to three weeks ago.
        rhythm = who["first_year_every_weeks"] or who["every_weeks"]
        last = cal.today - timedelta(days=(3 + 4 * n) % 20 + 2)
        overdue = "overdue_since_weeks" in who
        if overdue:  # and nothing planned yet
            last = cal.today - timedelta(weeks=who["overdue_since_weeks"])
        days = _held_days(last, rhythm, first_agreed, cal.today)
        case = cases[who["case"]]
        earlier_action: OneToOneAction | None = None
        for k, held_on in enumerate(days):
            earlier_action = _held(
                s, team, person, supervisor, case, cal, n, k, held_on, rhythm, earlier_action
            )
        if not overdue:
            _plan_next(s, team, person, supervisor, cal, n, last, rhythm)
    s.flush()


def _agreements(
    s: Session, team: Team, person: Person, supervisor: Person, who: dict, agreed_on: date, today: date
) -> None:
    """Their agreement (and, for some, an earlier version or a later draft)."""
    every, first_year = who["every_weeks"], who["first_year_every_weeks"]
    base = dict(
        practitioner_id=person.id,
        supervisor_id=supervisor.id,
        team_id=team.id,
        one_to_one_every_weeks=every,
        group_every_weeks=1,
        created_by_id=supervisor.id,
        **{k: agreements.DEFAULT_TEMPLATE[k] for k in agreements.TERMS},
    )
    reviewed = who.get("reviewed")
    if reviewed:  # reviewed once: the first version kept, superseded
        s.add(
            SupervisionAgreement(
                **base,
                revision=1,
                status="superseded",
                practitioner_agreed_on=agreed_on,
                supervisor_agreed_on=agreed_on,
                review_on=agreed_on + timedelta(days=365),
            )
        )
        agreed_on = today - timedelta(weeks=reviewed["weeks_ago"])
        base["where_we_meet"] = reviewed["where_we_meet"]
    first_until = today + timedelta(days=300) if first_year else None
    s.add(
        SupervisionAgreement(
            **base,
            revision=2 if reviewed else 1,
            status="agreed",
            first_year_until=first_until,
            first_year_every_weeks=first_year,
            practitioner_agreed_on=agreed_on,
            supervisor_agreed_on=agreed_on - timedelta(days=1),
            review_on=agreed_on + timedelta(days=365),
        )
    )
    if "draft_adds_to_brings" in who:  # a second draft the supervisor has agreed, waiting for them
        s.add(
            SupervisionAgreement(
                **{**base, "practitioner_brings": base["practitioner_brings"] + who["draft_adds_to_brings"]},
                revision=2,
                status="draft",
                first_year_until=first_until,
                first_year_every_weeks=first_year,
                supervisor_agreed_on=today - timedelta(days=2),
                review_on=today + timedelta(days=365),
            )
        )


def _held_days(last: date, rhythm: int, first_agreed: date, today: date) -> list[date]:
    """Every `rhythm` weeks back from `last`, over the last thirty weeks of the agreement."""
    days = []
    day = last
    while day > today - timedelta(weeks=30) and day > first_agreed:
        days.append(day)
        day -= timedelta(weeks=rhythm)
    days.reverse()
    return days


def _held(
    s: Session,
    team: Team,
    person: Person,
    supervisor: Person,
    case: Case,
    cal: Calendar,
    n: int,
    k: int,
    held_on: date,
    rhythm: int,
    earlier_action: OneToOneAction | None,
) -> OneToOneAction:
    """The k-th one-to-one held with the n-th practitioner; returns its action."""
    meeting = OneToOne(
        team_id=team.id,
        practitioner_id=person.id,
        supervisor_id=supervisor.id,
        scheduled_for=cal.at(held_on, 13 + n % 3),
        duration_minutes=60,
        recurs_every_weeks=rhythm,
        status="closed",
        closed_at=cal.at(held_on, 14 + n % 3),
        created_by_id=supervisor.id,
        created_at=cal.at(held_on - timedelta(weeks=rhythm), 9),
    )
    s.add(meeting)
    s.flush()
    pick = (n + k) % 5
    _private_and_item(s, meeting, person, case, cal, n, k, pick, held_on)
    _check_in(s, meeting, person, case, cal, n, k, held_on)
    if earlier_action is not None:
        earlier_action.status = "done"
        earlier_action.reviewed_in_id = meeting.id
        s.add(earlier_action)
    action = OneToOneAction(
        one_to_one_id=meeting.id,
        description=_DATA["actions"][pick],
        owner_id=person.id if k % 2 == 0 else supervisor.id,
        due_on=held_on + timedelta(weeks=2),
        created_at=cal.at(held_on, 14),
    )
    s.add(action)
    return action


def _private_and_item(
    s: Session,
    meeting: OneToOne,
    person: Person,
    case: Case,
    cal: Calendar,
    n: int,
    k: int,
    pick: int,
    held_on: date,
) -> None:
    """The private part the two of them wrote, and the case brought."""
    arriving = _DATA["arriving"][(n + k) % len(_DATA["arriving"])]
    s.add(
        OneToOnePrivate(
            one_to_one_id=meeting.id,
            practitioner_id=person.id,
            arrival_score=arriving["score"],
            arrival_word=arriving["word"],
            learning=_DATA["learning"][pick],
            been_hard=_DATA["hard"][(pick + 2) % 5],
            support_needed=_DATA["support"][(pick + 1) % 5],
            helpful_today=_DATA["helpful"][(pick + 3) % 5],
            updated_by_id=person.id,
            updated_at=cal.at(held_on, 14),
        )
    )
    s.add(
        OneToOneItem(
            one_to_one_id=meeting.id,
            case_id=case.id,
            brought_by_id=person.id,
            ask=_DATA["asks"][(n + k) % len(_DATA["asks"])],
            discussion_notes=_DATA["discussion_notes"],
            case_file_summary=_DATA["summaries"][(n + k) % len(_DATA["summaries"])],
            created_at=cal.at(held_on - timedelta(days=2), 9),
        )
    )


def _check_in(
    s: Session, meeting: OneToOne, person: Person, case: Case, cal: Calendar, n: int, k: int, held_on: date
) -> None:
    base_score = 5 + (n + k) % 4
    check = RelationshipCheckIn(
        case_id=case.id,
        practitioner_id=person.id,
        session_id=None,
        trust=base_score,
        feel_heard=min(10, base_score + 1),
        what_matters=base_score,
        hope=max(0, base_score - 1),
        working_well=_DATA["working_well"],
        gets_in_the_way=_DATA["gets_in_the_way"],
        created_at=cal.at(held_on, 13 + n % 3) + timedelta(minutes=15),
    )
    s.add(check)
    s.flush()
    s.add(OneToOneCheckIn(one_to_one_id=meeting.id, check_in_id=check.id))


def _plan_next(
    s: Session, team: Team, person: Person, supervisor: Person, cal: Calendar, n: int, last: date, rhythm: int
) -> None:
    """The next one-to-one, planned on the rhythm (and never in the past)."""
    nxt = last + timedelta(weeks=rhythm)
    while nxt < cal.today:
        nxt += timedelta(weeks=1)
    s.add(
        OneToOne(
            team_id=team.id,
            practitioner_id=person.id,
            supervisor_id=supervisor.id,
            scheduled_for=cal.at(nxt, 13 + n % 3),
            duration_minutes=60,
            recurs_every_weeks=rhythm,
            status="planned",
            created_by_id=supervisor.id,
        )
    )
