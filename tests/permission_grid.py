"""The permission grid as data, the world it is checked in, and one operation per cell.

`GRID[(kind, operation)] = (roles allowed on their own team's record, roles allowed on
another team's)`, roles by letter: P practitioner, S supervisor, M manager, T trainer,
A admin, N trainee (a new starter who joined with a code). A pair missing from GRID is an
operation Circle does not offer to anyone (records are kept: a case is closed, not
deleted). docs/permissions.md is the same grid for people; tests/test_permission_grid.py
checks that the two agree and that every cell holds through the data layer.

"Own" and "other": for team records, a record of the team the person belongs to, or of
another team. Every test actor (trainers, admins and trainees too) has a membership in
the own team, to prove a membership alone never opens a team's records to the wrong role.
For training, "own" is a cohort the person runs (trainers) or takes part in (everyone
else); the exercise library is shared by trainers. People, teams, memberships and the
audit trail are an administrator's, whichever team they belong to.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta

from sqlmodel import col, select

from db import (
    agreements,
    audit,
    case_board,
    cases,
    data_protection,
    insights,
    insights_report,
    one_to_one,
    people,
    risk_log,
    session_record,
    sessions,
    supervision_frequency,
    training,
    young_voice,
)
from db.access import Actor
from db.clock import utcnow
from db.engine import session_scope
from db.models import (
    Action,
    AgendaItem,
    Case,
    CaseMapping,
    Membership,
    NetworkMember,
    Person,
    SupervisionSession,
)
from db.risk_log import RiskDraft
from db.supervision_models import SupervisionAgreement
from tests import factories

ROLE_LETTERS = {
    "P": "practitioner",
    "S": "supervisor",
    "M": "manager",
    "T": "trainer",
    "A": "admin",
    "N": "trainee",
}
ROLES = tuple(ROLE_LETTERS.values())
SCOPES = ("own", "other")
OPERATIONS = ("view", "create", "change", "delete", "export")

GRID: dict[tuple[str, str], tuple[str, str]] = {
    ("case", "view"): ("PSM", ""),
    ("case", "create"): ("PS", ""),
    ("case", "change"): ("PS", ""),
    ("case", "delete"): ("A", "A"),  # erasure on request
    ("mapping", "view"): ("PSM", ""),
    ("mapping", "create"): ("PS", ""),
    ("mapping", "change"): ("PS", ""),
    ("network", "view"): ("PSM", ""),
    ("network", "create"): ("PS", ""),
    ("network", "change"): ("PS", ""),
    ("check_in", "view"): ("PS", ""),
    ("check_in", "create"): ("PS", ""),
    ("check_in", "delete"): ("A", "A"),
    ("session", "view"): ("PS", ""),
    ("session", "create"): ("S", ""),
    ("session", "change"): ("S", ""),
    ("session", "delete"): ("A", "A"),
    ("session", "export"): ("PS", ""),
    ("agenda_item", "view"): ("PS", ""),
    ("agenda_item", "create"): ("PS", ""),
    ("agenda_item", "change"): ("S", ""),  # a practitioner changes the items they brought
    ("agenda_item", "delete"): ("S", ""),  # likewise
    ("round", "view"): ("PS", ""),
    ("round", "create"): ("PS", ""),  # one's own arrival and closing
    ("round", "change"): ("S", ""),  # entering a colleague's, for the room
    ("action", "view"): ("PS", ""),
    ("action", "create"): ("PS", ""),
    ("action", "change"): ("PS", ""),
    ("risk_entry", "view"): ("PSM", ""),
    ("risk_entry", "create"): ("PSM", ""),
    ("risk_entry", "change"): ("PSM", ""),
    ("risk_entry", "delete"): ("A", "A"),
    ("risk_review", "view"): ("PSM", ""),
    ("risk_review", "create"): ("PSM", ""),
    ("insights", "view"): ("SM", ""),
    ("insights", "export"): ("SM", ""),
    ("cohort", "view"): ("T", ""),
    ("cohort", "create"): ("T", "T"),
    ("cohort", "change"): ("T", ""),
    ("cohort", "export"): ("T", ""),
    ("exercise", "view"): ("T", "T"),
    ("exercise", "create"): ("T", "T"),
    ("exercise", "change"): ("T", "T"),
    ("exercise", "delete"): ("T", "T"),  # retiring: it stays in cohorts' history
    ("exercise", "export"): ("T", "T"),
    ("run", "view"): ("TPSN", ""),
    ("run", "create"): ("T", ""),
    ("run", "change"): ("T", ""),
    ("answer", "view"): ("T", ""),  # the debrief, answers labelled Person A, B...
    ("answer", "create"): ("PSN", ""),
    ("answer", "change"): ("PSN", ""),
    ("person", "view"): ("A", "A"),
    ("person", "create"): ("A", "A"),
    ("person", "change"): ("A", "A"),
    ("person", "delete"): ("A", "A"),  # deactivation (and erasure on request)
    ("person", "export"): ("A", "A"),  # subject access
    ("team", "view"): ("A", "A"),
    ("team", "create"): ("A", "A"),
    ("team", "change"): ("S", ""),  # the board's settings: the team's supervisor
    ("membership", "view"): ("A", "A"),
    ("membership", "create"): ("A", "A"),
    ("membership", "delete"): ("A", "A"),
    ("audit", "view"): ("A", "A"),
    ("audit", "export"): ("A", "A"),
    # One-to-one supervision (issue 18): "own" is a one-to-one the person is in (a
    # practitioner with their supervisor); a colleague's is one in their team between two
    # other people. The private part (arrival, wellbeing and development, closing) is the
    # two people's alone; managers (and the team's supervisor) see only dates and counts.
    ("one_to_one", "view"): ("PS", ""),
    ("one_to_one", "create"): ("S", ""),
    ("one_to_one", "change"): ("PS", ""),
    ("one_to_one", "export"): ("PS", ""),
    ("one_to_one_private", "view"): ("PS", ""),
    ("one_to_one_private", "change"): ("PS", ""),
    ("colleague_one_to_one", "view"): ("", ""),
    ("colleague_one_to_one", "change"): ("", ""),
    ("one_to_one_dates", "view"): ("SM", ""),
    ("supervision_frequency", "view"): ("SM", ""),
    # Supervision agreements: the practitioner's own, drafted by their team's supervisor,
    # agreed by both; the council's template is kept by administrators, used by supervisors.
    ("agreement", "view"): ("PS", ""),
    ("agreement", "create"): ("S", ""),
    ("agreement", "change"): ("PS", ""),
    ("colleague_agreement", "view"): ("S", ""),
    ("agreement_template", "view"): ("SA", "SA"),
    ("agreement_template", "change"): ("A", "A"),
    # Restriction of processing: an administrator restricts a case or a worry, sees the
    # restrictions and lifts them (Personal data); while restricted, nobody else opens,
    # adds to or changes the record, their own team included.
    ("restriction", "view"): ("A", "A"),
    ("restriction", "create"): ("A", "A"),
    ("restriction", "delete"): ("A", "A"),  # lifting it
    ("restricted_case", "view"): ("", ""),
    ("restricted_case", "create"): ("", ""),  # bringing it, a check-in, an action, a worry
    ("restricted_case", "change"): ("", ""),
    ("restricted_worry", "view"): ("", ""),
    ("restricted_worry", "create"): ("", ""),  # a review
    ("restricted_worry", "change"): ("", ""),
    # The young person's own view (issue 19): a check-in link, and a note written for them, are
    # made by the case's practitioner or the team's supervisor (a colleague in the team reads
    # them); their answers are read by the team like check-ins. Their answering needs no
    # account, so it has no cell; erasing them goes with the case.
    ("young_link", "view"): ("PS", ""),
    ("young_link", "create"): ("PS", ""),
    ("young_link", "delete"): ("PS", ""),  # withdrawing it
    ("young_answer", "view"): ("PS", ""),
    ("young_answer", "delete"): ("A", "A"),  # erasure on request (and with the case)
    ("young_note", "view"): ("PS", ""),
    ("young_note", "create"): ("PS", ""),
    ("young_note", "export"): ("PS", ""),
}
KINDS = tuple(dict.fromkeys(kind for kind, _ in GRID))


def expected(kind: str, operation: str, role: str, scope: str) -> bool | None:
    """True/False for a cell; None when Circle offers the operation to nobody."""
    cell = GRID.get((kind, operation))
    if cell is None:
        return None
    letters = cell[0] if scope == "own" else cell[1]
    return any(ROLE_LETTERS[letter] == role for letter in letters)


# --- The world -----------------------------------------------------------------------------------
@dataclass
class Team:
    id: int
    supervisor: factories.Someone
    practitioner: factories.Someone
    case: int
    session: int  # planned
    closed_session: int
    thread: str


@dataclass
class World:
    teams: dict[str, Team]  # "own", "other"
    trainer2: factories.Someone
    admin2: factories.Someone
    exercise: int
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    days: dict[str, itertools.count] = field(
        default_factory=lambda: {scope: itertools.count(2) for scope in ("own", "other")}
    )
    # Restricted records, made on first use: (kind, scope) -> id.
    restricted: dict[tuple[str, str], object] = field(default_factory=dict)

    def next(self) -> int:
        return next(self.counter)

    def free_day(self, scope: str) -> date:
        """A day the team has no session on yet (sessions are one a day per team)."""
        return TODAY + timedelta(days=next(self.days[scope]))


TODAY = utcnow().date()


def _draft(team: Team, **changes: object) -> RiskDraft:
    base = RiskDraft(
        worry="A is staying out late and school worry about who with.",
        whose_risk="both",
        whose_risk_reasoning="Some of it is ours: we don't know the friends yet.",
        keeping_safe="Nan's house on Fridays.",
        decision="Hold it together and ask A who they trust.",
        decision_reasons="A trusts Nan; a plan A helped make is one A keeps.",
        worry_before=6,
        worry_after=4,
        holder_ids=(team.practitioner.person_id, team.supervisor.person_id),
        review_on=TODAY + timedelta(days=14),
        case_id=team.case,
        raised_by_id=team.practitioner.person_id,
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built


def _make_team(name: str, tag: str) -> Team:
    team_id = factories.team(name)
    sup = factories.person(f"sup{tag}", "supervisor", {team_id: "supervisor"})
    prac = factories.person(f"prac{tag}", "practitioner", {team_id: "practitioner"})
    case_id = case_board.create_case(sup.actor(), team_id, reference=f"JT-1{tag}", lead_id=prac.person_id)
    closed = sessions.plan(sup.actor(), team_id, day=TODAY, start=time(9), duration_minutes=60)
    with session_scope() as s:
        version = s.get(SupervisionSession, closed).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    sessions.close(sup.actor(), closed, version)
    planned = sessions.plan(
        sup.actor(), team_id, day=TODAY + timedelta(days=1), start=time(10), duration_minutes=90
    )
    thread = risk_log.create_entry(sup.actor(), team_id, _draft(Team(team_id, sup, prac, case_id, 0, 0, "")))
    return Team(team_id, sup, prac, case_id, planned, closed, thread)


def build_world() -> World:
    own = _make_team("Riverside", "a")
    other = _make_team("Northgate", "b")
    trainer2 = factories.person("trainer2", "trainer")
    admin2 = factories.person("admin2", "admin")
    training.import_starter_library(trainer2.actor())
    exercise = training.exercises(trainer2.actor())[0].id
    return World({"own": own, "other": other}, trainer2, admin2, exercise)


def make_actor(world: World, role: str, *, memberships: dict[str, str] | None = None) -> Actor:
    """A new person with this role; by default a member of the own team (see the module docstring)."""
    n = world.next()
    if memberships is None:
        team_role = role if role in ("practitioner", "supervisor", "manager") else "practitioner"
        memberships = {"own": team_role}
    someone = factories.person(
        f"{role}-x{n}", role, {world.teams[scope].id: team_role for scope, team_role in memberships.items()}
    )
    return someone.actor()


# --- Helpers that make fresh targets as the team itself (never as the actor under test) -----------
def _sup(w: World, scope: str) -> Actor:
    return w.teams[scope].supervisor.actor()


def _fresh_session(w: World, scope: str) -> int:
    return sessions.plan(
        _sup(w, scope), w.teams[scope].id, day=w.free_day(scope), start=time(10), duration_minutes=90
    )


def _fresh_item(w: World, scope: str) -> tuple[int, int]:
    sid = _fresh_session(w, scope)
    prac = w.teams[scope].practitioner.actor()
    return sid, sessions.bring(prac, sid, case_id=w.teams[scope].case, ask="How do we keep going with A?")


def _fresh_thread(w: World, scope: str) -> str:
    team = w.teams[scope]
    return risk_log.create_entry(_sup(w, scope), team.id, _draft(team))


def _fresh_person(w: World, scope: str) -> int:
    return factories.person(
        f"someone{w.next()}", "practitioner", {w.teams[scope].id: "practitioner"}
    ).person_id


def _version(model, record_id: int) -> int:
    with session_scope() as s:
        return s.get(model, record_id).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow


def _own_cohort(w: World, actor: Actor, scope: str) -> int:
    """A cohort the actor runs (trainers) or is in (others), or one that is neither."""
    runs_it = actor.role == "trainer" and scope == "own"
    trainer = actor if runs_it else w.trainer2.actor()
    cohort_id = training.create_cohort(trainer, name=f"Cohort {w.next()}", starts_on=TODAY)
    if scope == "own" and actor.role in ("practitioner", "supervisor", "trainee"):
        training.add_member(trainer, cohort_id, actor.person_id, None)
    return cohort_id


def _run(w: World, actor: Actor, scope: str) -> int:
    cohort_id = _own_cohort(w, actor, scope)
    trainer = actor if actor.role == "trainer" and scope == "own" else w.trainer2.actor()
    return training.start_run(trainer, cohort_id, w.exercise)


def _exercise(w: World, actor: Actor, scope: str) -> int:
    if actor.role == "trainer" and scope == "own":
        return training.copy_exercise(actor, w.exercise)
    return training.copy_exercise(w.trainer2.actor(), w.exercise)


def _filters(w: World, scope: str) -> insights.Filters:
    return insights.Filters((w.teams[scope].id,), TODAY - timedelta(days=90), TODAY)


def _session_version(sid: int) -> int:
    return _version(SupervisionSession, sid)


def _review_action(w: World, a: Actor, scope: str) -> None:
    sid = _fresh_session(w, scope)
    team = w.teams[scope]
    action_id = sessions.add_action(
        _sup(w, scope),
        sid,
        description="Ring school",
        owner_id=team.practitioner.person_id,
        due_on=TODAY + timedelta(days=7),
    )
    sessions.review_action(a, sid, action_id, outcome="done", version=_version(Action, action_id))


def _update_case(w: World, a: Actor, scope: str) -> None:
    team = w.teams[scope]
    with session_scope() as s:
        case = s.get(Case, team.case)
        assert case is not None
        version, status = case.version, case.status
    case_board.update_case(
        a,
        team.case,
        status="active" if status != "active" else "stuck",
        lead_id=team.practitioner.person_id,
        best_id=None,
        next_review_on=None,
        version=version,
    )


def _save_mapping(w: World, a: Actor, scope: str) -> None:
    case_id = w.teams[scope].case
    with session_scope() as s:
        row = s.exec(select(CaseMapping).where(CaseMapping.case_id == case_id)).first()
        version = row.version if row else 0
    cases.save_mapping(a, case_id, {"working_well": f"Nan's Fridays ({w.next()})"}, base_version=version)


def _update_member(w: World, a: Actor, scope: str) -> None:
    case_id = w.teams[scope].case
    member = cases.add_network_member(_sup(w, scope), case_id, label="Nan", kind="family")
    del member
    with session_scope() as s:
        row = s.exec(
            select(NetworkMember).where(NetworkMember.case_id == case_id).order_by(col(NetworkMember.id).desc())
        ).first()
        assert row is not None
        member_id, version = row.id, row.version
    cases.update_network_member(
        a, member_id, label="Nan", kind="family", relationship_strength=8, best_placed_for="", version=version
    )


def _save_notes(w: World, a: Actor, scope: str) -> None:
    _, item_id = _fresh_item(w, scope)
    sessions.save_notes(
        a,
        item_id,
        discussion_notes="We talked about Fridays.",
        case_file_summary="",
        summary_ready=False,
        version=_version(AgendaItem, item_id),
    )


def _withdraw(w: World, a: Actor, scope: str) -> None:
    _, item_id = _fresh_item(w, scope)
    sessions.withdraw(a, item_id)


def _rounds(w: World, a: Actor, scope: str) -> None:
    sid = w.teams[scope].session
    sessions.record_arrival(a, sid, person_id=a.person_id, score=6, word="tired")
    sessions.record_closing(
        a, sid, person_id=a.person_id, scores={"felt_heard": 7, "helped_my_work": 7, "held_my_worries": 7}
    )


def _rounds_for_colleague(w: World, a: Actor, scope: str) -> None:
    team = w.teams[scope]
    sessions.record_arrival(a, team.session, person_id=team.practitioner.person_id, score=5)


def _revise(w: World, a: Actor, scope: str) -> None:
    thread = _fresh_thread(w, scope)
    detail = risk_log.thread(_sup(w, scope), thread)
    risk_log.revise(
        a,
        thread,
        replace(detail.current.as_draft(), keeping_safe=f"Nan's and boxing ({w.next()})"),
        stamp=detail.stamp,
    )


def _review(w: World, a: Actor, scope: str) -> None:
    thread = _fresh_thread(w, scope)
    stamp = risk_log.thread(_sup(w, scope), thread).stamp
    risk_log.review(
        a,
        thread,
        what_happened="better_than_feared",
        what_we_learned="A told Nan where they were.",
        next_step="keep_holding",
        next_review_on=TODAY + timedelta(days=14),
        stamp=stamp,
    )


def _cohort_notes(w: World, a: Actor, scope: str) -> None:
    cohort_id = _own_cohort(w, a, scope)
    with session_scope() as s:
        from db.models import TrainingCohort

        version = s.get(TrainingCohort, cohort_id).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    training.save_cohort_notes(a, cohort_id, notes="Going well.", version=version)


def _update_exercise(w: World, a: Actor, scope: str) -> None:
    ex_id = _exercise(w, a, scope)
    view = training.exercise(w.trainer2.actor(), ex_id)
    training.update_exercise(
        a,
        ex_id,
        version=view.version,
        title=view.title + " (ours)",
        kind=view.kind,
        vignette=view.vignette,
        steps=[step.as_dict() for step in view.steps],
    )


def _retire(w: World, a: Actor, scope: str) -> None:
    ex_id = _exercise(w, a, scope)
    training.set_status(a, ex_id, "retired", training.exercise(w.trainer2.actor(), ex_id).version)


def _move_run(w: World, a: Actor, scope: str) -> None:
    run_id = _run(w, a, scope)
    trainer = a if a.role == "trainer" and scope == "own" else w.trainer2.actor()
    training.move(a, run_id, training.run(trainer, run_id).version, reveal=True)


def _view_run(w: World, a: Actor, scope: str) -> None:
    run_id = _run(w, a, scope)
    if a.role == "trainer":
        training.run(a, run_id)
    else:
        training.taking_part(a, run_id)


def _answer(w: World, a: Actor, scope: str) -> None:
    training.save_answer(a, _run(w, a, scope), 0, {})


def _update_person(w: World, a: Actor, scope: str) -> None:
    pid = _fresh_person(w, scope)
    people.update_person(
        a, pid, display_name="Renamed Example", role="practitioner", version=_version(Person, pid)
    )


def _end_membership(w: World, a: Actor, scope: str) -> None:
    pid = _fresh_person(w, scope)
    with session_scope() as s:
        mid = s.exec(select(Membership.id).where(Membership.person_id == pid)).one()
    people.end_membership(a, mid)


def _board_settings(w: World, a: Actor, scope: str) -> None:
    team_id = w.teams[scope].id
    settings = case_board.board_settings(_sup(w, scope), team_id)
    case_board.save_board_settings(
        a,
        team_id,
        labels={},
        not_discussed_weeks=5 if settings.not_discussed_weeks != 5 else 6,
        version=settings.version,
    )


def _erase(kind: str) -> Callable[[World, Actor, str], object]:
    def run(w: World, a: Actor, scope: str) -> None:
        team = w.teams[scope]
        sup = _sup(w, scope)
        if kind == "case":
            record: int | str = case_board.create_case(
                sup, team.id, reference=f"ER-{w.next()}", lead_id=team.practitioner.person_id
            )
        elif kind == "relationship_check_in":
            record = sessions.record_check_in(
                sup, None, team.case, scores={"trust": 5, "feel_heard": 5, "what_matters": 5, "hope": 5}
            )
        elif kind == "supervision_session":
            record = _fresh_session(w, scope)
        else:
            record = _fresh_thread(w, scope)
        data_protection.erase(a, kind, record, reason="The council agreed the request.")

    return run


def _restricted_case(w: World, scope: str) -> int:
    """A case of the team with a check-in, an action and a worry, then restricted."""
    if ("case", scope) not in w.restricted:
        team, sup = w.teams[scope], _sup(w, scope)
        case_id = case_board.create_case(
            sup, team.id, reference=f"RC-{w.next()}", lead_id=team.practitioner.person_id
        )
        sessions.record_check_in(
            sup, None, case_id, scores={"trust": 5, "feel_heard": 5, "what_matters": 5, "hope": 5}
        )
        risk_log.create_entry(sup, team.id, _draft(team, case_id=case_id))
        data_protection.restrict(w.admin2.actor(), "case", case_id, reason="Accuracy contested")
        w.restricted[("case", scope)] = case_id
    return w.restricted[("case", scope)]  # type: ignore[return-value]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made


def _restricted_worry(w: World, scope: str) -> str:
    if ("risk_thread", scope) not in w.restricted:
        thread = _fresh_thread(w, scope)
        data_protection.restrict(w.admin2.actor(), "risk_thread", thread, reason="Accuracy contested")
        w.restricted[("risk_thread", scope)] = thread
    return w.restricted[("risk_thread", scope)]  # type: ignore[return-value]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made


def _every_one_refused(*attempts: Callable[[], object]) -> None:
    """Raise NotAllowed only if every attempt was refused; one that gets through (or is
    only turned down for what was typed) returns, and the cell reads "allowed"."""
    from db.errors import EditConflict, NotAllowed, NotValid

    for attempt in attempts:
        try:
            attempt()
        except NotAllowed:
            continue
        except (NotValid, EditConflict):
            return
        return
    raise NotAllowed()


def _view_restricted_case(w: World, a: Actor, scope: str) -> None:
    case_id = _restricted_case(w, scope)
    _every_one_refused(
        lambda: cases.case_detail(a, case_id),
        lambda: cases.mapping(a, case_id),
        lambda: cases.network(a, case_id),
        lambda: cases.timeline(a, case_id),
        lambda: cases.history(a, case_id),
        lambda: sessions.check_in_history(a, case_id),
        lambda: risk_log.case_log(a, case_id),
    )


def _add_to_restricted_case(w: World, a: Actor, scope: str) -> None:
    case_id, team = _restricted_case(w, scope), w.teams[scope]
    _every_one_refused(
        lambda: sessions.bring(a, team.session, case_id=case_id, ask="How do we keep going?"),
        lambda: sessions.record_check_in(
            a, None, case_id, scores={"trust": 6, "feel_heard": 6, "what_matters": 6, "hope": 6}
        ),
        lambda: sessions.add_action(
            a,
            team.session,
            description="Ring school",
            owner_id=team.practitioner.person_id,
            due_on=TODAY + timedelta(days=7),
            case_id=case_id,
        ),
        lambda: risk_log.create_entry(a, team.id, _draft(team, case_id=case_id)),
        lambda: cases.add_network_member(a, case_id, label="School nurse", kind="professional"),
    )


def _change_restricted_case(w: World, a: Actor, scope: str) -> None:
    case_id, team = _restricted_case(w, scope), w.teams[scope]
    version = _version(Case, case_id)
    _every_one_refused(
        lambda: case_board.update_case(
            a,
            case_id,
            status="stuck",
            lead_id=team.practitioner.person_id,
            best_id=None,
            next_review_on=None,
            version=version,
        ),
        lambda: cases.save_mapping(a, case_id, {"working_well": "Fridays"}, base_version=0),
        lambda: case_board.rename_case(a, case_id, reference=f"RN-{w.next()}", version=version),
    )


def _change_restricted_worry(w: World, a: Actor, scope: str) -> None:
    thread = _restricted_worry(w, scope)
    team = w.teams[scope]
    _every_one_refused(
        lambda: risk_log.revise(a, thread, _draft(team), stamp=""),
        lambda: risk_log.agree_as_manager(a, thread, stamp=""),
    )


def _review_restricted_worry(w: World, a: Actor, scope: str) -> None:
    thread = _restricted_worry(w, scope)
    _every_one_refused(
        lambda: risk_log.review(
            a,
            thread,
            what_happened="better_than_feared",
            what_we_learned="A told Nan where they were.",
            next_step="keep_holding",
            next_review_on=TODAY + timedelta(days=14),
            stamp="",
        )
    )


def _see_restrictions(w: World, a: Actor, scope: str) -> None:
    _restricted_case(w, scope)
    assert any(r.record_type == "case" for r in data_protection.restrictions(a))


def _restrict(w: World, a: Actor, scope: str) -> None:
    team = w.teams[scope]
    case_id = case_board.create_case(
        _sup(w, scope), team.id, reference=f"RX-{w.next()}", lead_id=team.practitioner.person_id
    )
    data_protection.restrict(a, "case", case_id, reason="Accuracy contested")


def _lift(w: World, a: Actor, scope: str) -> None:
    team = w.teams[scope]
    case_id = case_board.create_case(
        _sup(w, scope), team.id, reference=f"RL-{w.next()}", lead_id=team.practitioner.person_id
    )
    restriction_id = data_protection.restrict(w.admin2.actor(), "case", case_id, reason="Accuracy contested")
    data_protection.lift_restriction(a, restriction_id)


# --- One-to-ones and agreements -----------------------------------------------------------------
def _in_team_as_own_role(a: Actor, team_id: int) -> bool:
    return a.role in ("practitioner", "supervisor") and any(
        m.team_id == team_id and m.role == a.role for m in a.memberships
    )


def _one_to_one_of(w: World, a: Actor, scope: str) -> int:
    """A one-to-one the actor is in (a practitioner or supervisor of that team), else one
    between the team's own supervisor and practitioner."""
    team = w.teams[scope]
    day = TODAY + timedelta(days=w.next() % 300 + 1)
    if _in_team_as_own_role(a, team.id) and a.role == "supervisor":
        return one_to_one.plan(a, team.practitioner.person_id, day=day, start=time(14))
    practitioner = a.person_id if _in_team_as_own_role(a, team.id) else team.practitioner.person_id
    return one_to_one.plan(_sup(w, scope), practitioner, day=day, start=time(14))


