"""Two people, one record, on SQLite and PostgreSQL: for every kind of record Circle lets
people edit, both open the same version, the first save lands, and the second is refused
with an EditConflict that shows what the first saved. Nothing of the first is overwritten,
and a save made after looking again goes through.

Each kind is a small scenario: how to read the version both people see, how one of them
saves a value from that version, and how to read back what is saved now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from db import case_board, cases, people, risk_log, sessions, training
from db.clock import utcnow
from db.engine import session_scope
from db.errors import EditConflict
from db.models import Action, AuditEvent
from db.risk_log import RiskDraft
from tests import factories

TODAY = utcnow().date()


@dataclass
class Stale:
    """One kind of editable record, as two people see it."""

    load: Callable[[], object]  # the version (or stamp) a person's screen holds
    save: Callable[[str, object, object], object]  # (who, version, value)
    saved: Callable[[], object]  # the value stored now
    first: object
    second: object
    # The text the conflict's `theirs` must show for the first save (None: the message only).
    shown: str | None
    # Whether the second person can save after looking again (False where the first save
    # settles the record, such as an action already looked back on).
    retry: bool = True


@pytest.fixture
def world(db: str) -> dict:
    riverside = factories.team("Riverside")
    who = {
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "kim": factories.person("kim", "practitioner", {riverside: "practitioner"}),
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "sue": factories.person("sue", "supervisor", {riverside: "supervisor"}),
        "ada": factories.person("ada", "admin"),
        "bea": factories.person("bea", "admin"),
        "ruth": factories.person("ruth", "trainer"),
    }
    actors = {k: v.actor() for k, v in who.items()}
    case_id = case_board.create_case(
        actors["pat"], riverside, reference="JT-07", lead_id=who["pat"].person_id
    )
    return {"team": riverside, "case": case_id, "who": who, "actors": actors}


# ---------------------------------------------------------------- the scenarios


def _person(w: dict) -> Stale:
    a, target = w["actors"], w["who"]["kim"].person_id

    def load() -> int:
        return next(p.version for p in people.list_people(a["ada"]) if p.id == target)

    def save(by: str, version: object, name: object) -> None:
        people.update_person(a[by], target, display_name=str(name), role="practitioner", version=int(version))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    def saved() -> str:
        return next(p.display_name for p in people.list_people(a["ada"]) if p.id == target)

    return Stale(load, save, saved, "Kim Adeyemi", "Kimberley Example", "Kim Adeyemi")


def _case_details(w: dict) -> Stale:
    a, cid = w["actors"], w["case"]

    def save(by: str, version: object, status: object) -> None:
        case_board.update_case(
            a[by],
            cid,
            status=str(status),
            lead_id=w["who"]["pat"].person_id,
            best_id=None,
            next_review_on=None,
            version=int(version),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    return Stale(
        lambda: cases.case_detail(a["pat"], cid).version,
        save,
        lambda: cases.case_detail(a["pat"], cid).status,
        "stuck",
        "stepping_down",
        "stuck",
    )


def _mapping(w: dict) -> Stale:
    a, cid = w["actors"], w["case"]
    cases.save_mapping(a["pat"], cid, {"worries": "Home alone after school"}, base_version=0)

    def save(by: str, version: object, text: object) -> None:
        cases.save_mapping(
            a[by], cid, {"worries": text, "plan": f"plan from {by}"}, base_version=int(version)  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    return Stale(
        lambda: cases.mapping(a["pat"], cid).version,
        save,
        lambda: cases.mapping(a["pat"], cid).fields["worries"],
        "Nan is worried about the evenings",
        "School says he is tired in the mornings",
        "Nan is worried about the evenings",
    )


def _first_mapping(w: dict) -> Stale:
    """Two people writing the very first mapping of a case (no row yet, version 0)."""
    a, cid = w["actors"], w["case"]

    def save(by: str, version: object, text: object) -> None:
        cases.save_mapping(a[by], cid, {"safety_goal": text}, base_version=int(version))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: cases.mapping(a["pat"], cid).version,
        save,
        lambda: cases.mapping(a["pat"], cid).fields["safety_goal"],
        "J feels safe at home in the evenings",
        "J gets to school three days a week",
        "J feels safe at home in the evenings",
    )


def _network_member(w: dict) -> Stale:
    a, cid = w["actors"], w["case"]
    cases.add_network_member(a["pat"], cid, label="Nan", kind="family", relationship_strength=8)

    def member() -> cases.NetworkPerson:
        (only,) = cases.network(a["pat"], cid)
        return only

    def save(by: str, version: object, label: object) -> None:
        cases.update_network_member(
            a[by],
            member().member_id,
            label=str(label),
            kind="family",
            relationship_strength=7,
            best_placed_for="",
            version=int(version),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    return Stale(
        lambda: member().version,
        save,
        lambda: member().label,
        "Nan (Dad's side)",
        "Grandma",
        "Nan (Dad's side)",
    )


def _board_settings(w: dict) -> Stale:
    a, tid = w["actors"], w["team"]

    def save(by: str, version: object, label: object) -> None:
        case_board.save_board_settings(
            a[by], tid, labels={"stuck": str(label)}, not_discussed_weeks=4, version=int(version)  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    return Stale(
        lambda: case_board.board_settings(a["sam"], tid).version,
        save,
        lambda: case_board.board_settings(a["sam"], tid).labels.get("stuck"),
        "Needs fresh eyes",
        "Could use a hand",
        "Needs fresh eyes",
    )


def _planned_session(w: dict, *, bring: bool = True) -> int:
    sid = sessions.plan(
        w["actors"]["sam"], w["team"], day=TODAY + timedelta(days=2), start=time(10), duration_minutes=90
    )
    if bring:
        sessions.bring(w["actors"]["pat"], sid, case_id=w["case"], ask="How do I stay alongside Mum?")
    return sid


def _session_step(w: dict) -> Stale:
    """The facilitator's own two screens (or two supervisors) moving the shared screen."""
    a = w["actors"]
    sid = _planned_session(w)
    sessions.start(a["sam"], sid, sessions.view(a["sam"], sid).version)

    def save(by: str, version: object, position: object) -> None:
        sessions.go_to(a[by], sid, int(version), int(position))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: sessions.view(a["sam"], sid).version,
        save,
        lambda: sessions.view(a["sam"], sid).position,
        2,  # the case discussion
        3,  # actions
        "Case discussion",
    )


