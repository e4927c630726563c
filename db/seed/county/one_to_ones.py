"""A county team's supervision agreements and one-to-ones (issue 18).

Every practitioner has an agreement with the supervisor (one-to-one every four weeks; the
team's newest practitioner in an assessed first year, every two), and one-to-ones held and
closed on that rhythm through the years of history, a few missed, each with its private
part; the next is planned. Bulk inserts, so seeding stays fast.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlmodel import Session, select

from db import clock
from db.agreements import DEFAULT_TEMPLATE, TERMS
from db.seed.county.team import WORDS
from db.supervision_models import OneToOne, OneToOnePrivate, SupervisionAgreement

_HARD = tuple(WORDS["one_to_ones"]["been_hard"])
_HELPFUL = tuple(WORDS["one_to_ones"]["helpful_today"])


def add_one_to_ones(
    s: Session,
    team_id: int,
    supervisor: int,
    practitioners: list[int],
    first_day: date,
    today: date,
    rng: random.Random,
) -> int:
    """Agreements and one-to-ones for one team; returns how many one-to-ones."""
    now = clock.utcnow()
    agreement_rows, meeting_rows = [], []
    for k, pid in enumerate(practitioners):
        newest = k == len(practitioners) - 1
        agreed = first_day + timedelta(days=7 * (k % 4))
        if newest:
            agreed = max(first_day, today - timedelta(days=200))
        agreement_rows.append(_agreement(team_id, supervisor, pid, agreed, today, now, newest=newest))
        meeting_rows += _meetings(
            team_id, supervisor, pid, agreed, today, now, rng, rhythm=2 if newest else 4
        )
    s.execute(insert(SupervisionAgreement), agreement_rows)
    s.execute(insert(OneToOne), meeting_rows)
    _private_parts(s, team_id, rng)
    return len(meeting_rows)


def _agreement(
    team_id: int, supervisor: int, pid: int, agreed: date, today: date, now: datetime, *, newest: bool
) -> dict:
    return {
        "practitioner_id": pid,
        "supervisor_id": supervisor,
        "team_id": team_id,
        "revision": 1,
        "status": "agreed",
        "one_to_one_every_weeks": 4,
        "group_every_weeks": 1,
        "first_year_until": today + timedelta(days=160) if newest else None,
        "first_year_every_weeks": 2 if newest else None,
        "practitioner_agreed_on": agreed,
        "supervisor_agreed_on": agreed,
        "review_on": agreed + timedelta(days=365),
        "created_by_id": supervisor,
        "created_at": now,
        "updated_at": now,
        "version": 1,
        **{k: DEFAULT_TEMPLATE[k] for k in TERMS},
    }


def _meetings(
    team_id: int,
    supervisor: int,
    pid: int,
    agreed: date,
    today: date,
    now: datetime,
    rng: random.Random,
    *,
    rhythm: int,
) -> list[dict]:
    """The one-to-ones held since the agreement (about one in twelve missed), and the next."""

    def meeting(when: datetime, status: str, closed_at: datetime | None, created_at: datetime) -> dict:
        return {
            "team_id": team_id,
            "practitioner_id": pid,
            "supervisor_id": supervisor,
            "scheduled_for": when,
            "duration_minutes": 60,
            "recurs_every_weeks": rhythm,
            "status": status,
            "closed_at": closed_at,
            "created_by_id": supervisor,
            "created_at": created_at,
            "version": 1,
        }

    rows = []
    day = agreed + timedelta(days=rng.randint(3, 20))
    while day < today:
        when = datetime.combine(day, time(13, 0), tzinfo=UTC)
        missed = rng.random() < 0.08
        closed_at = None if missed else when + timedelta(minutes=60)
        rows.append(
            meeting(when, "planned" if missed else "closed", closed_at, when - timedelta(weeks=rhythm))
        )
        day += timedelta(weeks=rhythm, days=rng.choice((0, 0, 0, 3, 7, 10)))
    rows.append(meeting(datetime.combine(day, time(13, 0), tzinfo=UTC), "planned", None, now))
    return rows


def _private_parts(s: Session, team_id: int, rng: random.Random) -> None:
    """The practitioner's private part of every one-to-one held."""
    held = s.exec(
        select(OneToOne.id, OneToOne.practitioner_id, OneToOne.closed_at).where(
            OneToOne.team_id == team_id, OneToOne.status == "closed"
        )
    ).all()
    if not held:
        return
    s.execute(
        insert(OneToOnePrivate),
        [
            {
                "one_to_one_id": oid,
                "practitioner_id": pid,
                "arrival_score": rng.randint(3, 9),
                "arrival_word": "",
                "learning": "",
                "been_hard": rng.choice(_HARD),
                "support_needed": "",
                "helpful_today": rng.choice(_HELPFUL),
                "updated_by_id": pid,
                "updated_at": closed,
                "version": 1,
            }
            for oid, pid, closed in held
        ],
    )
