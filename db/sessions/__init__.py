"""Weekly group supervision: planning, the agenda, running it step by step, and the record.

Who reaches what:
- practitioners and supervisors reach their own teams' sessions; nobody reaches another
  team's (managers see trends on the insights screen instead, never one person's scores);
- only a supervisor of the team plans, runs (moves the steps), closes and amends;
- anyone attending adds their own arrival, relationship check-ins and closing round from
  their own device; the facilitator may enter them for the room.

A closed session is a read-only record: later corrections are amendments with who and when.

Callers use `from db import sessions` and `sessions.<name>`; the parts live in:
`read_models` (what callers get back, and the room's words and time boxes), `scope` (who
reaches a session; the checks every change shares), `planning`, `room` (moving the shared
screen on; notes), `rounds` (arrival, check-ins, closing round), `actions` and `closing`
(closing, amendments, the record).
"""

from __future__ import annotations

from db.sessions.actions import (
    ReviewDecision,
    actions_to_review,
    add_action,
    due_for_review,
    review_action,
    review_actions,
    session_actions,
)
from db.sessions.closing import amend, close, record
from db.sessions.planning import _stages as _stages
from db.sessions.planning import (
    agenda,
    bring,
    cancel,
    move,
    plan,
    sessions_for,
    set_attendance,
    suggested_next,
    team_cases,
    team_people,
    view,
    withdraw,
)
from db.sessions.read_models import (
    ATTENDANCE,
    CHECK_IN_ITEMS,
    CLOSING_ITEMS,
    KIND_LABELS,
    SESSION_ROLES,
    STEP_LABELS,
    STEP_MINUTES,
    ActionLine,
    Agenda,
    Amendment,
    Arrival,
    Attendee,
    CheckIn,
    Closing,
    Drop,
    Item,
    Record,
    RoomState,
    SessionLine,
    SessionView,
    Stage,
    TeamPerson,
    fit_time_boxes,
)
from db.sessions.room import extend, go_to, save_notes, start
from db.sessions.rounds import (
    all_at_top,
    arrivals,
    check_in_history,
    closings,
    drops,
    record_arrival,
    record_check_in,
    record_closing,
)
from db.sessions.scope import _load as _load
from db.sessions.scope import room_for, room_state

# `_load` and `_stages` stay reachable as before for db.calendar, db.case_file and db.session_record.
__all__ = [
    "ATTENDANCE",
    "ActionLine",
    "Agenda",
    "Amendment",
    "Arrival",
    "Attendee",
    "CHECK_IN_ITEMS",
    "CLOSING_ITEMS",
    "CheckIn",
    "Closing",
    "Drop",
    "Item",
    "KIND_LABELS",
    "Record",
    "ReviewDecision",
    "RoomState",
    "SESSION_ROLES",
    "STEP_LABELS",
    "STEP_MINUTES",
    "SessionLine",
    "SessionView",
    "Stage",
    "TeamPerson",
    "actions_to_review",
    "add_action",
    "agenda",
    "all_at_top",
    "amend",
    "arrivals",
    "bring",
    "cancel",
    "check_in_history",
    "close",
    "closings",
    "drops",
    "due_for_review",
    "extend",
    "fit_time_boxes",
    "go_to",
    "move",
    "plan",
    "record",
    "record_arrival",
    "record_check_in",
    "record_closing",
    "review_action",
    "review_actions",
    "room_for",
    "room_state",
    "save_notes",
    "session_actions",
    "sessions_for",
    "set_attendance",
    "start",
    "suggested_next",
    "team_cases",
    "team_people",
    "view",
    "withdraw",
]
