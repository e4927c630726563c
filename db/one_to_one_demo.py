"""The demo team's supervision agreements and one-to-ones (deterministic, fictional).

Hannah Okafor supervises Riverside's six practitioners one-to-one: every four weeks by
their agreements (Leo, new to the work, every two weeks in his first year). Seven months of
one-to-ones are held and closed, each with a case brought, a check-in, a summary for the
case file, an action and a private part written by the two of them. Tom's last one-to-one
was seven weeks ago and none is planned: he shows as overdue on Hannah's Home. Jack's
agreement has been reviewed once (the first version kept), Sian's is due its yearly
review, and Leo's second agreement is a draft Hannah has agreed and Leo hasn't yet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from db import agreements
from db.models import Case, Person, RelationshipCheckIn, Team
from db.supervision_models import (
    OneToOne,
    OneToOneAction,
    OneToOneCheckIn,
    OneToOneItem,
    OneToOnePrivate,
    SupervisionAgreement,
)

# (username, the case they usually bring, agreed weeks ago, every weeks, first-year weeks)
_WHO = (
    ("priya", "JT-07", 34, 4, None),
    ("tom", "RB-1042", 40, 4, None),
    ("amara", "KM-12", 30, 4, None),
    ("jack", "AD-33", 60, 4, None),
    ("sian", "LW-21", 56, 4, None),
    ("leo", "EB-45", 14, 4, 2),
)

_ARRIVING = (
    (6, "steady"),
    (4, "stretched"),
    (7, "hopeful"),
    (5, "tired"),
    (8, "lighter"),
    (3, "frazzled"),
)
_LEARNING = (
    "Trying the six Ps with a family rather than about them: Mum added a protective factor we'd missed.",
    "Reading about stickability and realising how often I'd apologised for staying.",
    "The restorative questions workshop: I've started using 'what were you thinking at the time?' at home visits.",
    "Watching Sian run a family meeting: how she let silence do some of the work.",
    "How to write a danger statement a ten-year-old could understand.",
)
_HARD = (
    "A court week that ran into the weekend. I noticed I stopped eating lunch again.",
    "Feeling I'm the only one holding the worry for this family, even though I know the team is.",
    "A home visit where Dad shouted; I was fine at the time and shaky in the car afterwards.",
    "Too many late reports at once, and not wanting to let anyone down.",
    "Missing the team day because of a strategy meeting; I felt out of the loop.",
)
_SUPPORT = (
    "Protected time on Friday afternoons to write up, and someone to check in with after court.",
    "A co-worked visit with Hannah next time, so I'm not walking in on my own.",
    "Help saying no to one more duty slot this month.",
    "Time to go on the life-story work course in the spring.",
    "Keep asking me how I'm sleeping; I don't always say.",
)
_HELPFUL = (
    "Being asked what I'd do if I weren't worried about getting it wrong.",
    "Having the worry named out loud and shared, not just noted.",
    "Thinking about what J would say about me, not what the plan says.",
    "Slowing down. I came in with a list and left with one thing that matters.",
    "Hearing that stepping back can be part of stickability too.",
)
_ASKS = (
    "How do I keep the relationship going while school is pushing for a quicker plan?",
    "Am I holding this worry on my own, or is it ours?",
    "What would a good ending look like for them, when they're ready?",
    "Who is the best person to have the next conversation with Mum?",
)
_SUMMARIES = (
    "Talked through the relationship and what is working. Plan unchanged; keep Thursday visits and review at the next team meeting.",
    "Reflected on recent worries with the supervisor. Agreed to ask the young person who they trust before the review.",
    "Discussed progress and next steps. The practitioner will involve Nan in planning family time.",
    "Considered whose risk this is. Agreed it is mostly professional anxiety; hold it together and review in four weeks.",
)
_ACTIONS = (
    "Book the co-worked visit for next month",
    "Ask J which adult at school they'd like at the review",
    "Look up the spring life-story work course dates",
    "Block out Friday afternoons for writing up",
    "Share the six Ps map with Mum before the meeting",
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def add_one_to_ones(
    s: Session, team: Team, people: dict[str, Person], cases: dict[str, Case], today: date
) -> None:
    hannah = people["hannah"]
    template = agreements.DEFAULT_TEMPLATE
    terms = {k: template[k] for k in agreements.TERMS}
    for n, (username, reference, agreed_weeks, every, first_year) in enumerate(_WHO):
        person = people[username]
        agreed_on = first_agreed = today - timedelta(weeks=agreed_weeks)
        base = dict(
            practitioner_id=person.id,
            supervisor_id=hannah.id,
            team_id=team.id,
            one_to_one_every_weeks=every,
            group_every_weeks=1,
            created_by_id=hannah.id,
            **terms,
        )
        if username == "jack":  # reviewed once: the first version kept, superseded
            s.add(
                SupervisionAgreement(
                    **base,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
                    revision=1,
                    status="superseded",
                    practitioner_agreed_on=agreed_on,
                    supervisor_agreed_on=agreed_on,
                    review_on=agreed_on + timedelta(days=365),
                )
            )
            agreed_on = today - timedelta(weeks=8)
            base["where_we_meet"] = (
                "Walking by the river when the weather allows (Jack thinks better on the move); "
                "the small meeting room otherwise."
            )
        first_until = today + timedelta(days=300) if first_year else None
        s.add(
            SupervisionAgreement(
                **base,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
                revision=2 if username == "jack" else 1,
                status="agreed",
                first_year_until=first_until,
                first_year_every_weeks=first_year,
                practitioner_agreed_on=agreed_on,
                supervisor_agreed_on=agreed_on - timedelta(days=1),
                review_on=agreed_on + timedelta(days=365),
            )
        )
        if username == "leo":  # a second draft Hannah has agreed, waiting for Leo
            s.add(
                SupervisionAgreement(
                    **{
                        **base,
                        "practitioner_brings": base["practitioner_brings"]  # type: ignore[operator]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
                        + " And your questions from induction.",
                    },
                    revision=2,
                    status="draft",
                    first_year_until=first_until,
                    first_year_every_weeks=first_year,
                    supervisor_agreed_on=today - timedelta(days=2),
                    review_on=today + timedelta(days=365),
                )
            )
        # The one-to-ones: held every `rhythm` weeks, the last a few days to three weeks ago.
        rhythm = first_year or every
        last = today - timedelta(days=(3 + 4 * n) % 20 + 2)
        if username == "tom":
            last = today - timedelta(weeks=7)  # overdue, and nothing planned yet
        days = []
        day = last
        while day > today - timedelta(weeks=30) and day > first_agreed:
            days.append(day)
            day -= timedelta(weeks=rhythm)
        days.reverse()
        case = cases[reference]
        earlier_action: OneToOneAction | None = None
        for k, held_on in enumerate(days):
            pick = (n + k) % 5
            meeting = OneToOne(
                team_id=team.id,
                practitioner_id=person.id,
                supervisor_id=hannah.id,
                scheduled_for=_at(held_on, 13 + n % 3),
                duration_minutes=60,
                recurs_every_weeks=rhythm,
                status="closed",
                closed_at=_at(held_on, 14 + n % 3),
                created_by_id=hannah.id,
                created_at=_at(held_on - timedelta(weeks=rhythm), 9),
            )
            s.add(meeting)
            s.flush()
            score, word = _ARRIVING[(n + k) % len(_ARRIVING)]
            s.add(
                OneToOnePrivate(
                    one_to_one_id=meeting.id,
                    practitioner_id=person.id,
                    arrival_score=score,
                    arrival_word=word,
                    learning=_LEARNING[pick],
                    been_hard=_HARD[(pick + 2) % 5],
                    support_needed=_SUPPORT[(pick + 1) % 5],
                    helpful_today=_HELPFUL[(pick + 3) % 5],
                    updated_by_id=person.id,
                    updated_at=_at(held_on, 14),
                )
            )
            s.add(
                OneToOneItem(
                    one_to_one_id=meeting.id,
                    case_id=case.id,
                    brought_by_id=person.id,
                    ask=_ASKS[(n + k) % len(_ASKS)],
                    discussion_notes="We thought about the relationship first, then the plan.",
                    case_file_summary=_SUMMARIES[(n + k) % len(_SUMMARIES)],
                    created_at=_at(held_on - timedelta(days=2), 9),
                )
            )
            base_score = 5 + (n + k) % 4
            check = RelationshipCheckIn(
                case_id=case.id,
                practitioner_id=person.id,
                session_id=None,
                trust=base_score,
                feel_heard=min(10, base_score + 1),
                what_matters=base_score,
                hope=max(0, base_score - 1),
                working_well="Turning up when I said I would.",
                gets_in_the_way="Appointments that clash with school.",
                created_at=_at(held_on, 13 + n % 3) + timedelta(minutes=15),
            )
            s.add(check)
            s.flush()
            s.add(OneToOneCheckIn(one_to_one_id=meeting.id, check_in_id=check.id))
            if earlier_action is not None:
                earlier_action.status = "done"
                earlier_action.reviewed_in_id = meeting.id
                s.add(earlier_action)
            earlier_action = OneToOneAction(
                one_to_one_id=meeting.id,
                description=_ACTIONS[pick],
                owner_id=person.id if k % 2 == 0 else hannah.id,
                due_on=held_on + timedelta(weeks=2),
                created_at=_at(held_on, 14),
            )
            s.add(earlier_action)
        if username != "tom":
            nxt = last + timedelta(weeks=rhythm)
            while nxt < today:
                nxt += timedelta(weeks=1)
            s.add(
                OneToOne(
                    team_id=team.id,
                    practitioner_id=person.id,
                    supervisor_id=hannah.id,
                    scheduled_for=_at(nxt, 13 + n % 3),
                    duration_minutes=60,
                    recurs_every_weeks=rhythm,
                    status="planned",
                    created_by_id=hannah.id,
                )
            )
    s.flush()
