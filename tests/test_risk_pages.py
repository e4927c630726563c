"""The risk-log screens through AppTest: naming a worry (and a refused save that keeps every
word), looking back at it, correcting it, closing it, a manager agreeing it, overdue reviews
on what we hold, and each team seeing only its own worries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from db import risk_log
from db.clock import utcnow
from db.engine import session_scope
from db.models import Case, RiskEntry
from db.risk_log import RiskDraft
from tests import factories
from tests.conftest import app_for

TODAY = utcnow().date()
NEW = "risk_new_{team}"


@pytest.fixture
def team(sqlite_db: str) -> dict:
    riverside = factories.team("Riverside")
    northgate = factories.team("Northgate")
    people = {
        "pat": factories.person("pat", "practitioner", {riverside: "practitioner"}),
        "sam": factories.person("sam", "supervisor", {riverside: "supervisor"}),
        "max": factories.person("max", "manager", {riverside: "manager", northgate: "manager"}),
        "nia": factories.person("nia", "practitioner", {northgate: "practitioner"}),
    }
    with session_scope(write=True) as s:
        case = Case(team_id=riverside, reference="JT-07", lead_practitioner_id=people["pat"].person_id)
        s.add(case)
        s.flush()
        case_id = int(case.id)
    return {"team": riverside, "other": northgate, "case": case_id, **people}


def _entries() -> int:
    with session_scope() as s:
        return int(s.exec(select(func.count()).select_from(RiskEntry)).one())


def _held(t: dict, **changes: object) -> str:
    draft = RiskDraft(
        worry="A has stayed out all night twice; nobody knows where he goes.",
        whose_risk="both",
        whose_risk_reasoning="Some is ordinary independence at 16; some is real.",
        keeping_safe="A texts Dad when he stays over.",
        decision="Hold this together; no missing-from-home response unless he can't be reached by morning.",
        decision_reasons="A formal route now would push him away.",
        holder_ids=(t["pat"].person_id, t["sam"].person_id),
        review_on=TODAY + timedelta(days=14),
        case_id=t["case"],
        raised_by_id=t["pat"].person_id,
        worry_before=7,
        worry_after=5,
    )
    for key, value in changes.items():
        draft = RiskDraft(**{**draft.__dict__, key: value})
    return risk_log.create_entry(t["pat"].actor(), t["team"], draft, today=TODAY - timedelta(days=30))


def _open_thread(token: str, thread_id: str):
    at = app_for(token)
    at.session_state["risk_thread"] = thread_id
    return at.switch_page("pages/risk_entry.py").run()


def _texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    )


def _tab(at, label: str):
    """Open one of the risk log's tabs, as a click on it would: only the open tab is drawn."""
    at.session_state["tab"] = label
    return at.run()


def test_naming_a_worry_keeps_every_word_when_refused_then_saves(team: dict) -> None:
    at = app_for(team["pat"].token).switch_page("pages/risk_log.py").run()
    assert not at.exception
    at.button(key="risk_log_new").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "A worry we're holding"
    assert "will be able to read this" in at.info[0].value
    # AppTest reruns the page it last switched to, so follow the screen's own switch.
    at.switch_page("pages/risk_entry.py").run()
    prefix = NEW.format(team=team["team"])
    at.text_area(key=f"{prefix}_worry").input("A has stayed out all night twice.")
    at.radio(key=f"{prefix}_whose").set_value("both")
    at.text_area(key=f"{prefix}_reasoning").input("Some of it is being 16.")
    at.text_area(key=f"{prefix}_decision").input("Hold it together for two weeks.")
    at.text_area(key=f"{prefix}_reasons").input("He still talks to Jack.")
    at.button(key=f"FormSubmitter:{prefix}-Hold this together").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "everything you typed is still here" in message
    assert (
        "at least two people" in message
        and "How worried were you before" in message
        and "When shall we look at this again?" in message
    )
    assert at.text_area(key=f"{prefix}_worry").value == "A has stayed out all night twice."
    assert at.radio(key=f"{prefix}_whose").value == "both"
    assert _entries() == 0

    at.multiselect(key=f"{prefix}_holders").set_value([team["pat"].person_id, team["sam"].person_id])
    at.radio(key=f"{prefix}_before").set_value(7)
    at.radio(key=f"{prefix}_after").set_value(4)
    at.text_input(key=f"{prefix}_review_on").input(f"{TODAY + timedelta(days=14):%d/%m/%Y}")
    at.selectbox(key=f"{prefix}_case").set_value(team["case"])
    at.button(key=f"FormSubmitter:{prefix}-Hold this together").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _entries() == 1
    shown = _texts(at)
    assert "JT\\-07" in shown and "A has stayed out all night twice" in shown
    assert "Pat Example, Sam Example" in shown

    # Sam, who holds it with Pat, finds it on what we're holding and on their own list.
    at = app_for(team["sam"].token).switch_page("pages/risk_log.py").run()
    assert "A has stayed out all night twice" in _texts(at)
    assert "Held with Pat Example" not in _texts(at)  # only the open tab is drawn
    assert "Held with Pat Example" in _texts(_tab(at, "What I'm holding"))


