"""Issue 17 in the demo: Riverside's case-file entries (the older ones copied to the case file,
the latest session's still to do), where the team meets, Priya's choices, and a week of what
Circle told her and Tom (the demo has no mail server, so these show on Home under *New for
you*). Content: demo_home.json. Deterministic: everything is placed relative to the demo's today."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from db import clock
from db.models import Action, AgendaItem, Person, RiskEntry, SupervisionSession, Team
from db.notification_models import (
    CaseFileEntry,
    Notification,
    NotificationChoice,
    SessionCalendar,
    TeamNotificationDefault,
)
from db.notifications import digest_counts
from db.risk_threads import open_risks
from db.seed import read_content
from db.seed.demo.people import supervisor_of

_DATA = read_content("demo_home")
WHERE_WE_MEET: str = _DATA["where_we_meet"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return clock.from_local(day, time(hour, minute))


def add_case_files_and_notifications(s: Session, team: Team, people: dict[str, Person], today: date) -> None:
    s.add(
        TeamNotificationDefault(
            team_id=team.id,
            kinds=json.dumps({"weekly_digest": True}),
            where_we_meet=WHERE_WE_MEET,
            updated_by_id=people[supervisor_of(team.name)].id,
        )
    )
    s.add(
        NotificationChoice(
            person_id=people["priya"].id,
            email=_DATA["priya"]["email"],
            kinds=json.dumps(_DATA["priya"]["kinds"]),
        )
    )
    closed = s.exec(
        select(SupervisionSession)
        .where(SupervisionSession.team_id == team.id, SupervisionSession.status == "closed")
        .order_by(col(SupervisionSession.scheduled_for).desc())
    ).all()
    for n, session in enumerate(closed):
        _case_file_entries(s, session, latest=n == 0)
    _priyas_week(s, team, people, today)


def _case_file_entries(s: Session, session: SupervisionSession, *, latest: bool) -> None:
    items = s.exec(
        select(AgendaItem)
        .where(AgendaItem.session_id == session.id, col(AgendaItem.case_id).is_not(None))
        .order_by(col(AgendaItem.position), col(AgendaItem.id))
    ).all()
    for k, item in enumerate(items):
        if latest:
            # The latest session's entries are still to copy across (the supervisor sees that).
            if k == 0:
                s.add(CaseFileEntry(session_id=session.id, case_id=item.case_id, include_check_in=True))  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
            continue
        copied_on = clock.local(session.scheduled_for).date() + timedelta(days=1 + k % 2)
        s.add(
            CaseFileEntry(
                session_id=session.id,
                case_id=item.case_id,  # type: ignore[arg-type]  # Optional in its type, set on this path (a saved row, a chosen option or a checked value)
                include_check_in=k % 2 == 0,
                copied_by_id=item.brought_by_id,
                copied_at=_at(copied_on, 14, 20),
                updated_by_id=item.brought_by_id,
                updated_at=_at(copied_on, 14, 20),
                version=2 if k % 2 == 0 else 1,
            )
        )


def _priyas_week(s: Session, team: Team, people: dict[str, Person], today: date) -> None:
    priya = people["priya"]
    monday = today - timedelta(days=today.weekday())
    week = [_digest(s, priya, monday, today)]
    week += _session_planned(s, team, people, monday, today)
    held = open_risks(s, team_ids=[int(team.id)], holder_id=priya.id)
    week += _worries(s, team, people, held, today)
    due_today = s.exec(
        select(Action.id)
        .where(Action.owner_id == priya.id, Action.status == "open", Action.due_on == today)
        .order_by(col(Action.id))
    ).first()
    if due_today is not None:
        week.append(
            Notification(
                person_id=priya.id,
                kind="action_due",
                team_id=team.id,
                action_id=due_today,
                dedupe_key=f"action_due:{due_today}:{today.isoformat()}",
                created_at=_at(today, 7),
            )
        )
    for row in week:
        row.status = "in_app"
        s.add(row)


def _digest(s: Session, priya: Person, monday: date, today: date) -> Notification:
    week = monday.isocalendar()
    return Notification(
        person_id=priya.id,
        kind="weekly_digest",
        team_id=None,
        counts=json.dumps(digest_counts(s, int(priya.id), monday), sort_keys=True),
        dedupe_key=f"weekly_digest:{priya.id}:{week.year}-W{week.week:02d}",
        created_at=_at(monday, 7),
        seen_at=_at(monday, 9, 5) if monday < today else None,
    )


def _session_planned(
    s: Session, team: Team, people: dict[str, Person], monday: date, today: date
) -> list[Notification]:
    upcoming = s.exec(
        select(SupervisionSession)
        .where(SupervisionSession.team_id == team.id, SupervisionSession.status == "planned")
        .order_by(col(SupervisionSession.scheduled_for))
    ).first()
    if upcoming is None:
        return []
    s.add(SessionCalendar(session_id=upcoming.id, sequence=0))
    return [
        Notification(
            person_id=people[person].id,
            kind="session_planned",
            team_id=team.id,
            session_id=upcoming.id,
            colleague_id=people[supervisor_of(team.name)].id,
            created_at=_at(max(monday, today - timedelta(days=2)), 16, 40),
        )
        for person in ("priya", "tom")
    ]


def _worries(
    s: Session, team: Team, people: dict[str, Person], held: list, today: date
) -> list[Notification]:
    """That Priya holds a worry with a colleague, and reminders only where the demo's own
    dates make them true this week."""
    priya = people["priya"]
    if not held:
        return []
    first_raised = s.exec(
        select(RiskEntry.created_by_id).where(
            RiskEntry.thread_id == held[0].thread_id, RiskEntry.revision == 1
        )
    ).first()
    colleague = first_raised if first_raised not in (None, priya.id) else people["tom"].id
    week = [
        Notification(
            person_id=priya.id,
            kind="worry_holder",
            team_id=team.id,
            thread_id=held[0].thread_id,
            colleague_id=colleague,
            created_at=_at(today - timedelta(days=1), 11, 15),
        )
    ]
    for risk in held:
        review_eve = risk.next_review_on - timedelta(days=1)
        if today - timedelta(days=6) <= review_eve <= today:
            week.append(
                Notification(
                    person_id=priya.id,
                    kind="review_due",
                    team_id=team.id,
                    thread_id=risk.thread_id,
                    dedupe_key=f"review_due:{risk.thread_id}:{review_eve.isoformat()}:{priya.id}",
                    created_at=_at(review_eve, 7),
                )
            )
    return week