def _session_time(w: dict) -> Stale:
    a = w["actors"]
    sid = _planned_session(w)
    sessions.start(a["sam"], sid, sessions.view(a["sam"], sid).version)

    def save(by: str, version: object, minutes: object) -> None:
        sessions.extend(a[by], sid, int(version), int(minutes))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: sessions.view(a["sam"], sid).version,
        save,
        lambda: sessions.view(a["sam"], sid).step_extra_minutes,
        5,
        10,
        "5",
        retry=False,  # a later extension adds to the first, so the stored value is their sum
    )


def _agenda_notes(w: dict) -> Stale:
    a = w["actors"]
    sid = _planned_session(w)

    def item() -> sessions.Item:
        (only,) = sessions.view(a["sam"], sid).items
        return only

    def save(by: str, version: object, notes: object) -> None:
        sessions.save_notes(
            a[by],
            item().id,
            discussion_notes=str(notes),
            case_file_summary="",
            summary_ready=False,
            version=int(version),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    return Stale(
        lambda: item().version,
        save,
        lambda: item().discussion_notes,
        "We wondered what Mum needs from school.",
        "Pat will ring Mum before Friday.",
        "We wondered what Mum needs from school.",
    )


def _action_review(w: dict) -> Stale:
    a = w["actors"]
    first = sessions.plan(
        a["sam"], w["team"], day=TODAY + timedelta(days=1), start=time(10), duration_minutes=90
    )
    action_id = sessions.add_action(
        a["sam"],
        first,
        description="Ring school with Mum",
        owner_id=w["who"]["pat"].person_id,
        due_on=TODAY + timedelta(days=3),
    )
    sessions.close(a["sam"], first, sessions.view(a["sam"], first).version)
    second = _planned_session(w, bring=False)

    def save(by: str, version: object, outcome: object) -> None:
        sessions.review_action(
            a[by],
            second,
            action_id,
            outcome=str(outcome),
            reason="Mum asked to leave it",
            version=int(version),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
        )

    def saved() -> str:
        with session_scope() as s:
            return s.exec(select(Action.status).where(Action.id == action_id)).one()

    return Stale(
        lambda: next(x.version for x in sessions.actions_to_review(a["sam"], second) if x.id == action_id),
        save,
        saved,
        "done",
        "dropped",
        "done",
        retry=False,  # once looked back on, an action is settled
    )


def _risk_draft(w: dict, worry: str) -> RiskDraft:
    pat, sam = w["who"]["pat"].person_id, w["who"]["sam"].person_id
    return RiskDraft(
        worry=worry,
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


def _risk_revise(w: dict) -> Stale:
    a = w["actors"]
    thread_id = risk_log.create_entry(a["pat"], w["team"], _risk_draft(w, "J may stop going to school."))

    def save(by: str, stamp: object, worry: object) -> None:
        risk_log.revise(a[by], thread_id, _risk_draft(w, str(worry)), stamp=str(stamp))

    return Stale(
        lambda: risk_log.thread(a["pat"], thread_id).stamp,
        save,
        lambda: risk_log.thread(a["pat"], thread_id).current.worry,
        "J has been excluded for two days and is at home alone.",
        "J may stop going to school if excluded.",
        "J has been excluded for two days and is at home alone.",
    )


def _risk_review(w: dict) -> Stale:
    a = w["actors"]
    thread_id = risk_log.create_entry(a["pat"], w["team"], _risk_draft(w, "J may stop going to school."))

    def save(by: str, stamp: object, learned: object) -> None:
        risk_log.review(
            a[by],
            thread_id,
            what_happened="better_than_feared",
            what_we_learned=str(learned),
            next_step="keep_holding",
            next_review_on=TODAY + timedelta(days=21),
            stamp=str(stamp),
        )

    return Stale(
        lambda: risk_log.thread(a["pat"], thread_id).stamp,
        save,
        lambda: risk_log.thread(a["pat"], thread_id).reviews[-1].what_we_learned,
        "Boxing on Tuesdays is what keeps him going.",
        "School agreed the timetable.",
        "Boxing on Tuesdays is what keeps him going.",
    )


def _library(w: dict) -> int:
    ruth = w["actors"]["ruth"]
    training.import_starter_library(ruth)
    return next(e.id for e in training.exercises(ruth) if e.slug == "which-risk-are-we-managing")


def _exercise(w: dict) -> Stale:
    ruth = w["actors"]["ruth"]
    ex_id = _library(w)

    def save(_by: str, version: object, title: object) -> None:
        ex = training.exercise(ruth, ex_id)
        training.update_exercise(
            ruth,
            ex_id,
            version=int(version),  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
            title=str(title),
            kind=ex.kind,
            vignette=ex.vignette,
            steps=[s.as_dict() for s in ex.steps],
        )

    return Stale(
        lambda: training.exercise(ruth, ex_id).version,
        save,
        lambda: training.exercise(ruth, ex_id).title,
        "Which risk are we holding?",
        "Whose worry is it?",
        "Which risk are we holding?",
    )


def _exercise_status(w: dict) -> Stale:
    ruth = w["actors"]["ruth"]
    ex_id = _library(w)

    def save(_by: str, version: object, status: object) -> None:
        training.set_status(ruth, ex_id, str(status), int(version))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: training.exercise(ruth, ex_id).version,
        save,
        lambda: training.exercise(ruth, ex_id).status,
        "retired",
        "active",
        None,  # db/training.py's message says to look again; it carries no saved values
    )


def _cohort(w: dict) -> int:
    ruth = w["actors"]["ruth"]
    return training.create_cohort(ruth, name="Spring induction", starts_on=date.today())


def _cohort_notes(w: dict) -> Stale:
    ruth = w["actors"]["ruth"]
    cohort_id = _cohort(w)

    def save(_by: str, version: object, notes: object) -> None:
        training.save_cohort_notes(ruth, cohort_id, notes=str(notes), version=int(version))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: training.cohort(ruth, cohort_id).version,
        save,
        lambda: training.cohort(ruth, cohort_id).notes,
        "Leo would like more time on mapping.",
        "Week two went well.",
        "Leo would like more time on mapping.",
    )


