"""The small components on their own, through `AppTest.from_function`: what each draws, and
what it hands back to the page. (Pages are tested through the whole app elsewhere.)

Each script is its function's source run on its own, so it imports what it needs inside;
arguments come through `kwargs`, and what a component returns is put in session state for
the test to read.
"""

from __future__ import annotations

from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from components.case_card import ago
from db.case_board import Card

TODAY = date(2026, 3, 10)


def _card(**changes: object) -> Card:
    values: dict = {
        "case_id": 7,
        "reference": "JB-2041",
        "status": "open",
        "status_label": "Open",
        "lead_id": 1,
        "lead_name": "Priya",
        "best_name": "Aunt Sue",
        "check_in_on": TODAY - timedelta(days=1),
        "check_in_score": 7.5,
        "check_in_change": 1.0,
        "scale": 6,
        "risks_held": 2,
        "last_discussed": TODAY - timedelta(days=21),
        "next_review_on": TODAY + timedelta(days=5),
        "quiet": False,
        "weeks_quiet": 3,
    }
    return Card(**(values | changes))


# --- components/scale.py --------------------------------------------------------------------


def _scale_script() -> None:
    import streamlit as st

    from components.scale import ends, scale

    st.session_state["answer"] = scale("How safe?", key="safe", low="not safe", high="safe")
    ends("not safe", "safe")


def test_a_scale_runs_from_0_to_10_and_starts_unanswered() -> None:
    at = AppTest.from_function(_scale_script).run()
    assert not at.exception
    radio = at.radio(key="safe")
    assert radio.label == "How safe?"
    assert radio.options == [str(n) for n in range(11)]
    assert radio.value is None and at.session_state["answer"] is None  # no nudge to the middle
    assert radio.help == "0 means not safe; 10 means safe."
    assert at.caption[0].value == "0 means not safe · 10 means safe"


def test_a_scale_hands_back_the_number_chosen() -> None:
    at = AppTest.from_function(_scale_script).run()
    at.radio(key="safe").set_value(3).run()
    assert at.session_state["answer"] == 3


# --- components/case_card.py ----------------------------------------------------------------


def _card_script(card: object, today: object, show_status: bool = False) -> None:
    # Plain annotations: the script runs without this module's imports.
    from unittest import mock

    import streamlit as st

    from components import case_card

    # The link goes to the case page, which only exists inside the whole app: note it instead.
    def link(page: str, **kwargs: object) -> None:
        st.session_state["link"] = (page, kwargs)

    with mock.patch.object(st, "page_link", link):
        case_card.show(card, today, 6, show_status=show_status)  # type: ignore[arg-type]  # AppTest runs this function's source on its own, so its parameters are typed object


def test_a_card_shows_who_holds_the_case_and_how_it_is_going() -> None:
    at = AppTest.from_function(_card_script, kwargs={"card": _card(), "today": TODAY}).run()
    assert not at.exception
    text = at.markdown[0].value
    assert text.startswith("### JB\\-2041")
    assert "Lead: **Priya**" in text and "Best relationship: **Aunt Sue**" in text
    assert "Relationship check-in **7.5**/10, yesterday" in text
    assert ":material/trending_up: warmer than the check-in before" in text
    assert "Safety scale: **6**/10" in text and "Worries held together: **2**" in text
    assert "Last talked about in supervision: 3 weeks ago" in text
    assert f"Next review: {TODAY + timedelta(days=5):%d %b %Y}" in text
    assert "Not talked about" not in text and "_Open_" not in text
    page, link = at.session_state["link"]
    assert page == "pages/case.py" and link["label"] == "Open JB\\-2041"
    assert link["query_params"] == {"case": "7"}


def test_a_quiet_card_says_so_in_words_and_names_its_status_when_asked() -> None:
    card = _card(quiet=True, check_in_score=None, check_in_change=None, scale=None, risks_held=0)
    at = AppTest.from_function(_card_script, kwargs={"card": card, "today": TODAY, "show_status": True}).run()
    text = at.markdown[0].value
    assert "Not talked about for 6+ weeks" in text and "_Open_" in text
    assert "No relationship check-in yet" in text
    assert "Safety scale: not scaled yet" in text and "Worries held together: none open" in text


def test_a_card_shows_typed_words_as_typed_and_a_review_that_has_come() -> None:
    card = _card(reference="[x](javascript:alert(1))", lead_name="<b>Jo</b>", next_review_on=TODAY)
    at = AppTest.from_function(_card_script, kwargs={"card": card, "today": TODAY}).run()
    text = at.markdown[0].value
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in text and "**\\<b\\>Jo\\</b\\>**" in text
    assert "Review date has come" in text


def test_ago_says_how_long_in_words() -> None:
    assert ago(None, TODAY) == "not yet"
    assert ago(TODAY, TODAY) == "today"
    assert ago(TODAY - timedelta(days=1), TODAY) == "yesterday"
    assert ago(TODAY - timedelta(days=13), TODAY) == "13 days ago"
    assert ago(TODAY - timedelta(days=15), TODAY) == "2 weeks ago"