def _colleague_one_to_one(w: World, scope: str) -> int:
    return one_to_one.plan(
        _sup(w, scope),
        w.teams[scope].practitioner.person_id,
        day=TODAY + timedelta(days=w.next() % 300 + 1),
        start=time(15),
    )


def _agreement_of(w: World, a: Actor, scope: str) -> int:
    """An agreement the actor is in (drafted by them as supervisor, or for them as
    practitioner), else one for a new practitioner of that team."""
    team = w.teams[scope]
    if _in_team_as_own_role(a, team.id) and a.role == "supervisor":
        return agreements.draft(a, _fresh_person(w, scope))
    practitioner = a.person_id if _in_team_as_own_role(a, team.id) else _fresh_person(w, scope)
    return agreements.draft(_sup(w, scope), practitioner)


def _agree(w: World, a: Actor, scope: str) -> None:
    aid = _agreement_of(w, a, scope)
    with session_scope() as s:
        version = s.get(SupervisionAgreement, aid).version  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow
    agreements.agree(a, aid, version=version)


def _save_template(w: World, a: Actor, scope: str) -> None:
    current = agreements.template(w.admin2.actor())
    agreements.save_template(a, current.fields, version=current.version)


def _young_case(w: World, a: Actor, scope: str) -> int:
    """A fresh case of the team, led by the actor when they belong to it (a practitioner makes
    links for their own cases), else by the team's practitioner."""
    team = w.teams[scope]
    lead = a.person_id if team.id in a.team_ids else team.practitioner.person_id
    with session_scope(write=True) as s:
        case = Case(team_id=team.id, reference=f"YV-{w.next()}", lead_practitioner_id=lead)
        s.add(case)
        s.flush()
        return int(case.id)