def _run(w: dict) -> int:
    ruth = w["actors"]["ruth"]
    return training.start_run(ruth, _cohort(w), _library(w))


def _run_notes(w: dict) -> Stale:
    ruth = w["actors"]["ruth"]
    run_id = _run(w)

    def save(_by: str, version: object, notes: object) -> None:
        training.save_run_notes(ruth, run_id, notes=str(notes), version=int(version))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: training.run(ruth, run_id).version,
        save,
        lambda: training.run(ruth, run_id).trainer_notes,
        "The group split on whose risk it was.",
        "Come back to step two.",
        "The group split on whose risk it was.",
    )


def _run_step(w: dict) -> Stale:
    ruth = w["actors"]["ruth"]
    run_id = _run(w)

    def save(_by: str, version: object, step: object) -> None:
        training.move(ruth, run_id, int(version), to_step=int(step))  # type: ignore[call-overload]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made

    return Stale(
        lambda: training.run(ruth, run_id).version,
        save,
        lambda: training.run(ruth, run_id).current_step,
        1,
        0,
        None,  # db/training.py's message says where it is now; the screen reloads the run
    )


# (name, scenario, first person, second person): two people where the role allows two,
# otherwise one person's two screens (a trainer's own cohort, a facilitator's two windows).
KINDS = [
    ("person (admin)", _person, "ada", "bea"),
    ("case details", _case_details, "pat", "kim"),
    ("case mapping and formulation", _mapping, "pat", "kim"),
    ("a case's first mapping", _first_mapping, "kim", "pat"),
    ("network member", _network_member, "kim", "pat"),
    ("team board settings and status labels", _board_settings, "sam", "sue"),
    ("session step", _session_step, "sam", "sue"),
    ("session time-box", _session_time, "sue", "sam"),
    ("agenda item notes", _agenda_notes, "pat", "sam"),
    ("action looked back on", _action_review, "sam", "sue"),
    ("risk entry revised", _risk_revise, "kim", "pat"),
    ("risk reviewed", _risk_review, "sam", "pat"),
    ("exercise", _exercise, "ruth", "ruth"),
    ("exercise retired", _exercise_status, "ruth", "ruth"),
    ("cohort notes", _cohort_notes, "ruth", "ruth"),
    ("run notes", _run_notes, "ruth", "ruth"),
    ("run step", _run_step, "ruth", "ruth"),
]


