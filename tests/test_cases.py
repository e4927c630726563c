"""One case on SQLite and PostgreSQL: saving the mapping against its version, conflicts that
name the colleague and carry their version, history as a field-level diff, the network,
the timeline, and scope."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from db import case_board, cases
from db.access import Actor
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    Action,
    AgendaItem,
    AuditEvent,
    CaseMapping,
    CaseMappingRevision,
    RelationshipCheckIn,
    RiskEntry,
    SupervisionSession,
)
from tests import factories


@pytest.fixture
def team(db: str) -> dict:
    riverside = factories.team("Riverside")
    northgate = factories.team("Northgate")
    actors = {
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}).actor(),
        "kim": factories.person("kim", "practitioner", {riverside: "practitioner"}).actor(),
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}).actor(),
        "nia": factories.person("nia", "practitioner", {northgate: "practitioner"}).actor(),
        "max": factories.person("max", "manager", {riverside: "manager"}).actor(),
        "tia": factories.person("tia", "trainer").actor(),
        "ada": factories.person("ada", "admin").actor(),
    }
    case_id = case_board.create_case(
        actors["pat"], riverside, reference="JT-07", lead_id=actors["pat"].person_id
    )
    return {"team_id": riverside, "case_id": case_id, **actors}


def test_first_save_creates_the_mapping_and_its_first_revision(team: dict) -> None:
    pat, cid = team["pat"], team["case_id"]
    assert cases.mapping(pat, cid).version == 0
    saved = cases.save_mapping(pat, cid, {"worries": " Home alone all day ", "scale": 4}, base_version=0)
    assert (saved.version, saved.changed, saved.warning) == (1, True, None)
    view = cases.mapping(pat, cid)
    assert view.version == 1 and view.fields["worries"] == "Home alone all day" and view.fields["scale"] == 4
    assert view.saved_by == "Pat Example"
    with session_scope() as s:
        (rev,) = s.exec(select(CaseMappingRevision).where(CaseMappingRevision.case_id == cid)).all()
        snapshot = json.loads(rev.snapshot)
        assert rev.version == 1 and rev.saved_by_id == pat.person_id
        assert set(snapshot) == set(cases.ALL_FIELDS) and snapshot["worries"] == "Home alone all day"
        assert (
            s.exec(select(AuditEvent).where(AuditEvent.record_type == "case_mapping")).one().action
            == "create"
        )


def test_a_stale_save_is_refused_naming_the_colleague_and_nothing_is_written(team: dict) -> None:
    pat, kim, cid = team["pat"], team["kim"], team["case_id"]
    cases.save_mapping(pat, cid, {"worries": "first"}, base_version=0)
    cases.save_mapping(kim, cid, {"worries": "Kim's version", "safety_goal": "Kim's goal"}, base_version=1)
    with pytest.raises(cases.MappingConflict) as refused:
        cases.save_mapping(pat, cid, {"worries": "Pat's stale edit"}, base_version=1)
    conflict = refused.value
    assert isinstance(conflict, EditConflict)
    assert conflict.saved_by == "Kim Example" and "Kim Example saved this mapping" in conflict.message
    assert conflict.version == 2
    assert conflict.theirs["worries"] == "Kim's version" and conflict.theirs["safety_goal"] == "Kim's goal"
    view = cases.mapping(pat, cid)
    assert view.version == 2 and view.fields["worries"] == "Kim's version"
    # Saving again against the version they have now seen goes through.
    assert cases.save_mapping(pat, cid, {"worries": "Merged"}, base_version=2).version == 3
    with pytest.raises(cases.MappingConflict):  # a first save when someone else already mapped it
        cases.save_mapping(kim, cid, {"worries": "x"}, base_version=0)


def test_two_saves_at_the_same_moment_one_wins_one_is_told(team: dict) -> None:
    pat, kim, cid = team["pat"], team["kim"], team["case_id"]
    cases.save_mapping(pat, cid, {"worries": "start"}, base_version=0)
    results: list[object] = []
    barrier = threading.Barrier(2)

    def save(actor: Actor, text: str) -> None:
        barrier.wait()
        try:
            results.append(cases.save_mapping(actor, cid, {"worries": text}, base_version=1))
        except cases.MappingConflict as conflict:
            results.append(conflict)

    threads = [threading.Thread(target=save, args=(a, t)) for a, t in ((pat, "pat"), (kim, "kim"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(type(r).__name__ for r in results) == ["MappingConflict", "Saved"]
    with session_scope() as s:
        versions = s.exec(select(CaseMappingRevision.version).where(CaseMappingRevision.case_id == cid)).all()
        assert sorted(versions) == [1, 2]
        assert s.exec(select(CaseMapping.version).where(CaseMapping.case_id == cid)).one() == 2


def test_history_lists_every_version_with_who_when_and_what_changed(team: dict) -> None:
    pat, kim, cid = team["pat"], team["kim"], team["case_id"]
    cases.save_mapping(pat, cid, {"worries": "A", "scale": 3}, base_version=0)
    cases.save_mapping(kim, cid, {"worries": "A, and more", "working_well": "Nan helps"}, base_version=1)
    same = cases.save_mapping(kim, cid, {"worries": "A, and more"}, base_version=2)
    assert not same.changed and same.version == 2  # nothing new: no new version
    cases.save_mapping(pat, cid, {"scale": 5, "plan": "Visit at home first"}, base_version=2)
    revisions = cases.history(pat, cid)
    assert [r.version for r in revisions] == [3, 2, 1]
    assert [r.saved_by for r in revisions] == ["Pat Example", "Kim Example", "Pat Example"]
    assert [r.scale for r in revisions] == [5, 3, 3]
    assert [(c.field, c.before, c.after) for c in revisions[0].changes] == [
        ("scale", 3, 5),
        ("plan", "", "Visit at home first"),
    ]
    assert [(c.field, c.before, c.after) for c in revisions[1].changes] == [
        ("worries", "A", "A, and more"),
        ("working_well", "", "Nan helps"),
    ]
    assert {c.field for c in revisions[2].changes} == {"worries", "scale"}
    assert all(isinstance(r.saved_at, datetime) and r.saved_at.tzinfo for r in revisions)


def test_free_text_that_may_identify_someone_is_kept_with_a_warning(team: dict) -> None:
    saved = cases.save_mapping(
        team["pat"],
        team["case_id"],
        {"worries": "Lives near M1 1AE", "plan": "Call 943 476 5919"},
        base_version=0,
    )
    assert saved.changed and saved.warning
    assert "a postcode" in saved.warning and "an NHS number" in saved.warning
    assert cases.mapping(team["pat"], team["case_id"]).fields["worries"] == "Lives near M1 1AE"


def test_mapping_checks_the_scale_and_length(team: dict) -> None:
    with pytest.raises(NotValid) as refused:
        cases.save_mapping(
            team["pat"], team["case_id"], {"scale": 11, "worries": "x" * (cases.MAX_TEXT + 1)}, base_version=0
        )
    assert set(refused.value.problems) == {"scale", "worries"}


def test_the_network_around_the_child(team: dict) -> None:
    pat, kim, cid = team["pat"], team["kim"], team["case_id"]
    assert cases.add_network_member(pat, cid, label="Nan", kind="family", relationship_strength=8) is None
    warning = cases.add_network_member(
        pat, cid, label="Jordan Smith", kind="professional", best_placed_for="School"
    )
    assert warning and "a full name" in warning
    people = cases.network(pat, cid)
    assert [p.label for p in people] == ["Nan", "Jordan Smith"]  # strongest relationship first
    nan = people[0]
    cases.update_network_member(
        kim,
        nan.member_id,
        label="Nan",
        kind="family",
        relationship_strength=9,
        best_placed_for="Sundays",
        version=1,
    )
    with pytest.raises(EditConflict, match="Kim Example changed this person's details"):
        cases.update_network_member(
            pat,
            nan.member_id,
            label="Nana",
            kind="family",
            relationship_strength=2,
            best_placed_for="",
            version=1,
        )
    assert cases.network(pat, cid)[0].relationship_strength == 9
    with pytest.raises(NotValid) as refused:
        cases.add_network_member(pat, cid, label="", kind="neighbour", relationship_strength=12)
    assert set(refused.value.problems) == {"label", "kind", "relationship_strength"}


def test_the_timeline_is_newest_first_and_holds_every_kind(team: dict) -> None:
    pat, cid, t = team["pat"], team["case_id"], team["team_id"]
    base = datetime(2026, 3, 1, 10, tzinfo=UTC)
    with session_scope(write=True) as s:
        session = SupervisionSession(team_id=t, scheduled_for=base, status="closed")
        s.add(session)
        s.flush()
        s.add(
            AgendaItem(
                session_id=session.id,
                case_id=cid,
                brought_by_id=pat.person_id,
                ask="How do I stay alongside Mum?",
            )
        )
        s.add(
            RelationshipCheckIn(
                case_id=cid,
                practitioner_id=pat.person_id,
                trust=6,
                feel_heard=5,
                what_matters=6,
                hope=5,
                created_at=base + timedelta(minutes=10),
            )
        )
        s.add(
            RiskEntry(
                thread_id=str(uuid.uuid4()),
                team_id=t,
                case_id=cid,
                raised_by_id=pat.person_id,
                worry="Home alone all day",
                whose_risk="both",
                review_on=date(2026, 3, 20),
                created_by_id=pat.person_id,
                created_at=base + timedelta(minutes=20),
            )
        )
        s.add(
            Action(
                team_id=t,
                case_id=cid,
                description="Visit Mum at home",
                owner_id=pat.person_id,
                due_on=date(2026, 3, 8),
                created_at=base + timedelta(minutes=30),
            )
        )
    cases.save_mapping(pat, cid, {"worries": "Now"}, base_version=0)
    events = cases.timeline(pat, cid)
    assert [e.kind for e in events] == ["mapping", "action", "risk", "check_in", "discussion"]
    assert all(a.at >= b.at for a, b in zip(events, events[1:], strict=False))
    assert "How do I stay alongside Mum?" in events[-1].detail
    assert events[0].detail.startswith("Changed: worries")
    assert len(cases.timeline(pat, cid, limit=2)) == 2


def test_scope_each_role_reaches_exactly_its_teams_cases(team: dict) -> None:
    cid = team["case_id"]
    cases.save_mapping(team["pat"], cid, {"worries": "W"}, base_version=0)
    for who in ("pat", "kim", "sam", "max"):
        assert cases.case_detail(team[who], cid).reference == "JT-07"
        assert cases.mapping(team[who], cid).fields["worries"] == "W"
        assert cases.history(team[who], cid) and cases.timeline(team[who], cid)
    assert cases.case_detail(team["max"], cid).can_edit is False
    with pytest.raises(NotAllowed):
        cases.save_mapping(team["max"], cid, {"worries": "manager"}, base_version=1)
    with pytest.raises(NotAllowed):
        cases.add_network_member(team["max"], cid, label="Nan", kind="family")
    for who in ("nia", "tia", "ada"):
        for read in (cases.case_detail, cases.mapping, cases.history, cases.network, cases.timeline):
            with pytest.raises(NotAllowed):
                read(team[who], cid)
        with pytest.raises(NotAllowed):
            cases.save_mapping(team[who], cid, {"worries": "x"}, base_version=1)
    with pytest.raises(NotAllowed):  # a case that isn't there reads the same as one out of reach
        cases.case_detail(team["pat"], 999_999)
