"""Supervision agreements and how often people are supervised, through the data layer on
SQLite and PostgreSQL: drafted from the council's template, agreed by both with the date,
earlier revisions kept, stale edits refused, who sees what; who is due or overdue; the
share supervised within their agreed frequency by month, planned against held, and newly
qualified staff against their own frequency."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest

from db import agreements, clock, data_protection, supervision_frequency
from db.engine import session_scope
from db.errors import EditConflict, NotAllowed, NotValid
from db.supervision_models import OneToOne
from tests import factories


@pytest.fixture
def team(db: str):
    team = factories.team("Riverside")
    other = factories.team("Northgate")
    return {
        "team": team,
        "sup": factories.person("hannah", "supervisor", {team: "supervisor"}),
        "prac": factories.person("priya", "practitioner", {team: "practitioner"}),
        "colleague": factories.person("tom", "practitioner", {team: "practitioner"}),
        "manager": factories.person("marcus", "manager", {team: "manager"}),
        "stranger": factories.person("grace", "supervisor", {other: "supervisor"}),
        "admin": factories.person("alex", "admin"),
        "trainer": factories.person("ruth", "trainer", {team: "practitioner"}),
    }


def _terms(view: agreements.AgreementView, **changes: str) -> dict[str, str]:
    return {**view.terms, **changes}


def test_drafted_from_the_councils_template_as_the_admin_last_saved_it(team) -> None:
    admin, sup = team["admin"].actor(), team["sup"].actor()
    tpl = agreements.template(admin)
    assert tpl.version == 0 and "tell you first" in str(tpl.fields["confidentiality"])
    fields = {**tpl.fields, "where_we_meet": "Room 2 at the family hub", "one_to_one_every_weeks": 3}
    agreements.save_template(admin, fields, version=0)
    with pytest.raises(EditConflict):  # someone else's older copy
        agreements.save_template(admin, fields, version=0)
    with pytest.raises(NotAllowed):
        agreements.save_template(sup, fields, version=1)
    for who in ("prac", "manager", "trainer"):
        with pytest.raises(NotAllowed):
            agreements.template(team[who].actor())
    aid = agreements.draft(sup, team["prac"].person_id)
    view = agreements.agreement(sup, aid)
    assert (view.terms["where_we_meet"], view.one_to_one_every_weeks, view.status) == (
        "Room 2 at the family hub",
        3,
        "draft",
    )


def test_both_agree_with_the_date_and_changing_the_words_clears_an_agreement(team) -> None:
    sup, prac = team["sup"].actor(), team["prac"].actor()
    aid = agreements.draft(sup, team["prac"].person_id, first_year_until=clock.today() + timedelta(days=200))
    view = agreements.agreement(prac, aid)
    assert view.first_year_until == clock.today() + timedelta(days=200)
    assert agreements.agree(sup, aid, version=view.version) is False
    view = agreements.agreement(prac, aid)
    assert view.supervisor_agreed_on == clock.today()
    # Priya changes the words: Hannah's agreement no longer stands for them.
    agreements.update(
        prac,
        aid,
        terms=_terms(view, practitioner_brings="My cases, and my learning log"),
        one_to_one_every_weeks=4,
        group_every_weeks=1,
        first_year_until=view.first_year_until,
        first_year_every_weeks=2,
        version=view.version,
    )
    # Hannah's copy is now stale: refused, naming who could have saved, showing what is saved.
    with pytest.raises(EditConflict) as conflict:
        agreements.update(
            sup, aid, terms=view.terms, one_to_one_every_weeks=4, group_every_weeks=1, version=view.version
        )
    assert conflict.value.theirs["What the practitioner brings"] == "My cases, and my learning log"
    view = agreements.agreement(sup, aid)
    assert view.supervisor_agreed_on is None
    assert agreements.agree(prac, aid, version=view.version) is False
    view = agreements.agreement(sup, aid)
    assert agreements.agree(sup, aid, version=view.version) is True
    agreed = agreements.agreement(prac, aid)
    assert (agreed.status, agreed.practitioner_agreed_on, agreed.supervisor_agreed_on) == (
        "agreed",
        clock.today(),
        clock.today(),
    )
    assert agreed.review_on == clock.today() + timedelta(days=365)
    with pytest.raises(NotValid):  # kept as agreed; a review makes a new revision
        agreements.update(
            prac,
            aid,
            terms=agreed.terms,
            one_to_one_every_weeks=4,
            group_every_weeks=1,
            version=agreed.version,
        )


def test_a_review_keeps_the_earlier_revision(team) -> None:
    sup, prac = team["sup"].actor(), team["prac"].actor()
    first = agreements.draft(sup, team["prac"].person_id)
    for who in (sup, prac):
        agreements.agree(who, first, version=agreements.agreement(who, first).version)
    second = agreements.draft(sup, team["prac"].person_id)
    with pytest.raises(NotValid):  # one draft at a time
        agreements.draft(sup, team["prac"].person_id)
    v = agreements.agreement(sup, second)
    agreements.update(
        sup,
        second,
        terms=_terms(v, where_we_meet="Walking by the river"),
        one_to_one_every_weeks=6,
        group_every_weeks=2,
        version=v.version,
    )
    for who in (sup, prac):
        agreements.agree(who, second, version=agreements.agreement(who, second).version)
    revs = agreements.revisions(prac)
    assert [(r.revision, r.status) for r in revs] == [(2, "agreed"), (1, "superseded")]
    assert revs[0].terms["where_we_meet"] == "Walking by the river"
    assert revs[1].terms["where_we_meet"] != "Walking by the river"


def test_who_sees_an_agreement(team) -> None:
    aid = agreements.draft(team["sup"].actor(), team["prac"].person_id)
    assert agreements.agreement(team["prac"].actor(), aid).practitioner == "Priya Example"
    for who in ("colleague", "manager", "stranger", "admin", "trainer"):
        with pytest.raises(NotAllowed):
            agreements.agreement(team[who].actor(), aid)
        with pytest.raises(NotAllowed):
            agreements.revisions(team[who].actor(), team["prac"].person_id)
    with pytest.raises(NotAllowed):
        agreements.draft(team["stranger"].actor(), team["prac"].person_id)
    with pytest.raises(NotAllowed):
        agreements.agree(team["colleague"].actor(), aid, version=1)
    # Subject access still finds it.
    found = json.loads(data_protection.subject_access_json(team["admin"].actor(), team["prac"].person_id))
    assert [r["id"] for r in found["tables"]["supervision_agreement.practitioner_id"]] == [aid]


def _held(team_id: int, practitioner_id: int, supervisor_id: int, day: date, status: str = "closed") -> None:
    when = clock.from_local(day, time(10))
    with session_scope(write=True) as s:
        s.add(
            OneToOne(
                team_id=team_id,
                practitioner_id=practitioner_id,
                supervisor_id=supervisor_id,
                scheduled_for=when,
                status=status,
                closed_at=when if status == "closed" else None,
                created_by_id=supervisor_id,
            )
        )


def _agree(team, who: str, *, agreed_on: date, every: int = 4, first_year_until: date | None = None) -> None:
    from db.supervision_models import SupervisionAgreement

    with session_scope(write=True) as s:
        s.add(
            SupervisionAgreement(
                practitioner_id=team[who].person_id,
                supervisor_id=team["sup"].person_id,
                team_id=team["team"],
                status="agreed",
                one_to_one_every_weeks=every,
                first_year_until=first_year_until,
                first_year_every_weeks=2 if first_year_until else None,
                practitioner_agreed_on=agreed_on,
                supervisor_agreed_on=agreed_on,
                review_on=agreed_on + timedelta(days=365),
                created_by_id=team["sup"].person_id,
            )
        )


def test_home_shows_who_is_due_and_who_is_overdue(team) -> None:
    today = date(2026, 6, 15)
    start = today - timedelta(days=200)
    _agree(team, "prac", agreed_on=start)
    _agree(team, "colleague", agreed_on=start, first_year_until=today + timedelta(days=100))
    t, sup = team["team"], team["sup"].person_id
    _held(t, team["prac"].person_id, sup, today - timedelta(days=20))  # due in 8 days: due soon
    _held(t, team["colleague"].person_id, sup, today - timedelta(days=20))  # every 2 weeks: overdue
    _held(t, team["prac"].person_id, sup, today + timedelta(days=7), status="planned")
    lines = {d.name: d for d in supervision_frequency.due_for_supervisor(team["sup"].actor(), today=today)}
    assert lines["Tom Example"].state == "overdue" and lines["Tom Example"].first_year
    assert lines["Tom Example"].due_on == today - timedelta(days=6)
    assert lines["Priya Example"].state == "due"
    assert lines["Priya Example"].next_planned == today + timedelta(days=7)
    for who in ("prac", "manager", "admin"):
        with pytest.raises(NotAllowed):
            supervision_frequency.due_for_supervisor(team[who].actor(), today=today)


def test_insights_share_within_frequency_planned_against_held_and_newly_qualified(team) -> None:
    today = date(2026, 6, 15)
    t, sup = team["team"], team["sup"].person_id
    _agree(team, "prac", agreed_on=date(2026, 1, 1))
    _agree(team, "colleague", agreed_on=date(2026, 1, 1), first_year_until=date(2026, 12, 31))
    _held(t, team["prac"].person_id, sup, date(2026, 5, 10))
    _held(t, team["colleague"].person_id, sup, date(2026, 5, 10))
    _held(t, team["colleague"].person_id, sup, date(2026, 5, 24), status="planned")  # not held
    lines = supervision_frequency.team_frequency(team["manager"].actor(), (t,), months=2, today=today)
    may, june = lines
    assert (may.month, may.with_agreement, may.within, may.planned, may.held) == (
        date(2026, 5, 1),
        2,
        1,
        3,
        2,
    )
    # Priya (every 4 weeks) was seen within 4 weeks of 31 May; Tom (every 2 weeks, first year) wasn't.
    assert (may.first_year, may.first_year_within) == (1, 0)
    assert may.first_year_share is None  # fewer than three: counts, never a share of one person
    assert (june.within, june.planned, june.held) == (0, 0, 0)
    with pytest.raises(NotAllowed):
        supervision_frequency.team_frequency(team["stranger"].actor(), (t,), today=today)
    for who in ("prac", "admin", "trainer"):
        with pytest.raises(NotAllowed):
            supervision_frequency.team_frequency(team[who].actor(), (t,), today=today)