@pytest.mark.parametrize(("kind", "make", "first", "second"), KINDS, ids=[k[0] for k in KINDS])
def test_a_stale_edit_is_refused_and_shows_what_was_saved(
    world: dict, kind: str, make: Callable[[dict], Stale], first: str, second: str
) -> None:
    record = make(world)
    seen = record.load()  # both screens open the same version

    record.save(first, seen, record.first)
    assert record.saved() == record.first
    with session_scope() as s:
        audit_before = len(s.exec(select(AuditEvent.id)).all())

    with pytest.raises(EditConflict) as refused:
        record.save(second, seen, record.second)
    conflict = refused.value
    assert conflict.message, f"{kind}: a conflict says what happened"
    if record.shown is not None:
        shown = " ".join(str(v) for v in conflict.theirs.values())
        assert record.shown in shown, f"{kind}: the conflict shows what was saved ({conflict.theirs})"

    # Nothing of the first save was overwritten, and the refused save left no trace.
    assert record.saved() == record.first
    with session_scope() as s:
        assert len(s.exec(select(AuditEvent.id)).all()) == audit_before

    if record.retry:
        # Having looked again, the second person's save goes through.
        record.save(second, record.load(), record.second)
        assert record.saved() == record.second


def test_every_versioned_table_has_a_scenario() -> None:
    """A new table with a `version` column needs a scenario above (or a reason it has none)."""
    from sqlmodel import SQLModel

    import db.models  # noqa: F401 - registers the tables

    versioned = {t.name for t in SQLModel.metadata.sorted_tables if "version" in t.c and "id" in t.c}
    covered = {
        "person": "person (admin)",
        "case_record": "case details",
        "case_mapping": "case mapping and formulation",
        "network_member": "network member",
        "team": "team board settings and status labels",
        "supervision_session": "session step",
        "agenda_item": "agenda item notes",
        "action": "action looked back on",
        "exercise": "exercise",
        "training_cohort": "cohort notes",
        "exercise_run": "run notes",
    }
    # Tables whose two-people scenario lives beside the rest of their feature's tests.
    elsewhere = {
        "one_to_one": "tests.test_one_to_one:test_two_screens_on_one_one_to_one_never_overwrite_each_other",
        "one_to_one_action": "tests.test_one_to_one:test_two_screens_on_one_one_to_one_never_overwrite_each_other",
        "one_to_one_item": "tests.test_one_to_one:test_cases_check_ins_and_discussion_feed_the_same_trends_and_the_case_page",
        "one_to_one_private": "tests.test_one_to_one:test_the_private_part_stays_with_the_two_and_a_stale_save_is_refused",
        "supervision_agreement": "tests.test_agreements:test_both_agree_with_the_date_and_changing_the_words_clears_an_agreement",
        "agreement_template": "tests.test_agreements:test_drafted_from_the_councils_template_as_the_admin_last_saved_it",
        "case_file_entry": "tests.test_case_file:test_copied_to_the_case_file_says_who_and_when",
    }
    # Revisions are append-only copies (their version is the number of the save they keep).
    versioned.discard("case_mapping_revision")
    assert versioned == set(covered) | set(elsewhere)
    names = {k[0] for k in KINDS}
    assert set(covered.values()) <= names
    import importlib
    import inspect

    for table, where in elsewhere.items():
        module, name = where.split(":")
        test = getattr(importlib.import_module(module), name, None)
        assert test is not None, f"{table}: {where} is gone"
        assert "EditConflict" in inspect.getsource(test), f"{table}: {where} checks no stale save"