def test_a_review_that_keeps_holding_then_one_that_closes(team: dict) -> None:
    thread_id = _held(team)
    at = _open_thread(team["sam"].token, thread_id)
    prefix = f"risk_review_{thread_id}"
    at.radio(key=f"{prefix}_happened").set_value("better_than_feared")
    at.text_area(key=f"{prefix}_learned").input("A texted every time.")
    at.radio(key=f"{prefix}_next").set_value("keep_holding")
    at.button(key=f"FormSubmitter:{prefix}-Save the review").click().run()
    assert "look at this again" in at.error[0].value  # no date yet: asked for, nothing lost
    assert at.text_area(key=f"{prefix}_learned").value == "A texted every time."
    later = TODAY + timedelta(days=21)
    at.text_input(key=f"{prefix}_next_review_on").input(f"{later:%d/%m/%Y}")
    at.button(key=f"FormSubmitter:{prefix}-Save the review").click().run()
    assert not at.exception and not at.error
    detail = risk_log.thread(team["sam"].actor(), thread_id)
    assert detail.next_review_on == later and len(detail.reviews) == 1
    assert "A texted every time" in _texts(at)

    at.radio(key=f"{prefix}_happened").set_value("as_feared")
    at.text_area(key=f"{prefix}_learned").input("Steady now; Dad knows who to call.")
    at.radio(key=f"{prefix}_next").set_value("close")
    at.button(key=f"FormSubmitter:{prefix}-Save the review").click().run()
    assert not at.exception and not at.error
    detail = risk_log.thread(team["sam"].actor(), thread_id)
    assert not detail.is_open and detail.original.status == "open"
    assert "Closed" in _texts(at) and "This worry is closed" in _texts(at)
    at = app_for(team["sam"].token).switch_page("pages/risk_log.py").run()
    assert "A has stayed out all night" not in "\n".join(m.value for m in at.markdown)


def test_changing_the_plan_at_a_review_adds_a_version(team: dict) -> None:
    thread_id = _held(team)
    at = _open_thread(team["pat"].token, thread_id)
    prefix = f"risk_review_{thread_id}"
    at.radio(key=f"{prefix}_happened").set_value("worse_than_feared")
    at.text_area(key=f"{prefix}_learned").input("He went quiet for a weekend.")
    at.radio(key=f"{prefix}_next").set_value("change_plan")
    at.text_input(key=f"{prefix}_next_review_on").input(f"{TODAY + timedelta(days=7):%d/%m/%Y}")
    at.text_area(key=f"{prefix}_plan").input("Dad has the out-of-hours number.")
    at.button(key=f"FormSubmitter:{prefix}-Save the review").click().run()
    assert not at.exception and not at.error
    detail = risk_log.thread(team["pat"].actor(), thread_id)
    assert [r.revision for r in detail.revisions] == [1, 2]
    assert detail.current.keeping_safe == "Dad has the out-of-hours number."
    assert any(
        "Version 2" in e.label and "At a review, changed: What is keeping them safe" in e.label
        for e in at.expander
    )


def test_a_correction_through_the_screen_keeps_the_original(team: dict) -> None:
    thread_id = _held(team)
    at = _open_thread(team["sam"].token, thread_id)
    prefix = f"risk_revise_{thread_id}"
    assert at.text_area(key=f"{prefix}_worry").value.startswith("A has stayed out")
    at.text_area(key=f"{prefix}_family").input("Dad wants him grounded; A says everyone is overreacting.")
    at.button(key=f"FormSubmitter:{prefix}-Save as a new version").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Version 2") and "Sam Example" in label for label in labels)
    assert any(label.startswith("Version 1") and "As first named" in label for label in labels)
    detail = risk_log.thread(team["pat"].actor(), thread_id)
    assert detail.original.family_view == "" and detail.current.family_view.startswith("Dad wants")
    # The form now shows the saved version, ready for the next change.
    assert at.text_area(key=f"{prefix}_family").value.startswith("Dad wants")