# --- components/forms.py --------------------------------------------------------------------


def _problems_script(problems: dict, templates: dict, labels: dict) -> None:
    from components import forms
    from db.errors import NotValid

    forms.show_problems(NotValid(problems, templates), labels)


def test_problems_name_each_field_as_the_form_shows_it() -> None:
    at = AppTest.from_function(
        _problems_script,
        kwargs={
            "problems": {"worry": "Worry needs a few words.", "review_on": "Pick a later date."},
            "templates": {"worry": "{label} needs a few words."},
            "labels": {"worry": "What are you worried might happen?", "review_on": "When again?"},
        },
    ).run()
    error = at.error[0].value
    assert "everything you typed is still here" in error
    assert "- **What are you worried might happen?** needs a few words\\." in error
    assert "- **When again?**: Pick a later date\\." in error


def _conflict_script() -> None:
    from components import forms
    from db.errors import EditConflict

    forms.show_conflict(
        EditConflict("Sam saved a change while you were typing.", {"notes": "Sam's words"}),
        {"notes": "Notes"},
    )


def test_a_conflict_says_who_changed_it_and_shows_what_is_saved_now() -> None:
    at = AppTest.from_function(_conflict_script).run()
    assert at.warning[0].value == "Sam saved a change while you were typing\\."
    assert at.caption[0].value == "What is saved now"
    assert list(at.table[0].value.columns) == ["Notes"]
    assert at.table[0].value["Notes"].tolist() == ["Sam's words"]


# --- components/risk_form.py: a form hands back what was typed, and keeps it ---------------


def _entry_script() -> None:
    import streamlit as st

    from components import risk_form
    from db.risk_log import Choice, FormOptions, RiskDraft

    options = FormOptions(
        team_id=1,
        team_name="Riverside",
        members=(Choice(1, "Priya"), Choice(2, "Sam")),
        cases=(Choice(7, "JB-2041"),),
        sessions=(),
    )
    draft = risk_form.entry_form("t", options, RiskDraft(raised_by_id=1), submit_label="Hold this")
    if draft is not None:
        st.session_state["drafts"] = [*st.session_state.get("drafts", []), draft]


def test_the_risk_form_hands_back_nothing_until_submitted_then_everything_typed() -> None:
    at = AppTest.from_function(_entry_script, default_timeout=10).run()
    assert not at.exception
    assert "drafts" not in at.session_state
    at.text_area(key="t_worry").input("He may run from school")
    at.multiselect(key="t_holders").select(1).select(2)
    at.radio(key="t_before").set_value(8)
    at.button[0].click().run()
    (draft,) = at.session_state["drafts"]
    assert draft.worry == "He may run from school"
    assert draft.raised_by_id == 1 and draft.holder_ids == (1, 2) and draft.worry_before == 8
    assert draft.case_id is None and draft.decision == ""
    # What was typed stays in the form for the page to save, or to show problems beside.
    assert at.text_area(key="t_worry").value == "He may run from school"


# --- components/downloads.py ----------------------------------------------------------------


def _download_script() -> None:
    import streamlit as st

    from components import downloads

    def build() -> bytes:
        st.session_state["built"] = st.session_state.get("built", 0) + 1
        return b"a,b\n"

    made = downloads.prepare(
        "Prepare it", build, key="prep", keep_as="made", fits=st.session_state.get("fits")
    )
    if made:
        downloads.file("Download it", made=made, file_name="it.csv", key="dl")


def test_prepare_builds_on_its_press_only_and_keeps_the_file_while_it_fits() -> None:
    at = AppTest.from_function(_download_script).run()
    assert "built" not in at.session_state and not at.get("download_button")
    at.button(key="prep").click().run()
    assert at.session_state["built"] == 1
    (button,) = at.get("download_button")
    assert button.proto.label == "Download it"
    at.run()  # a rerun hands over the same file without building it again
    assert at.session_state["built"] == 1 and at.get("download_button")
    at.session_state["fits"] = "other filters"
    at.run()
    assert not at.get("download_button")


def _built_when_pressed_script() -> None:
    import streamlit as st

    from components import downloads

    def build(who: object) -> bytes:
        st.session_state["built_for"] = who
        return b"%PDF"

    downloads.file("Download the PDF", build, file_name="record.pdf", key="pdf", help="Only this part.")


def test_a_download_is_not_built_by_drawing_its_button() -> None:
    at = AppTest.from_function(_built_when_pressed_script).run()
    assert not at.exception
    (button,) = at.get("download_button")
    assert button.proto.label == "Download the PDF" and button.proto.help == "Only this part."
    # Built only when pressed, for the sign-in that holds then (identity.deferred).
    assert "built_for" not in at.session_state
