"""The demo workspace: what it promises a newcomer, loaded once, the same every time."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import SQLModel, col, func, select

from db import accounts, credentials
from db.engine import dispose_engines, make_engine, session_scope
from db.migrate import upgrade
from db.models import (
    REVIEW_NEXT,
    REVIEW_OUTCOMES,
    ROLES,
    Action,
    AgendaItem,
    ArrivalCheckIn,
    Case,
    CaseMapping,
    CaseMappingRevision,
    ClosingCheckIn,
    Membership,
    NetworkMember,
    Person,
    RelationshipCheckIn,
    RiskEntry,
    RiskHolder,
    RiskReview,
    SupervisionSession,
    Team,
)
from db.seed.demo import DEMO_PASSWORD, DEMO_SIGNINS, DEMO_TEAM, SECOND_TEAM, load_demo

TODAY = date(2026, 3, 11)  # a Wednesday


def _team(s, name: str) -> Team:
    team = s.exec(select(Team).where(Team.name == name)).one()
    return team


def _latest_revisions(s, team_id: int) -> list[RiskEntry]:
    latest: dict[str, RiskEntry] = {}
    for entry in s.exec(
        select(RiskEntry).where(RiskEntry.team_id == team_id).order_by(col(RiskEntry.revision))
    ).all():
        latest[entry.thread_id] = entry
    return list(latest.values())


def _row_counts() -> dict[str, int]:
    with session_scope() as s:
        return {
            table.name: int(s.exec(select(func.count()).select_from(table)).one())
            for table in SQLModel.metadata.sorted_tables
            if table.name not in ("audit_event", "alembic_version")
        }


def _fingerprint() -> dict[str, list]:
    """What must come out the same on any database: references, scores and risk threads."""
    with session_scope() as s:

        def ordered(model, *fields):
            rows = s.exec(
                select(*fields, col(Person.username), col(SupervisionSession.scheduled_for))  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                .join(Person, Person.id == model.person_id)
                .join(SupervisionSession, SupervisionSession.id == model.session_id)
            ).all()
            return sorted((str(at), who, *values) for *values, who, at in rows)

        return {
            "cases": sorted(
                s.exec(select(col(Case.reference), col(Case.status), col(Case.opened_on), col(Case.next_review_on))).all()
            ),
            "arrival": ordered(
                ArrivalCheckIn, ArrivalCheckIn.score, ArrivalCheckIn.word, ArrivalCheckIn.needs_team
            ),
            "closing": ordered(
                ClosingCheckIn,
                ClosingCheckIn.felt_heard,
                ClosingCheckIn.helped_my_work,
                ClosingCheckIn.held_my_worries,
            ),
            "relationship": sorted(
                (str(at), ref, t, h, m, hp)
                for ref, at, t, h, m, hp in s.exec(
                    select(  # type: ignore[call-overload]  # SQLModel's select() overloads stop at four columns or at labelled expressions
                        col(Case.reference),
                        col(RelationshipCheckIn.created_at),
                        col(RelationshipCheckIn.trust),
                        col(RelationshipCheckIn.feel_heard),
                        col(RelationshipCheckIn.what_matters),
                        col(RelationshipCheckIn.hope),
                    ).join(Case, Case.id == RelationshipCheckIn.case_id)
                ).all()
            ),
            "risks": sorted(
                s.exec(select(col(RiskEntry.thread_id), col(RiskEntry.revision), col(RiskEntry.review_on))).all()
            ),
        }


def test_load_builds_the_promised_riverside_team(db: str) -> None:
    summary = load_demo(today=TODAY)
    assert summary.created and summary.teams == 2 and summary.people >= 13
    with session_scope() as s:
        team = _team(s, DEMO_TEAM)
        roles = s.exec(
            select(Person.role, Membership.role)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(Membership.team_id == team.id)
        ).all()
        assert roles.count(("supervisor", "supervisor")) == 1
        assert roles.count(("practitioner", "practitioner")) == 6
        assert roles.count(("manager", "manager")) == 1

        cases = s.exec(select(Case).where(Case.team_id == team.id)).all()
        assert 20 <= sum(c.status != "closed" for c in cases) <= 30
        assert 2 <= sum(c.status == "closed" for c in cases) <= 3
        assert any(c.best_relationship_person_id not in (None, c.lead_practitioner_id) for c in cases)

        sessions = s.exec(select(SupervisionSession).where(SupervisionSession.team_id == team.id)).all()
        closed = [x for x in sessions if x.status == "closed"]
        planned = [x for x in sessions if x.status == "planned"]
        assert len(closed) >= 8 and all(x.closed_at and x.scheduled_for.date() <= TODAY for x in closed)
        assert len(planned) == 1 and 0 < (planned[0].scheduled_for.date() - TODAY).days <= 7
        assert planned[0].scheduled_for.tzinfo is not None
        for session in closed:
            items = s.exec(select(func.count()).where(AgendaItem.session_id == session.id)).one()
            assert 3 <= items <= 5

        # Every risk thread is held by at least two people, in its newest revision.
        latest = _latest_revisions(s, team.id)
        assert len(latest) >= 8
        for entry in latest:
            holders = s.exec(select(func.count()).where(RiskHolder.risk_entry_id == entry.id)).one()
            assert holders >= 2, entry.worry
        reviews = s.exec(
            select(RiskReview).where(col(RiskReview.thread_id).in_([e.thread_id for e in latest]))
        ).all()
        assert {r.what_happened for r in reviews} == set(REVIEW_OUTCOMES)
        assert {r.next_step for r in reviews} == set(REVIEW_NEXT)
        closing = {r.thread_id for r in reviews if r.next_step == "close"}
        assert all(e.status == "closed" for e in latest if e.thread_id in closing)
        open_ = [e for e in latest if e.status == "open"]
        assert any(e.review_on < TODAY for e in open_), "one open risk's review should be overdue"
        assert any(TODAY <= e.review_on <= TODAY + timedelta(days=7) for e in open_), (
            "one review due this week"
        )
        assert any(e.needs_manager and e.manager_agreed_by_id for e in latest)

        # Relationship check-ins: a drop of two or more somewhere, and a case at the top.
        by_case: dict[int, list[RelationshipCheckIn]] = {}
        for row in s.exec(select(RelationshipCheckIn).order_by(col(RelationshipCheckIn.created_at))).all():
            by_case.setdefault(row.case_id, []).append(row)
        scales = ("trust", "feel_heard", "what_matters", "hope")
        drops = [
            (a.case_id, scale)
            for rows in by_case.values()
            for a, b in zip(rows, rows[1:], strict=False)
            for scale in scales
            if getattr(a, scale) - getattr(b, scale) >= 2
        ]
        assert drops
        assert any(all(getattr(r, i) == 10 for i in scales) for rows in by_case.values() for r in rows)

        # Mappings: versions line up with their saved revisions.
        for mapping in s.exec(select(CaseMapping)).all():
            versions = s.exec(
                select(CaseMappingRevision.version).where(CaseMappingRevision.case_id == mapping.case_id)
            ).all()
            assert sorted(versions) == list(range(1, mapping.version + 1))
        assert 8 <= len(s.exec(select(CaseMapping)).all()) <= 12
        assert s.exec(select(func.count()).select_from(NetworkMember)).one() >= 10

        statuses = set(s.exec(select(Action.status).where(Action.team_id == team.id)).all())
        assert statuses == {"open", "done", "carried_over", "dropped"}
        carried = s.exec(select(Action).where(col(Action.carried_from_id).is_not(None))).all()
        assert carried and all(s.get(Action, a.carried_from_id).status == "carried_over" for a in carried)  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def test_riverside_people_are_not_in_northgate(db: str) -> None:
    load_demo(today=TODAY)
    with session_scope() as s:
        riverside, northgate = _team(s, DEMO_TEAM), _team(s, SECOND_TEAM)

        def members(team: Team) -> set[str]:
            return set(
                s.exec(
                    select(Person.username)
                    .join(Membership, col(Membership.person_id) == col(Person.id))
                    .where(Membership.team_id == team.id, Person.role != "manager")
                ).all()
            )

        assert members(riverside) and members(northgate)
        assert not members(riverside) & members(northgate)
        assert 4 <= s.exec(select(func.count()).where(Case.team_id == northgate.id)).one() <= 6


def test_second_load_does_nothing(db: str) -> None:
    first = load_demo(today=TODAY)
    before = _row_counts()
    again = load_demo(today=TODAY + timedelta(days=3))
    assert not again.created
    assert (again.teams, again.people, again.cases, again.sessions) == (
        first.teams,
        first.people,
        first.cases,
        first.sessions,
    )
    assert _row_counts() == before


def test_same_day_gives_the_same_demo_on_another_database(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_demo(today=TODAY)
    first = _fingerprint()
    other = tmp_path / "other.db"
    engine = make_engine(f"sqlite:///{other}")
    upgrade(engine)
    engine.dispose()
    dispose_engines()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{other}")
    load_demo(today=TODAY)
    assert _fingerprint() == first


def test_case_references_are_never_names(db: str) -> None:
    load_demo(today=TODAY)
    with session_scope() as s:
        references = s.exec(select(Case.reference)).all()
    assert references
    for reference in references:
        assert not re.search(r"[A-Z][a-z]+\s+[A-Z][a-z]+", reference), reference
        assert re.fullmatch(r"[A-Z]{2}-\d{2,4}", reference), reference


def test_every_demo_account_can_sign_in(db: str) -> None:
    load_demo(today=TODAY)
    assert {d.role for d in DEMO_SIGNINS} == set(ROLES)
    assert len(DEMO_PASSWORD) >= credentials.MIN_PASSWORD
    with session_scope() as s:
        for demo in DEMO_SIGNINS:
            person = s.exec(select(Person).where(Person.username == demo.username)).one()
            assert (person.role, person.display_name) == (demo.role, demo.display_name)
    for demo in DEMO_SIGNINS:
        assert accounts.sign_in(demo.username, DEMO_PASSWORD).ok, demo.username


# Words the practice is leaving behind (LANGUAGE.md); the demo should model the kinder ones.
_UNKIND = re.compile(
    r"\b(placements?|placed (?:with|in)|contact|LAC|abscond\w*|engage\w*|non-?complian\w*|respite|attention.seeking|"
    r"manipulative|challenging behaviour|hard to reach|service users?|caseload|disclos\w+|risky behaviour|"
    r"peers|siblings?|handed over|piece of work)\b",
    re.IGNORECASE,
)


def test_demo_text_uses_the_practices_words(db: str) -> None:
    load_demo(today=TODAY)
    texts: list[str] = []
    with session_scope() as s:
        for model in (
            AgendaItem,
            RelationshipCheckIn,
            RiskEntry,
            RiskReview,
            CaseMapping,
            Action,
            NetworkMember,
            Team,
        ):
            for row in s.exec(select(model)).all():
                texts += [v for v in row.model_dump().values() if isinstance(v, str)]
    found = sorted({m.group(0) for t in texts for m in _UNKIND.finditer(t)})
    assert found == []


@pytest.mark.parametrize("offset", range(7))
def test_this_week_always_has_a_planned_session(sqlite_db: str, offset: int) -> None:
    today = TODAY + timedelta(days=offset)
    load_demo(today=today)
    with session_scope() as s:
        for session in s.exec(select(SupervisionSession)).all():
            day = session.scheduled_for.date()
            if session.status == "closed":
                assert day <= today
            else:
                assert session.status == "planned" and today < day <= today + timedelta(days=7)
        riverside = _team(s, DEMO_TEAM)
        planned = s.exec(
            select(SupervisionSession).where(
                SupervisionSession.team_id == riverside.id, SupervisionSession.status == "planned"
            )
        ).all()
        assert len(planned) == 1
