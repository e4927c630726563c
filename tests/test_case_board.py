"""The board's queries on SQLite and PostgreSQL: cards and their figures, grouping, filters,
paging, the "not talked about lately" signal, case changes, and role and team scope."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from db import case_board
from db.access import Actor
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.models import (
    AgendaItem,
    Case,
    CaseMapping,
    Membership,
    RelationshipCheckIn,
    RiskEntry,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.seed.demo import DEMO_PASSWORD, DEMO_TEAM, SECOND_TEAM, load_demo
from tests import factories

TODAY = date(2026, 3, 11)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def two_teams(db: str) -> dict:
    """Riverside with a supervisor, two practitioners and a manager; Northgate next door."""
    riverside = factories.team("Riverside")
    northgate = factories.team("Northgate")
    people = {
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "kim": factories.person("kim", "practitioner", {riverside: "practitioner"}),
        "nia": factories.person("nia", "practitioner", {northgate: "practitioner"}),
        "max": factories.person("max", "manager", {riverside: "manager", northgate: "manager"}),
        "tia": factories.person("tia", "trainer"),
        "ada": factories.person("ada", "admin"),
    }
    return {"riverside": riverside, "northgate": northgate, **{k: v.actor() for k, v in people.items()}}


def _case(team_id: int, reference: str, lead: Actor, status: str = "active", opened: date = TODAY) -> int:
    with session_scope(write=True) as s:
        c = Case(
            team_id=team_id,
            reference=reference,
            status=status,
            lead_practitioner_id=lead.person_id,
            opened_on=opened,
        )
        s.add(c)
        s.flush()
        return int(c.id)


def test_a_card_carries_what_the_team_needs_to_see(two_teams: dict) -> None:
    t, pat, kim = two_teams["riverside"], two_teams["pat"], two_teams["kim"]
    cid = _case(t, "JT-07", pat, opened=TODAY - timedelta(weeks=20))
    with session_scope(write=True) as s:
        s.get(Case, cid).best_relationship_person_id = kim.person_id  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        s.get(Case, cid).next_review_on = TODAY + timedelta(days=5)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
        for day, score in ((TODAY - timedelta(days=20), 4), (TODAY - timedelta(days=6), 7)):
            s.add(
                RelationshipCheckIn(
                    case_id=cid,
                    practitioner_id=pat.person_id,
                    trust=score,
                    feel_heard=score,
                    what_matters=score,
                    hope=score,
                    created_at=_at(day),
                )
            )
        s.add(CaseMapping(case_id=cid, scale=6))
        session = SupervisionSession(team_id=t, scheduled_for=_at(TODAY - timedelta(days=6)), status="closed")
        s.add(session)
        s.flush()
        s.add(AgendaItem(session_id=session.id, case_id=cid, brought_by_id=pat.person_id))
        for worry, closed_by_review in (("held", False), ("closed at review", True), ("still held", False)):
            thread = str(uuid.uuid4())
            s.add(
                RiskEntry(
                    thread_id=thread,
                    team_id=t,
                    case_id=cid,
                    raised_by_id=pat.person_id,
                    worry=worry,
                    whose_risk="both",
                    review_on=TODAY,
                    created_by_id=pat.person_id,
                )
            )
            if closed_by_review:
                s.add(
                    RiskReview(
                        thread_id=thread,
                        reviewed_by_id=pat.person_id,
                        what_happened="as_feared",
                        next_step="close",
                    )
                )
        # A corrected risk counts once, as its newest revision; a closing revision closes it.
        thread = str(uuid.uuid4())
        for revision, status in ((1, "open"), (2, "closed")):
            s.add(
                RiskEntry(
                    thread_id=thread,
                    revision=revision,
                    team_id=t,
                    case_id=cid,
                    raised_by_id=pat.person_id,
                    worry="closed by a revision",
                    whose_risk="both",
                    review_on=TODAY,
                    status=status,
                    created_by_id=pat.person_id,
                )
            )
    page = case_board.board(pat, t, today=TODAY)
    (card,) = page.cards
    assert (card.reference, card.lead_name, card.best_name) == ("JT-07", "Pat Example", "Kim Example")
    assert card.check_in_score == 7 and card.check_in_change == 3 and card.trend == "up"
    assert card.check_in_on == TODAY - timedelta(days=6)
    assert card.scale == 6
    assert card.risks_held == 2
    assert card.last_discussed == TODAY - timedelta(days=6) and not card.quiet
    assert card.next_review_on == TODAY + timedelta(days=5) and not card.review_due(TODAY)
    assert card.status_label == "Active"


def test_not_talked_about_for_the_teams_weeks_is_flagged(two_teams: dict) -> None:
    t, pat = two_teams["riverside"], two_teams["pat"]
    never = _case(t, "AA-01", pat, opened=TODAY - timedelta(weeks=10))
    recent_new = _case(t, "AA-02", pat, opened=TODAY - timedelta(days=3))
    long_ago = _case(t, "AA-03", pat, opened=TODAY - timedelta(weeks=30))
    lately = _case(t, "AA-04", pat, opened=TODAY - timedelta(weeks=30))
    _case(t, "AA-05", pat, status="closed", opened=TODAY - timedelta(weeks=30))
    with session_scope(write=True) as s:
        for case_id, weeks_ago, status in (
            (long_ago, 6, "closed"),
            (lately, 1, "closed"),
            (recent_new, 0, "planned"),
        ):
            session = SupervisionSession(
                team_id=t, scheduled_for=_at(TODAY - timedelta(weeks=weeks_ago)), status=status
            )
            s.add(session)
            s.flush()
            s.add(AgendaItem(session_id=session.id, case_id=case_id, brought_by_id=pat.person_id))
    page = case_board.board(pat, t, today=TODAY)
    assert {c.case_id for c in page.cards if c.quiet} == {never, long_ago}
    assert page.quiet_count == 2
    only = case_board.board(pat, t, quiet_only=True, today=TODAY)
    assert {c.case_id for c in only.cards} == {never, long_ago} and only.total == 2
    # The supervisor gives the team more time: six weeks is not yet seven.
    sam = two_teams["sam"]
    settings = case_board.board_settings(sam, t)
    case_board.save_board_settings(sam, t, labels={}, not_discussed_weeks=7, version=settings.version)
    assert {c.case_id for c in case_board.board(pat, t, today=TODAY).cards if c.quiet} == {never}


def test_grouping_filters_search_and_paging(two_teams: dict) -> None:
    t, pat, kim = two_teams["riverside"], two_teams["pat"], two_teams["kim"]
    statuses = ("new", "active", "stuck", "stepping_down")
    for i in range(30):
        _case(t, f"RB-{1000 + i}", pat if i % 3 else kim, status=statuses[i % 4])
    _case(t, "RB-0999", pat, status="closed")
    _case(two_teams["northgate"], "NG-01", two_teams["nia"])

    first = case_board.board(pat, t, page_size=12)
    assert (first.total, first.pages, len(first.cards)) == (30, 3, 12)
    order = [case_board.CASE_STATUSES.index(c.status) for c in first.cards]
    assert order == sorted(order)
    last = case_board.board(pat, t, page_size=12, page=99)  # past the end: the last page
    assert last.page == 3 and len(last.cards) == 6
    everything = [
        c.reference for p in (1, 2, 3) for c in case_board.board(pat, t, page_size=12, page=p).cards
    ]
    assert len(set(everything)) == 30 and "RB-0999" not in everything and "NG-01" not in everything

    with_closed = case_board.board(pat, t, statuses=case_board.CASE_STATUSES)
    assert with_closed.total == 31
    stuck = case_board.board(pat, t, statuses=("stuck",))
    assert stuck.total == 7 and {c.status for c in stuck.cards} == {"stuck"}
    assert first.status_counts == {"new": 8, "active": 8, "stuck": 7, "stepping_down": 7, "closed": 1}

    kims = case_board.board(pat, t, lead_id=kim.person_id)
    assert kims.total == 10 and {c.lead_name for c in kims.cards} == {"Kim Example"}
    by_person = case_board.board(pat, t, group_by="practitioner")
    assert [heading for heading, _ in by_person.grouped] == ["Kim Example", "Pat Example"]

    assert [c.reference for c in case_board.board(pat, t, search="rb-101").cards] == [
        f"RB-{n}"
        for n in sorted(range(1010, 1020), key=lambda n: (statuses.index(statuses[(n - 1000) % 4]), n))
    ]
    assert case_board.board(pat, t, search="kim").total == 10  # a colleague's name finds their cases
    assert case_board.board(pat, t, search="%").total == 0  # wildcards are searched for, not obeyed
    assert case_board.board(pat, t, search="NG-01").total == 0


def test_the_team_renames_its_statuses(two_teams: dict) -> None:
    t, sam, pat = two_teams["riverside"], two_teams["sam"], two_teams["pat"]
    _case(t, "AB-12", pat, status="stuck")
    settings = case_board.board_settings(sam, t)
    case_board.save_board_settings(
        sam,
        t,
        labels={"stuck": "Needs fresh eyes", "active": "Active"},
        not_discussed_weeks=4,
        version=settings.version,
    )
    with session_scope() as s:
        assert json.loads(s.get(Team, t).status_labels) == {"stuck": "Needs fresh eyes"}  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    page = case_board.board(pat, t)
    assert page.cards[0].status_label == "Needs fresh eyes"
    assert page.grouped[0][0] == "Needs fresh eyes"
    with pytest.raises(EditConflict, match="Sam Example changed the board's settings"):
        case_board.save_board_settings(sam, t, labels={}, not_discussed_weeks=5, version=settings.version)
    with pytest.raises(NotValid) as refused:
        case_board.save_board_settings(
            sam, t, labels={"new": "x" * 31}, not_discussed_weeks=0, version=settings.version + 1
        )
    assert set(refused.value.problems) == {"label_new", "not_discussed_weeks"}
    for someone in ("pat", "max"):
        with pytest.raises(NotAllowed):
            case_board.save_board_settings(
                two_teams[someone], t, labels={}, not_discussed_weeks=4, version=settings.version + 1
            )


def test_creating_and_changing_a_case(two_teams: dict) -> None:
    t, pat, kim = two_teams["riverside"], two_teams["pat"], two_teams["kim"]
    cid = case_board.create_case(pat, t, reference=" KM-12 ", lead_id=kim.person_id, status="new")
    with session_scope() as s:
        made = s.get(Case, cid)
        assert made is not None and (made.reference, made.lead_practitioner_id) == ("KM-12", kim.person_id)
    with pytest.raises(NotValid) as refused:
        case_board.create_case(pat, t, reference="KM-12", lead_id=two_teams["nia"].person_id)
    assert set(refused.value.problems) == {"reference", "lead_id"}
    assert "already has a case" in refused.value.problems["reference"]

    new_version = case_board.update_case(
        pat,
        cid,
        status="closed",
        lead_id=pat.person_id,
        best_id=kim.person_id,
        next_review_on=None,
        version=1,
    )
    with session_scope() as s:
        changed = s.get(Case, cid)
        assert changed is not None
        assert (changed.status, changed.version, changed.best_relationship_person_id) == (
            "closed",
            2,
            kim.person_id,
        )
        assert changed.closed_on is not None and new_version == 2
    with pytest.raises(EditConflict, match="Pat Example changed this case's details") as conflict:
        case_board.update_case(
            kim, cid, status="active", lead_id=kim.person_id, best_id=None, next_review_on=None, version=1
        )
    assert conflict.value.theirs["Lead practitioner"] == "Pat Example"
    with session_scope() as s:
        assert s.get(Case, cid).status == "closed"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def test_only_the_teams_own_people_create_and_change_cases(two_teams: dict) -> None:
    t, pat = two_teams["riverside"], two_teams["pat"]
    cid = _case(t, "AB-12", pat)
    for someone in ("max", "nia", "tia", "ada"):
        with pytest.raises(NotAllowed):
            case_board.create_case(two_teams[someone], t, reference="ZZ-01", lead_id=pat.person_id)
        with pytest.raises(NotAllowed):
            case_board.update_case(
                two_teams[someone],
                cid,
                status="stuck",
                lead_id=pat.person_id,
                best_id=None,
                next_review_on=None,
                version=1,
            )


def test_each_role_sees_exactly_its_teams_boards(two_teams: dict) -> None:
    r, n = two_teams["riverside"], two_teams["northgate"]
    _case(r, "RS-01", two_teams["pat"])
    _case(n, "NG-01", two_teams["nia"])
    seen = {
        who: {c.team_id for c in case_board.teams(two_teams[who])}
        for who in ("sam", "pat", "nia", "max", "tia", "ada")
    }
    assert seen == {"sam": {r}, "pat": {r}, "nia": {n}, "max": {r, n}, "tia": set(), "ada": set()}
    assert [c.reference for c in case_board.board(two_teams["pat"], r).cards] == ["RS-01"]
    assert [c.reference for c in case_board.board(two_teams["max"], n).cards] == ["NG-01"]
    assert not case_board.board(two_teams["max"], n).can_edit
    for who, team in (("pat", n), ("nia", r), ("tia", r), ("ada", n)):
        with pytest.raises(NotAllowed):
            case_board.board(two_teams[who], team)
    # Someone who has left the team loses the board at once.
    with session_scope(write=True) as s:
        s.delete(s.exec(select(Membership).where(Membership.person_id == two_teams["pat"].person_id)).one())
    gone = factories.Someone(two_teams["pat"].person_id, "pat", "")
    with pytest.raises(NotAllowed):
        case_board.board(Actor(gone.person_id, "pat", "Pat Example", "practitioner", memberships=()), r)


def test_the_demo_board(db: str) -> None:
    load_demo(today=TODAY)
    from db import accounts

    hannah = accounts.actor_for_token(accounts.sign_in("hannah", DEMO_PASSWORD).token)
    assert hannah is not None
    grace = accounts.actor_for_token(accounts.sign_in("grace", DEMO_PASSWORD).token)
    assert hannah and grace
    (riverside,) = case_board.teams(hannah)
    assert riverside.name == DEMO_TEAM and riverside.can_set_up
    page = case_board.board(hannah, riverside.team_id, today=TODAY)
    assert 20 <= page.total <= 30 and len(page.cards) == min(case_board.PAGE_SIZE, page.total)
    assert page.settings.label("stuck") == "Needs fresh eyes"
    assert page.quiet_count >= 1
    assert any(c.risks_held for c in page.cards) and any(c.trend == "down" for c in page.cards)
    (northgate,) = case_board.teams(grace)
    assert northgate.name == SECOND_TEAM
    theirs = {c.reference for c in case_board.board(grace, northgate.team_id, today=TODAY).cards}
    assert theirs and not theirs & {c.reference for c in page.cards}
