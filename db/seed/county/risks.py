"""A county team's worries. About one a fortnight, held by two or three and reviewed every
four weeks until the team closes it: most after one or two reviews, a few held for months.
So a team holds about as many worries after five years as after one, as real teams do;
only the closed log grows with history."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import select

from db.models import RiskEntry, RiskHolder, RiskReview
from db.seed.county.team import WORDS, CountyTeam, bulk


def add_risks(team: CountyTeam, case_ids: list[int], sessions: list[tuple[int, datetime]]) -> None:
    rng = team.rng
    entries, holders_for, reviews = [], [], []
    for sid, when in sessions[::2]:
        thread = str(uuid.UUID(int=rng.getrandbits(128)))
        first_review = when.date() + timedelta(weeks=4)
        cycles = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        due = [first_review + timedelta(weeks=4 * k) for k in range(cycles)]
        done = [day for day in due if day < team.span.today - timedelta(days=5)]
        entries.append(_entry(team, thread, sid, when, case_ids, first_review, closed=len(done) == cycles))
        holders_for.append(thread)
        for k, day in enumerate(done):
            reviews.append(_review(team, thread, day, last=k == cycles - 1))
    bulk(team.s, RiskEntry, entries)
    ids = dict(
        team.s.exec(select(RiskEntry.thread_id, RiskEntry.id).where(RiskEntry.team_id == team.team_id)).all()
    )
    bulk(
        team.s,
        RiskHolder,
        [
            {"risk_entry_id": ids[thread], "person_id": pid}
            for thread in holders_for
            for pid in rng.sample(team.staff, 3)
        ],
    )
    bulk(team.s, RiskReview, reviews)


def _entry(
    team: CountyTeam,
    thread: str,
    sid: int,
    when: datetime,
    case_ids: list[int],
    first_review: date,
    *,
    closed: bool,
) -> dict:
    rng = team.rng
    return {
        "thread_id": thread,
        "revision": 1,
        "team_id": team.team_id,
        "case_id": rng.choice(case_ids),
        "session_id": sid,
        "raised_by_id": rng.choice(team.practitioners),
        "worry": rng.choice(WORDS["worries"]),
        "whose_risk": rng.choice(("young_person", "professional_anxiety", "both")),
        "whose_risk_reasoning": "",
        "reasonable_for_age": "",
        "family_view": "",
        "keeping_safe": "",
        "decision": WORDS["decision"],
        "decision_reasons": "",
        "needs_manager": False,
        "worry_before": rng.randint(5, 9),
        "worry_after": rng.randint(2, 6),
        "review_on": first_review,
        "status": "closed" if closed else "open",
        "created_by_id": team.supervisor,
        "created_at": when + timedelta(minutes=60),
    }


def _review(team: CountyTeam, thread: str, day: date, *, last: bool) -> dict:
    rng = team.rng
    return {
        "thread_id": thread,
        "session_id": None,
        "reviewed_by_id": team.supervisor,
        "reviewed_at": datetime.combine(day + timedelta(days=rng.randint(-2, 5)), time(11), tzinfo=UTC),
        "what_happened": rng.choice(
            ("as_feared", "better_than_feared", "better_than_feared", "worse_than_feared")
        ),
        "what_we_learned": rng.choice(WORDS["learned"]),
        "next_step": "close" if last else "keep_holding",
        "next_review_on": None if last else day + timedelta(weeks=4),
    }
