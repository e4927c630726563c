"""A county team's weekly history: who came to each session, their arrival and closing
rounds, four cases brought with a relationship check-in each, and three actions."""

from __future__ import annotations

from datetime import datetime, timedelta

from db.models import Action, AgendaItem, ArrivalCheckIn, ClosingCheckIn, RelationshipCheckIn, SessionAttendee
from db.seed.county.team import WORDS, CountyTeam, bulk

_Rows = dict[type, list[dict]]


def add_history(team: CountyTeam, case_ids: list[int], sessions: list[tuple[int, datetime]]) -> None:
    rows: _Rows = {
        model: []
        for model in (
            SessionAttendee,
            ArrivalCheckIn,
            ClosingCheckIn,
            AgendaItem,
            RelationshipCheckIn,
            Action,
        )
    }
    trend = {cid: team.rng.randint(4, 8) for cid in case_ids}  # each relationship drifts week by week
    for n, (sid, when) in enumerate(sessions):
        _attendance(team, sid, when, rows)
        for position in range(4):
            _item(team, n, position, sid, when, case_ids, trend, rows)
        for a in range(3):
            _action(team, n, a, sid, when, case_ids, rows)
    for model, model_rows in rows.items():
        bulk(team.s, model, model_rows)


def _attendance(team: CountyTeam, sid: int, when: datetime, rows: _Rows) -> None:
    """Everyone comes but now and then one practitioner; those present do both rounds."""
    rng = team.rng
    away = rng.choice(team.practitioners) if rng.random() < 0.5 else None
    for pid in team.staff:
        present = pid != away
        rows[SessionAttendee].append(
            {"session_id": sid, "person_id": pid, "attendance": "present" if present else "apologies"}
        )
        if not present:
            continue
        rows[ArrivalCheckIn].append(
            {
                "session_id": sid,
                "person_id": pid,
                "score": rng.randint(3, 9),
                "word": "",
                "needs_team": rng.random() < 0.1,
                "entered_by_id": pid,
                "created_at": when + timedelta(minutes=2),
            }
        )
        rows[ClosingCheckIn].append(
            {
                "session_id": sid,
                "person_id": pid,
                "felt_heard": rng.randint(5, 10),
                "helped_my_work": rng.randint(5, 10),
                "held_my_worries": rng.randint(4, 10),
                "word": "",
                "created_at": when + timedelta(minutes=88),
            }
        )


def _item(
    team: CountyTeam,
    n: int,
    position: int,
    sid: int,
    when: datetime,
    case_ids: list[int],
    trend: dict[int, int],
    rows: _Rows,
) -> None:
    """The case brought at `position` in the n-th session, and its relationship check-in."""
    rng = team.rng
    cid = case_ids[(n * 4 + position) % len(case_ids)]
    lead = team.practitioners[(n * 4 + position) % len(team.practitioners)]
    rows[AgendaItem].append(
        {
            "session_id": sid,
            "case_id": cid,
            "brought_by_id": lead,
            "ask": rng.choice(WORDS["asks"]),
            "kind": rng.choice(("reflection", "reflection", "case_management", "task")),
            "source": "brought",
            "time_box_minutes": 15,
            "position": position,
            "discussion_notes": "",
            "case_file_summary": "",
            "summary_ready": False,
            "created_at": when - timedelta(days=1),
            "version": 1,
        }
    )
    trend[cid] = max(0, min(10, trend[cid] + rng.randint(-2, 2)))
    base = trend[cid]
    rows[RelationshipCheckIn].append(
        {
            "case_id": cid,
            "practitioner_id": lead,
            "session_id": sid,
            "trust": base,
            "feel_heard": max(0, min(10, base + rng.randint(-1, 1))),
            "what_matters": max(0, min(10, base + rng.randint(-1, 1))),
            "hope": max(0, min(10, base + rng.randint(-2, 1))),
            "working_well": rng.choice(WORDS["working_well"]),
            "gets_in_the_way": rng.choice(WORDS["in_the_way"]),
            "what_they_would_say": "",
            "their_own_words": False,
            "what_i_changed": "",
            "created_at": when + timedelta(minutes=10 + position),
        }
    )


def _action(
    team: CountyTeam, n: int, a: int, sid: int, when: datetime, case_ids: list[int], rows: _Rows
) -> None:
    """An action agreed in the session: open if recent, otherwise mostly done."""
    rng = team.rng
    due = when.date() + timedelta(days=7)
    recent = when.date() > team.span.today - timedelta(days=14)
    status = "open" if recent else rng.choice(("done", "done", "done", "dropped"))
    rows[Action].append(
        {
            "team_id": team.team_id,
            "session_id": sid,
            "case_id": case_ids[(n + a) % len(case_ids)],
            "description": WORDS["action"],
            "owner_id": rng.choice(team.practitioners),
            "due_on": due,
            "kind": rng.choice(("reflection", "case_management", "task")),
            "status": status,
            "status_reason": "",
            "version": 1,
            "completed_on": due - timedelta(days=rng.randint(-3, 3)) if status == "done" else None,
            "created_at": when + timedelta(minutes=80),
        }
    )