def _withdraw_young_link(w: World, a: Actor, scope: str) -> None:
    case_id = _young_case(w, a, scope)
    link = young_voice.create_link(_sup(w, scope), case_id, wording="teen")
    young_voice.withdraw(a, link.id)


def _erase_young_answer(w: World, a: Actor, scope: str) -> None:
    link = young_voice.create_link(_sup(w, scope), w.teams[scope].case, wording="teen")
    young_voice.answer(
        link.token, {"trust": "3", "feel_heard": "3", "what_matters": "3", "hope": "3"}, "", client="grid"
    )
    answer_id = young_voice.answers(_sup(w, scope), w.teams[scope].case)[-1].id
    data_protection.erase(a, "young_voice_answer", answer_id, reason="The young person asked.")


def _young_note_pdf(w: World, a: Actor, scope: str) -> bytes:
    from db.young_voice_pdf import note_pdf

    note_id = young_voice.write_note(_sup(w, scope), w.teams[scope].case, "We talked about school.")
    return note_pdf(a, note_id)


Op = Callable[[World, Actor, str], object]
OPS: dict[tuple[str, str], Op] = {
    ("case", "view"): lambda w, a, s: cases.case_detail(a, w.teams[s].case),
    ("case", "create"): lambda w, a, s: case_board.create_case(
        a, w.teams[s].id, reference=f"KP-{w.next()}", lead_id=w.teams[s].practitioner.person_id
    ),
    ("case", "change"): _update_case,
    ("case", "delete"): _erase("case"),
    ("mapping", "view"): lambda w, a, s: cases.mapping(a, w.teams[s].case),
    ("mapping", "create"): _save_mapping,
    ("mapping", "change"): _save_mapping,
    ("network", "view"): lambda w, a, s: cases.network(a, w.teams[s].case),
    ("network", "create"): lambda w, a, s: cases.add_network_member(
        a, w.teams[s].case, label="School nurse", kind="professional"
    ),
    ("network", "change"): _update_member,
    ("check_in", "view"): lambda w, a, s: sessions.check_in_history(a, w.teams[s].case),
    ("check_in", "create"): lambda w, a, s: sessions.record_check_in(
        a, None, w.teams[s].case, scores={"trust": 6, "feel_heard": 6, "what_matters": 6, "hope": 6}
    ),
    ("check_in", "delete"): _erase("relationship_check_in"),
    ("session", "view"): lambda w, a, s: sessions.view(a, w.teams[s].session),
    ("session", "create"): lambda w, a, s: sessions.plan(
        a, w.teams[s].id, day=w.free_day(s), start=time(10), duration_minutes=90
    ),
    ("session", "change"): lambda w, a, s: (lambda sid: sessions.start(a, sid, _session_version(sid)))(
        _fresh_session(w, s)
    ),
    ("session", "delete"): _erase("supervision_session"),
    ("session", "export"): lambda w, a, s: session_record.csv(a, w.teams[s].closed_session),
    ("agenda_item", "view"): lambda w, a, s: sessions.agenda(a, w.teams[s].session),
    ("agenda_item", "create"): lambda w, a, s: sessions.bring(
        a, w.teams[s].session, case_id=None, ask="Stickability"
    ),
    ("agenda_item", "change"): _save_notes,
    ("agenda_item", "delete"): _withdraw,
    ("round", "view"): lambda w, a, s: (
        sessions.arrivals(a, w.teams[s].session),
        sessions.closings(a, w.teams[s].session),
    ),
    ("round", "create"): _rounds,
    ("round", "change"): _rounds_for_colleague,
    ("action", "view"): lambda w, a, s: sessions.session_actions(a, w.teams[s].session),
    ("action", "create"): lambda w, a, s: sessions.add_action(
        a,
        w.teams[s].session,
        description="Ask A about Fridays",
        owner_id=w.teams[s].practitioner.person_id,
        due_on=TODAY + timedelta(days=7),
    ),
    ("action", "change"): _review_action,
    ("risk_entry", "view"): lambda w, a, s: risk_log.thread(a, w.teams[s].thread),
    ("risk_entry", "create"): lambda w, a, s: risk_log.create_entry(a, w.teams[s].id, _draft(w.teams[s])),
    ("risk_entry", "change"): _revise,
    ("risk_entry", "delete"): _erase("risk_thread"),
    ("risk_review", "view"): lambda w, a, s: risk_log.thread(a, w.teams[s].thread).reviews,
    ("risk_review", "create"): _review,
    ("insights", "view"): lambda w, a, s: insights.relationships(a, _filters(w, s)),
    ("insights", "export"): lambda w, a, s: insights_report.csv(a, _filters(w, s)),
    ("cohort", "view"): lambda w, a, s: training.cohort(a, _own_cohort(w, a, s)),
    ("cohort", "create"): lambda w, a, s: training.create_cohort(
        a, name=f"Spring {w.next()}", starts_on=TODAY
    ),
    ("cohort", "change"): _cohort_notes,
    ("cohort", "export"): lambda w, a, s: training.history_csv(a, _own_cohort(w, a, s)),
    ("exercise", "view"): lambda w, a, s: training.exercise(a, _exercise(w, a, s)),
    ("exercise", "create"): lambda w, a, s: training.copy_exercise(a, _exercise(w, a, s)),
    ("exercise", "change"): _update_exercise,
    ("exercise", "delete"): _retire,
    ("exercise", "export"): lambda w, a, s: training.export_exercises(a, [_exercise(w, a, s)]),
    ("run", "view"): _view_run,
    ("run", "create"): lambda w, a, s: training.start_run(a, _own_cohort(w, a, s), w.exercise),
    ("run", "change"): _move_run,
    ("answer", "view"): lambda w, a, s: training.debrief(a, _run(w, a, s)),
    ("answer", "create"): _answer,
    ("answer", "change"): _answer,
    ("person", "view"): lambda w, a, s: people.list_people(a),
    ("person", "create"): lambda w, a, s: people.create_person(
        a,
        f"new{w.next()}",
        "New Starter",
        "practitioner",
        factories.PASSWORD,
        team_id=w.teams[s].id,
        team_role="practitioner",
    ),
    ("person", "change"): _update_person,
    ("person", "delete"): lambda w, a, s: people.set_active(a, _fresh_person(w, s), False),
    ("person", "export"): lambda w, a, s: data_protection.subject_access(
        a, w.teams[s].practitioner.person_id
    ),
    ("team", "view"): lambda w, a, s: people.list_teams(a),
    ("team", "create"): lambda w, a, s: people.create_team(a, f"Team {w.next()}"),
    ("team", "change"): _board_settings,
    ("membership", "view"): lambda w, a, s: people.list_memberships(a),
    ("membership", "create"): lambda w, a, s: people.add_membership(
        a, w.teams[s].id, _fresh_person(w, "other"), "practitioner"
    ),
    ("membership", "delete"): _end_membership,
    ("audit", "view"): lambda w, a, s: audit.search(a, audit.AuditFilters()),
    ("audit", "export"): lambda w, a, s: audit.export_csv(a, audit.AuditFilters()),
    ("one_to_one", "view"): lambda w, a, s: one_to_one.view(a, _one_to_one_of(w, a, s)),
    ("one_to_one", "create"): lambda w, a, s: one_to_one.plan(
        a, w.teams[s].practitioner.person_id, day=TODAY + timedelta(days=w.next() % 300 + 1), start=time(9)
    ),
    ("one_to_one", "change"): lambda w, a, s: one_to_one.bring(
        a, _one_to_one_of(w, a, s), case_id=w.teams[s].case, ask="How do I keep going with A?"
    ),
    ("one_to_one", "export"): lambda w, a, s: one_to_one.record_csv(a, _one_to_one_of(w, a, s)),
    ("one_to_one_private", "view"): lambda w, a, s: one_to_one.private(a, _one_to_one_of(w, a, s)),
    ("one_to_one_private", "change"): lambda w, a, s: one_to_one.save_private(
        a, _one_to_one_of(w, a, s), {"been_hard": "A long week in court"}, version=0
    ),
    ("colleague_one_to_one", "view"): lambda w, a, s: (
        one_to_one.view(a, oid := _colleague_one_to_one(w, s)),
        one_to_one.private(a, oid),
    ),
    ("colleague_one_to_one", "change"): lambda w, a, s: one_to_one.save_private(
        a, _colleague_one_to_one(w, s), {"learning": "not mine to write"}, version=0
    ),
    ("one_to_one_dates", "view"): lambda w, a, s: one_to_one.dates_for_team(a, w.teams[s].id),
    ("supervision_frequency", "view"): lambda w, a, s: supervision_frequency.team_frequency(
        a, (w.teams[s].id,)
    ),
    ("agreement", "view"): lambda w, a, s: agreements.agreement(a, _agreement_of(w, a, s)),
    ("agreement", "create"): lambda w, a, s: agreements.draft(a, _fresh_person(w, s)),
    ("agreement", "change"): _agree,
    ("colleague_agreement", "view"): lambda w, a, s: agreements.agreement(
        a, agreements.draft(_sup(w, s), _fresh_person(w, s))
    ),
    ("agreement_template", "view"): lambda w, a, s: agreements.template(a),
    ("agreement_template", "change"): _save_template,
    ("restriction", "view"): _see_restrictions,
    ("restriction", "create"): _restrict,
    ("restriction", "delete"): _lift,
    ("restricted_case", "view"): _view_restricted_case,
    ("restricted_case", "create"): _add_to_restricted_case,
    ("restricted_case", "change"): _change_restricted_case,
    ("restricted_worry", "view"): lambda w, a, s: risk_log.thread(a, _restricted_worry(w, s)),
    ("restricted_worry", "create"): _review_restricted_worry,
    ("restricted_worry", "change"): _change_restricted_worry,
    ("young_link", "view"): lambda w, a, s: young_voice.links(a, w.teams[s].case),
    ("young_link", "create"): lambda w, a, s: young_voice.create_link(
        a, _young_case(w, a, s), wording="teen"
    ),
    ("young_link", "delete"): _withdraw_young_link,
    ("young_answer", "view"): lambda w, a, s: young_voice.beside(a, w.teams[s].case),
    ("young_answer", "delete"): _erase_young_answer,
    ("young_note", "view"): lambda w, a, s: young_voice.notes(a, w.teams[s].case),
    ("young_note", "create"): lambda w, a, s: young_voice.write_note(
        a, _young_case(w, a, s), "We talked about school."
    ),
    ("young_note", "export"): _young_note_pdf,
}
DATE_TODAY: date = TODAY


