"""The one-to-one, agreement and template screens through the real app (AppTest): a supervisor
plans, both write, the practitioner's arrival and wellbeing are saved, a refused save keeps
what was typed, the supervisor closes and the record shows with its downloads; an agreement
is drafted from the template and agreed by both; the admin edits the template; Home shows
who is overdue; the screens are in the right people's navigation only."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.identity import TEST_TOKEN_KEY
from db import agreements, case_board, clock, one_to_one
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def open_page(token: str, page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[TEST_TOKEN_KEY] = token
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def team(sqlite_db: str):
    t = factories.team("Riverside")
    w = {
        "team": t,
        "sup": factories.person("hannah", "supervisor", {t: "supervisor"}),
        "prac": factories.person("priya", "practitioner", {t: "practitioner"}),
        "tom": factories.person("tom", "practitioner", {t: "practitioner"}),
        "manager": factories.person("marcus", "manager", {t: "manager"}),
        "admin": factories.person("alex", "admin"),
    }
    w["case"] = case_board.create_case(w["sup"].actor(), t, reference="JT-07", lead_id=w["prac"].person_id)  # type: ignore[attr-defined]  # typed object (a mixed-field dict's value or any record's id); its real type is set where it is made
    return w


def _headings(at: AppTest) -> list[str]:
    # Section headings may be drawn as st.header or st.subheader (heading order is kept app-wide).
    return [h.value for h in at.header] + [h.value for h in at.subheader]


def _text(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [t.value for t in at.text]
        + [i.value for i in at.info]
        + [w.value for w in at.warning]
        + [e.value for e in at.error]
    )


def test_the_screens_are_in_the_right_navigation(team) -> None:
    for who in ("prac", "sup"):
        open_page(team[who].token, "pages/one_to_one.py")
        open_page(team[who].token, "pages/agreement.py")
    open_page(team["admin"].token, "pages/agreement_template.py")
    for who in ("manager", "admin"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state[TEST_TOKEN_KEY] = team[who].token
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/one_to_one.py")


def test_plan_write_close_and_read_the_record(team) -> None:
    at = open_page(team["sup"].token, "pages/one_to_one.py")
    assert "Plan a one-to-one" in [e.label for e in at.expander]
    day = clock.today() + timedelta(days=3)
    at.text_input(key="o2o_plan_day").set_value(f"{day:%d/%m/%Y}")
    next(b for b in at.button if b.label == "Plan the one-to-one").click().run()
    assert not at.exception
    oid = one_to_one.mine(team["sup"].actor())[0].id
    assert one_to_one.view(team["sup"].actor(), oid).practitioner == "Priya Example"
    # The date field starts empty again for the next one.
    assert at.text_input(key="o2o_plan_day").value == ""

    # Priya arrives: a refused save (no number chosen) keeps her word; then it saves.
    at = open_page(team["prac"].token, "pages/one_to_one.py", {"one_to_one": str(oid)})
    assert "stays between the two of you" in _text(at)
    at.text_input(key=f"o2o_arrw_{oid}").set_value("stretched")
    next(b for b in at.button if b.label == "Share how I'm arriving").click().run()
    assert "everything you typed is still here" in _text(at)
    assert at.text_input(key=f"o2o_arrw_{oid}").value == "stretched"
    at.radio(key=f"o2o_arr_{oid}").set_value(4)
    next(b for b in at.button if b.label == "Share how I'm arriving").click().run()
    assert one_to_one.private(team["sup"].actor(), oid).arrival_word == "stretched"

    # Wellbeing and development, written by Priya, read by Hannah.
    at.segmented_control(key=f"o2o_part_{oid}").set_value("Wellbeing and development").run()
    at.text_area(key=f"o2o_been_hard_{oid}").set_value("Court week")
    next(b for b in at.button if b.label == "Save wellbeing and development").click().run()
    assert not at.exception
    assert one_to_one.private(team["sup"].actor(), oid).been_hard == "Court week"

    # Hannah closes it: the record shows with amendments and both downloads.
    at = open_page(team["sup"].token, "pages/one_to_one.py", {"one_to_one": str(oid)})
    at.segmented_control(key=f"o2o_part_{oid}").set_value("Closing").run()
    next(b for b in at.button if b.label == "Close this one-to-one").click().run()
    assert not at.exception
    at = open_page(team["prac"].token, "pages/one_to_one.py", {"one_to_one": str(oid)})
    assert "Court week" in [t.value for t in at.text]
    assert {"Download the PDF", "Download the CSV"} <= {d.label for d in at.get("download_button")}  # type: ignore[union-attr]  # Streamlit's AppTest types a found node as Element | Block; the test found a widget
    at.text_area(key=f"o2o_amend_t_{oid}").set_value("I meant the March course.")
    next(b for b in at.button if b.label == "Add the amendment").click().run()
    assert [a.text for a in one_to_one.view(team["sup"].actor(), oid).amendments] == [
        "I meant the March course."
    ]


def test_a_stale_save_of_the_private_part_shows_theirs_and_keeps_mine(team) -> None:
    oid = one_to_one.plan(team["sup"].actor(), team["prac"].person_id, day=clock.today(), start=time(14))
    at = open_page(team["prac"].token, "pages/one_to_one.py", {"one_to_one": str(oid)})
    at.segmented_control(key=f"o2o_part_{oid}").set_value("Wellbeing and development").run()
    # Hannah saves in between.
    one_to_one.save_private(team["sup"].actor(), oid, {"learning": "Hannah's words"}, version=0)
    at.text_area(key=f"o2o_support_needed_{oid}").set_value("Priya's words")
    next(b for b in at.button if b.label == "Save wellbeing and development").click().run()
    assert "saved this part after you opened it" in _text(at)
    assert at.text_area(key=f"o2o_support_needed_{oid}").value == "Priya's words"
    assert one_to_one.private(team["sup"].actor(), oid).support_needed == ""
    # Saving again now goes through, Hannah's words kept.
    next(b for b in at.button if b.label == "Save wellbeing and development").click().run()
    saved = one_to_one.private(team["sup"].actor(), oid)
    assert (saved.learning, saved.support_needed) == ("Hannah's words", "Priya's words")


def test_an_agreement_drafted_from_the_template_and_agreed_by_both(team) -> None:
    at = open_page(team["admin"].token, "pages/agreement_template.py")
    at.text_area(key="agr_tpl_where_we_meet").set_value("Room 2 at the family hub")
    next(b for b in at.button if b.label == "Save the template").click().run()
    assert not at.exception
    at = open_page(team["sup"].token, "pages/agreement.py", {"practitioner": str(team["prac"].person_id)})
    next(b for b in at.button if b.label == "Draft an agreement from the template").click().run()
    assert "Room 2 at the family hub" in [t.value for t in at.text]
    next(b for b in at.button if b.label == "I agree to this agreement as it stands").click().run()
    at = open_page(team["prac"].token, "pages/agreement.py")
    assert "Hannah Example agreed on" in _text(at)
    next(b for b in at.button if b.label == "I agree to this agreement as it stands").click().run()
    at = open_page(team["prac"].token, "pages/agreement.py")
    assert "Your agreement now" in _headings(at)
    revs = agreements.revisions(team["prac"].actor())
    assert [(r.revision, r.status) for r in revs] == [(1, "agreed")]
    # Tom (another practitioner) has none, and sees only his own empty state.
    at = open_page(team["tom"].token, "pages/agreement.py")
    assert "don't have a supervision agreement yet" in _text(at)
    assert "Room 2" not in _text(at)


def test_home_tells_the_supervisor_who_is_overdue(team) -> None:
    from db.engine import session_scope
    from db.supervision_models import SupervisionAgreement

    long_ago = clock.today() - timedelta(days=120)
    with session_scope(write=True) as s:
        s.add(
            SupervisionAgreement(
                practitioner_id=team["prac"].person_id,
                supervisor_id=team["sup"].person_id,
                team_id=team["team"],
                status="agreed",
                practitioner_agreed_on=long_ago,
                supervisor_agreed_on=long_ago,
                review_on=long_ago + timedelta(days=365),
                created_by_id=team["sup"].person_id,
            )
        )
    at = open_page(team["sup"].token, "pages/home.py")
    assert "One-to-ones" in _headings(at)
    assert any("Overdue against their agreement: Priya Example" in w.value for w in at.warning)
    at = open_page(team["prac"].token, "pages/home.py")
    assert "One-to-ones" not in _headings(at)
