"""components/fields.py and the rules behind it in db/validation.py: what the field shows is
what is saved. A paste over the limit is kept whole and refused with a count; an impossible or
out-of-range date and a fraction in a whole-number field are refused with the allowed range,
never moved, clamped or rounded; messages name the field as the person sees it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from db import people
from db.errors import NotValid
from db.validation import Checks, read_day, read_whole
from tests import factories


def _form_app() -> None:
    from datetime import date

    import streamlit as st

    from components import fields, forms
    from db.errors import NotValid
    from db.validation import Checks

    with st.form("f"):
        note = fields.area("What have you changed in response?", key="note", limit=20)
        day = fields.date(
            "By when?",
            key="day",
            earliest=date(2026, 1, 1),
            latest=date(2026, 12, 31),
            value=date(2026, 3, 10),
        )
        minutes = fields.whole_number("About how many minutes?", key="minutes", low=5, high=120, value=10)
        if st.form_submit_button("Save"):
            c = Checks()
            c.text("what_i_changed", note, "What I changed", max_len=20)
            c.day("due_on", day, "By when", today=date(2026, 6, 1), past_days=151, future_days=213)
            c.whole_number("minutes", minutes, "Minutes", low=5, high=120)
            try:
                c.raise_if_any()
                st.success(f"saved {note!r} {day!r} {minutes!r}")
            except NotValid as problem:
                forms.show_problems(
                    problem,
                    {
                        "what_i_changed": "What have you changed in response?",
                        "due_on": "By when?",
                        "minutes": "About how many minutes?",
                    },
                )


def _run(note: str, day: str, minutes: str) -> AppTest:
    at = AppTest.from_function(_form_app).run()
    at.text_area(key="note").input(note)
    at.text_input(key="day").input(day)
    at.text_input(key="minutes").input(minutes)
    at.button[0].click().run()
    assert not at.exception
    return at


def _error(at: AppTest) -> str:
    return at.error[0].value.replace("\\", "")


def test_a_paste_over_the_limit_is_kept_whole_and_counted() -> None:
    pasted = "x" * 40
    at = _run(pasted, "10/03/2026", "10")
    assert at.text_area(key="note").value == pasted  # every character still in the field
    assert "has 40 characters and holds up to 20; please take out 20 characters" in _error(at)
    assert "**What have you changed in response?**" in at.error[0].value
    assert any("20 more than the 20" in c.value for c in at.caption)
    assert not at.success


def test_a_hidden_control_character_names_the_field_as_shown() -> None:
    at = _run("bell\x07", "10/03/2026", "10")
    message = _error(at).replace("**", "")
    assert "What have you changed in response? has a hidden control character" in message
    assert "What I changed" not in message


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("30/02/2026", "February 2026 has 28 days"),
        ("01/01/1900", "from 01/01/2026 to 31/12/2026; 01/01/1900 is outside that"),
        ("31/12/2999", "from 01/01/2026 to 31/12/2026; 31/12/2999 is outside that"),
        ("next tuesday", "please write it as DD/MM/YYYY"),
        ("10/13/2026", "months go from 01 to 12"),
    ],
)
def test_an_impossible_or_out_of_range_date_is_refused_and_kept(typed: str, says: str) -> None:
    at = _run("fine", typed, "10")
    assert says in _error(at)
    assert "By when?" in _error(at)
    assert at.text_input(key="day").value == typed
    assert not at.success


def test_the_date_typed_is_the_date_saved() -> None:
    at = _run("fine", "15/06/2026", "10")
    assert at.success[0].value == "saved 'fine' datetime.date(2026, 6, 15) 10"
    assert any("Monday 15 June 2026" in c.value for c in at.caption)


@pytest.mark.parametrize("typed", ["10.5", "ten", "1e3", "10,5"])
def test_a_fraction_or_words_in_a_whole_number_are_refused_never_rounded(typed: str) -> None:
    at = _run("fine", "10/03/2026", typed)
    assert f"takes a whole number from 5 to 120, and “{typed}” isn't one" in _error(at)
    assert at.text_input(key="minutes").value == typed
    assert not at.success


def test_reading_is_strict() -> None:
    assert read_day("01/02/2026") == date(2026, 2, 1)
    assert read_day("2026-02-01") == date(2026, 2, 1)
    assert isinstance(read_day("29/02/2026"), str)
    assert read_day("29/02/2028") == date(2028, 2, 29)
    assert read_whole("12") == 12 and read_whole(" 7 ") == 7
    assert read_whole("10.5") is None and read_whole(10.5) is None and read_whole(True) is None


def test_checks_name_the_range_and_the_count() -> None:
    c = Checks()
    c.day("d", date(1900, 1, 1), "The date", today=date(2026, 6, 1), past_days=0, future_days=10)
    c.text("t", "y" * 105, "Notes", max_len=100)
    c.whole_number("n", "3.0", "Weeks", low=1, high=26)
    assert c.problems["d"] == (
        "The date can be from 01/06/2026 to 11/06/2026; 01/01/1900 is outside that, so please check the day and year."
    )
    assert "Notes has 105 characters and holds up to 100; please take out 5 characters" in c.problems["t"]
    assert "“3.0” isn't one" in c.problems["n"]


def test_a_team_with_a_fraction_of_weeks_is_refused(db: str) -> None:
    admin = factories.person("ada", "admin").actor()
    for weeks in ("10.5", 10.5, "ten", 0, 27):
        with pytest.raises(NotValid) as refused:
            people.create_team(admin, "Riverside", "", weeks)  # type: ignore[arg-type]  # a deliberately wrong input: the data layer must refuse it, which is what the test checks
        assert "Weeks before a gentle nudge" in refused.value.problems["not_discussed_weeks"]
    people.create_team(admin, "Riverside", "", "12")
    assert [t.not_discussed_weeks for t in people.list_teams(admin)] == [12]


def test_an_unreadable_review_date_is_refused_not_saved_as_no_date(db: str) -> None:
    from db import case_board

    team = factories.team("Riverside")
    sam = factories.person("sam", "practitioner", {team: "supervisor"}).actor()
    for typed, says in (("30/02/2026", "isn't on the calendar"), (date(1900, 1, 1), "is outside that")):
        with pytest.raises(NotValid) as refused:
            case_board.create_case(
                sam, team, reference="JT-07", lead_id=sam.person_id, status="new", next_review_on=typed  # type: ignore[arg-type]  # a deliberately wrong input: the data layer must refuse it, which is what the test checks
            )
        assert says in refused.value.problems["next_review_on"]
    soon = date.today() + timedelta(days=30)
    case_board.create_case(
        sam, team, reference="JT-07", lead_id=sam.person_id, status="new", next_review_on=soon
    )