# --- Case-file entries, notifications and calendars (issue 17) ------------------------------------
# An entry is one family's part of a session: read, exported and ticked "copied to the case
# file" by the team's practitioners and supervisors. The team's manager sees the list (which
# sessions made an entry, whether each is filed) but not the text, as with session records.
# A person's own notification choices and calendar link belong to them, whichever team:
# the same in both columns. The outbox (kinds, recipients, status) is the administrator's.
GRID_ISSUE_17: dict[tuple[str, str], tuple[str, str]] = {
    ("case_file_entry", "view"): ("PS", ""),
    ("case_file_entry", "change"): ("PS", ""),  # copied to the case file; include the check-in
    ("case_file_entry", "export"): ("PS", ""),  # PDF and plain text
    ("case_file_list", "view"): ("PSM", ""),
    ("session_calendar", "export"): ("PS", ""),  # the session's .ics
    ("notification_choice", "change"): ("PSM", "PSM"),
    ("team_notification_default", "view"): ("S", ""),
    ("team_notification_default", "change"): ("S", ""),
    ("calendar_feed", "create"): ("PS", "PS"),
    ("outbox", "view"): ("A", "A"),
}


def _case_file_session(w: World, scope: str) -> int:
    """A closed session of the team with the team's case brought to it (made once)."""
    key = ("case_file_session", scope)
    if key not in w.restricted:
        sid, _ = _fresh_item(w, scope)
        sup = _sup(w, scope)
        sessions.start(sup, sid, _session_version(sid))
        sessions.close(sup, sid, _session_version(sid))
        w.restricted[key] = sid
    return w.restricted[key]  # type: ignore[return-value]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made