def test_a_correction_on_a_stale_copy_names_the_colleague_and_keeps_the_text(team: dict) -> None:
    thread_id = _held(team)
    at = _open_thread(team["pat"].token, thread_id)
    detail = risk_log.thread(team["sam"].actor(), thread_id)
    risk_log.revise(
        team["sam"].actor(),
        thread_id,
        RiskDraft(**{**detail.current.as_draft().__dict__, "decision": "Sam's new decision"}),
        stamp=detail.stamp,
    )
    prefix = f"risk_revise_{thread_id}"
    at.text_area(key=f"{prefix}_worry").input("Pat's rewording")
    at.button(key=f"FormSubmitter:{prefix}-Save as a new version").click().run()
    assert not at.exception
    assert "Sam Example" in at.warning[0].value
    assert at.text_area(key=f"{prefix}_worry").value == "Pat's rewording"
    assert _entries() == 2


def test_overdue_reviews_are_flagged_on_what_we_hold(team: dict) -> None:
    _held(team, review_on=TODAY - timedelta(days=2))
    _held(team, review_on=TODAY + timedelta(days=3), case_id=None, worry="A team-level worry about cover")
    at = app_for(team["sam"].token).switch_page("pages/risk_log.py").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Worries held together": "2", "Reviews due this week": "1", "Reviews overdue": "1"}
    shown = "\n".join(m.value for m in at.markdown)
    assert ":red-badge[:material/schedule: Review overdue by 2 days]" in shown
    # Red only for what is overdue, on "what we hold" and on Sam's own list.
    assert shown.count(":red-badge") == shown.count("Review overdue") == 1
    mine = "\n".join(m.value for m in _tab(at, "What I'm holding").markdown)
    assert mine.count(":red-badge") == mine.count("Review overdue") == 1


def test_the_accountable_manager_agrees_on_the_screen(team: dict) -> None:
    thread_id = _held(team, needs_manager=True)
    at = _open_thread(team["pat"].token, thread_id)
    assert "Waiting for the manager" in _texts(at)
    assert not [b for b in at.button if b.key == f"risk_agree_{thread_id}"]
    at = _open_thread(team["max"].token, thread_id)
    at.button(key=f"risk_agree_{thread_id}").click().run()
    assert not at.exception and not at.error
    assert risk_log.thread(team["pat"].actor(), thread_id).current.manager_agreed_by == "Max Example"
    assert "Max Example agreed" in _texts(at)


def test_the_team_log_filters_and_opens_a_worry(team: dict) -> None:
    first = _held(team)
    _held(team, case_id=None, worry="Cover for the summer", whose_risk="professional_anxiety")
    at = _tab(app_for(team["sam"].token).switch_page("pages/risk_log.py").run(), "The team's log")
    at.selectbox(key="risk_log_whose").set_value("professional_anxiety")
    at.button(key="FormSubmitter:risk_log_filters-Show these worries").click().run()
    assert not at.exception
    (table,) = at.dataframe
    assert list(table.value["About"]) == ["team-level"]
    at.selectbox(key="risk_log_whose").set_value(None)
    at.text_input(key="risk_log_text").input("stayed out")
    at.button(key="FormSubmitter:risk_log_filters-Show these worries").click().run()
    (table,) = at.dataframe
    assert list(table.value["About"]) == ["JT-07"]
    at.button(key="risk_log_open").click().run()
    assert not at.exception
    assert at.title[0].value == "A worry we're holding"
    assert at.session_state["risk_thread"] == first


def test_each_team_sees_only_its_own_worries(team: dict) -> None:
    thread_id = _held(team)
    at = app_for(team["nia"].token).switch_page("pages/risk_log.py").run()
    assert not at.exception
    assert "stayed out" not in _texts(at)
    assert {m.label: m.value for m in at.metric}["Worries held together"] == "0"
    at = _open_thread(team["nia"].token, thread_id)
    assert not at.exception
    assert "only the team and its managers" in at.warning[0].value
    assert "stayed out" not in _texts(at)


def test_the_entry_screen_without_a_worry_chosen_invites_one(team: dict) -> None:
    at = app_for(team["pat"].token).switch_page("pages/risk_entry.py").run()
    assert not at.exception and not at.error
    assert "Choose a worry" in at.info[0].value
    at.button(key="risk_entry_new").click().run()
    assert not at.exception
    assert any(sub.value == "Name a new worry" for sub in at.header)


def test_typed_text_is_shown_as_text_never_as_markup(team: dict) -> None:
    thread_id = _held(team, worry="See [this](http://example.org) <b>now</b> :red[alarm]")
    at = _open_thread(team["pat"].token, thread_id)
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "\\[this\\]\\(http\\:" in shown and "\\<b\\>" in shown and "\\:red\\[alarm\\]" in shown
    assert "[this](http" not in shown
