"""A fault in the middle of a multi-step action leaves nothing half done, on SQLite and
PostgreSQL.

The fault is injected at the database driver: just before a chosen statement of the
action reaches the database (after the earlier statements of the same action have run),
an exception stands in for a crash, a dropped connection or a full disk. Afterwards every
table holds exactly what it held before, row for row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time, timedelta

import pytest
from sqlalchemy import event, inspect, text

from db import case_board, cases, people, risk_log, sessions
from db.clock import utcnow
from db.engine import get_engine
from db.risk_log import RiskDraft
from tests import factories

TODAY = utcnow().date()


class InjectedFault(RuntimeError):
    """Stands in for the machine stopping half-way through an action."""


@contextmanager
def fault_before(statement: str) -> Iterator[list[str]]:
    """Raise just before the first SQL statement starting with `statement` runs; yield the
    statements that ran before it in that action (to show the fault was truly mid-way)."""
    engine = get_engine()
    ran: list[str] = []

    def before(_conn, _cursor, sql: str, *_args) -> None:
        head = " ".join(sql.split())
        if head.upper().startswith(statement.upper()):
            raise InjectedFault(f"fault injected before: {head[:80]}")
        if head.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            ran.append(head)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", before)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (the databases here are small)."""
    engine = get_engine()
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as conn:
        return {
            t: sorted(tuple(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))  # noqa: S608
            for t in tables
        }


@pytest.fixture
def world(db: str) -> dict:
    riverside = factories.team("Riverside")
    who = {
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "ada": factories.person("ada", "admin"),
    }
    actors = {k: v.actor() for k, v in who.items()}
    case_id = case_board.create_case(
        actors["pat"], riverside, reference="JT-07", lead_id=who["pat"].person_id
    )
    return {"team": riverside, "case": case_id, "who": who, "a": actors}


def _draft(w: dict) -> RiskDraft:
    pat, sam = w["who"]["pat"].person_id, w["who"]["sam"].person_id
    return RiskDraft(
        worry="J may stop going to school.",
        whose_risk="both",
        whose_risk_reasoning="School's worry is driving some of this.",
        reasonable_for_age="Walking out when overwhelmed is common at 14.",
        family_view="Mum wants him in school.",
        keeping_safe="Boxing with Jack; Mum at home after four.",
        decision="Ask school for a reduced timetable.",
        decision_reasons="It keeps the one routine J still has.",
        holder_ids=(pat, sam),
        review_on=TODAY + timedelta(days=14),
        case_id=w["case"],
        raised_by_id=pat,
        worry_before=7,
        worry_after=4,
    )


def _carry_over(w: dict) -> Callable[[], object]:
    """Looking back on an action and carrying it over: updates the old action, adds a new one."""
    sam = w["a"]["sam"]
    first = sessions.plan(sam, w["team"], day=TODAY + timedelta(days=1), start=time(10), duration_minutes=90)
    action_id = sessions.add_action(
        sam, first, description="Ring school with Mum", owner_id=w["who"]["pat"].person_id, due_on=TODAY
    )
    sessions.close(sam, first, sessions.view(sam, first).version)
    second = sessions.plan(sam, w["team"], day=TODAY + timedelta(days=8), start=time(10), duration_minutes=90)
    version = next(x.version for x in sessions.actions_to_review(sam, second) if x.id == action_id)
    return lambda: sessions.review_action(
        sam,
        second,
        action_id,
        outcome="carried_over",
        reason="Mum asked to wait until after half term",
        new_due_on=TODAY + timedelta(days=14),
        version=version,
    )


def _person_with_team(w: dict) -> Callable[[], object]:
    return lambda: people.create_person(
        w["a"]["ada"],
        "kim",
        "Kim Example",
        "practitioner",
        "a fine long passphrase",
        team_id=w["team"],
        team_role="practitioner",
    )


def _risk_with_holders(w: dict) -> Callable[[], object]:
    return lambda: risk_log.create_entry(w["a"]["pat"], w["team"], _draft(w))


def _risk_change_plan(w: dict) -> Callable[[], object]:
    """A review that changes the plan: a review, a new revision, and its holders."""
    pat = w["a"]["pat"]
    thread_id = risk_log.create_entry(pat, w["team"], _draft(w))
    stamp = risk_log.thread(pat, thread_id).stamp
    return lambda: risk_log.review(
        pat,
        thread_id,
        what_happened="worse_than_feared",
        what_we_learned="The evenings are the hard part.",
        next_step="change_plan",
        next_review_on=TODAY + timedelta(days=7),
        new_plan="Nan has him two evenings a week.",
        stamp=stamp,
    )


def _new_case(w: dict) -> Callable[[], object]:
    return lambda: case_board.create_case(
        w["a"]["pat"], w["team"], reference="AB-12", lead_id=w["who"]["pat"].person_id
    )


def _mapping_save(w: dict) -> Callable[[], object]:
    """Saving the mapping: the mapping row, a kept revision, and the audit line."""
    pat, cid = w["a"]["pat"], w["case"]
    cases.save_mapping(pat, cid, {"worries": "Home alone after school"}, base_version=0)
    return lambda: cases.save_mapping(
        pat, cid, {"worries": "Nan is worried about the evenings", "scale": 5}, base_version=1
    )


def _plan_session(w: dict) -> Callable[[], object]:
    """Planning a session: the session and everyone in the team expected at it."""
    return lambda: sessions.plan(
        w["a"]["sam"], w["team"], day=TODAY + timedelta(days=3), start=time(10), duration_minutes=90
    )


# (name, setup returning the action, the statement the fault comes before, what ran first)
FAULTS = [
    ("action carried over", _carry_over, "INSERT INTO action", "UPDATE action"),
    ("action carried over, fault at the audit", _carry_over, "INSERT INTO audit_event", "INSERT INTO action"),
    ("person with a team", _person_with_team, "INSERT INTO membership", "INSERT INTO person"),
    ("risk entry with holders", _risk_with_holders, "INSERT INTO risk_holder", "INSERT INTO risk_entry"),
    (
        "risk entry, fault at the audit",
        _risk_with_holders,
        "INSERT INTO audit_event",
        "INSERT INTO risk_entry",
    ),
    ("risk review changing the plan", _risk_change_plan, "INSERT INTO risk_holder", "INSERT INTO risk_entry"),
    ("new case", _new_case, "INSERT INTO audit_event", "INSERT INTO case_record"),
    ("mapping saved", _mapping_save, "INSERT INTO case_mapping_revision", "UPDATE case_mapping"),
    ("session planned", _plan_session, "INSERT INTO session_attendee", "INSERT INTO supervision_session"),
]


@pytest.mark.parametrize(("kind", "setup", "fault_at", "ran_first"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_half_way_leaves_no_partial_rows(
    world: dict, kind: str, setup: Callable[[dict], Callable[[], object]], fault_at: str, ran_first: str
) -> None:
    action = setup(world)
    before = snapshot()
    with fault_before(fault_at) as ran, pytest.raises(InjectedFault):
        action()
    assert any(s.upper().startswith(ran_first.upper()) for s in ran), (
        f"{kind}: the fault came mid-way ({ran})"
    )
    assert snapshot() == before, f"{kind}: every table is as it was"
    # And the same action, without the fault, goes through whole.
    action()
    assert snapshot() != before