def _tick_copied(w: World, a: Actor, scope: str) -> None:
    from db import case_file

    sid, case_id = _case_file_session(w, scope), w.teams[scope].case
    line = next(x for x in case_file.entries_for_case(_sup(w, scope), case_id) if x.session_id == sid)
    case_file.set_copied(a, sid, case_id, copied=not line.filed, version=line.version)


def _team_defaults_change(w: World, a: Actor, scope: str) -> None:
    from db import notifications

    team_id = w.teams[scope].id
    current = notifications.team_defaults(_sup(w, scope), team_id)
    notifications.save_team_defaults(
        a, team_id, chosen=current.chosen, where_we_meet=f"Room {w.next()}", version=current.version
    )


def _own_choices(w: World, a: Actor, scope: str) -> None:
    from db import notifications

    current = notifications.my_choices(a)
    notifications.save_choices(a, email=f"{a.username}@example.org", chosen={}, version=current.version)


def _issue_17_ops() -> dict[tuple[str, str], Op]:
    from db import calendar, case_file, case_file_pdf, notifications

    return {
        ("case_file_entry", "view"): lambda w, a, s: case_file.entry(
            a, _case_file_session(w, s), w.teams[s].case
        ),
        ("case_file_entry", "change"): _tick_copied,
        ("case_file_entry", "export"): lambda w, a, s: (
            case_file.text(a, _case_file_session(w, s), w.teams[s].case),
            case_file_pdf.pdf(a, _case_file_session(w, s), w.teams[s].case),
        ),
        ("case_file_list", "view"): lambda w, a, s: case_file.entries_for_case(a, w.teams[s].case),
        ("session_calendar", "export"): lambda w, a, s: calendar.session_ics(a, w.teams[s].session),
        ("notification_choice", "change"): _own_choices,
        ("team_notification_default", "view"): lambda w, a, s: notifications.team_defaults(a, w.teams[s].id),
        ("team_notification_default", "change"): _team_defaults_change,
        ("calendar_feed", "create"): lambda w, a, s: calendar.make_feed(a),
        ("outbox", "view"): lambda w, a, s: notifications.outbox(a),
    }


GRID.update(GRID_ISSUE_17)
OPS.update(_issue_17_ops())
KINDS = tuple(dict.fromkeys(kind for kind, _ in GRID))
