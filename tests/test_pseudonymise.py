"""The pseudonymisation checks, with many generated inputs: references that identify someone
are refused whatever their shape; pseudonymised references pass; free text only warns."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from db import pseudonymise as p

settings.register_profile("circle", max_examples=200, deadline=None)
settings.load_profile("circle")

# --- Generators ---------------------------------------------------------------------------
upper = st.characters(categories=["Lu"]).filter(
    lambda c: c.isupper() and c.lower() != c and len(c.lower()) == 1
)
lower = st.characters(categories=["Ll"]).filter(lambda c: c.islower() and c.isalpha())
name_word = st.builds(
    lambda first, rest, joined: first + rest + joined,
    upper,
    st.text(lower, min_size=1, max_size=12),
    st.one_of(
        st.just(""),
        st.builds(
            lambda sep, w: sep + w,
            st.sampled_from(["-", "'"]),
            st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True),
        ),
    ),
)
full_name = st.lists(name_word, min_size=2, max_size=4).map(" ".join)

MONTHS = [
    "January",
    "Feb",
    "March",
    "Apr",
    "May",
    "June",
    "Jul",
    "August",
    "Sept",
    "October",
    "Nov",
    "December",
]
dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2035, 12, 31))


def _formats(d: date) -> list[str]:
    month = MONTHS[d.month - 1]
    return [
        f"{d:%d/%m/%Y}",
        f"{d.day}/{d.month}/{d:%y}",
        f"{d:%d-%m-%Y}",
        f"{d:%d.%m.%Y}",
        d.isoformat(),
        f"{d.day} {month} {d.year}",
        f"{d.day}th {month} {d:%y}",
        f"{month} {d.day}, {d.year}",
        f"{month} {d.year}",
        f"{d.day} {month}",
    ]


date_text = st.builds(lambda d, i: _formats(d)[i], dates, st.integers(0, 9))
nhs_number = st.builds(
    lambda digits, spaced, sep: f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}" if spaced else digits,
    st.from_regex(r"\d{10}", fullmatch=True),
    st.booleans(),
    st.sampled_from([" ", "-"]),
)
# The six UK postcode shapes, with and without the space, in either case.
postcode = st.builds(
    lambda outward, inward, space, lower_case: (
        (outward + (" " if space else "") + inward).lower()
        if lower_case
        else outward + (" " if space else "") + inward
    ),
    st.one_of(
        st.from_regex(r"[A-Z]\d", fullmatch=True),
        st.from_regex(r"[A-Z]\d\d", fullmatch=True),
        st.from_regex(r"[A-Z]{2}\d", fullmatch=True),
        st.from_regex(r"[A-Z]{2}\d\d", fullmatch=True),
        st.from_regex(r"[A-Z]\d[A-Z]", fullmatch=True),
        st.from_regex(r"[A-Z]{2}\d[A-Z]", fullmatch=True),
    ),
    st.from_regex(r"\d[ABD-HJLNP-UW-Z]{2}", fullmatch=True),
    st.booleans(),
    st.booleans(),
)
# What teams actually use: initials and a number, or a local reference number.
good_reference = st.one_of(
    st.from_regex(r"[A-Z]{1,3}-\d{2,5}", fullmatch=True),
    st.from_regex(r"[A-Z]{2,3}\d{2,5}", fullmatch=True).filter(
        lambda r: not p.reference_findings(r) or False
    ),
    st.from_regex(r"(EH|CIN|FS)/\d{3,6}", fullmatch=True),
    st.integers(1, 99_999_999).map(str),
)
around = (
    st.sampled_from(["", "ref ", "case: ", "(", "about "]),
    st.sampled_from(["", " ", ".", ")", " and more"]),
)


def _wrap(prefix: str, body: str, suffix: str) -> str:
    return f"{prefix}{body}{suffix}"


# --- References ---------------------------------------------------------------------------
@given(full_name, *around)
@example("John Smith", "", "")
@example("Zoë Łukasiewicz", "", "")
@example("Aoife O'Neill", "", "")
def test_a_full_name_is_refused(name: str, prefix: str, suffix: str) -> None:
    assert p.NAME in p.reference_findings(_wrap(prefix, name, suffix))
    assert p.reference_problem(_wrap(prefix, name, suffix))


@given(st.from_regex(r"[A-Z]\.? ?[A-Z]?\.? [A-Z][a-z]{2,12}", fullmatch=True))
def test_initials_before_a_surname_are_refused(text: str) -> None:
    assert p.NAME in p.reference_findings(text)


@given(date_text, *around)
def test_any_date_is_refused(text: str, prefix: str, suffix: str) -> None:
    assert p.DATE in p.reference_findings(_wrap(prefix, text, suffix))


@given(nhs_number, *around)
@example("943 476 5919", "", "")
def test_an_nhs_number_is_refused(text: str, prefix: str, suffix: str) -> None:
    assert p.NHS in p.reference_findings(_wrap(prefix, text, suffix))


@given(postcode, *around)
@example("SW1A 1AA", "", "")
@example("m1 1ae", "", "")
def test_a_postcode_is_refused(text: str, prefix: str, suffix: str) -> None:
    assert p.POSTCODE in p.reference_findings(_wrap(prefix, text, suffix))


@given(good_reference)
@example("JT-07")
@example("RB-1042")
def test_pseudonymised_references_are_accepted(reference: str) -> None:
    if reference.isdigit() and len(reference) >= 10:
        return  # ten digits reads as an NHS number, and is refused on purpose
    assert p.reference_findings(reference) == [], reference
    assert p.reference_problem(reference) is None


@given(st.text(max_size=300))
def test_any_text_is_checked_without_error(text: str) -> None:
    assert isinstance(p.reference_findings(text), list)
    assert isinstance(p.findings(text), list)


@pytest.mark.parametrize(
    "reference",
    ["JT-07", "RB-1042", "KM-12", "AB/2024/17", "12345", "EH/00421", "Case 12", "ab-cd"],
)
def test_everyday_references_pass(reference: str) -> None:
    assert p.reference_problem(reference) is None


# --- Free text ------------------------------------------------------------------------------
@given(full_name, st.sampled_from(["We met ", "Spoke with ", "She said that ", "Visit with "]))
def test_free_text_notices_a_name_mid_sentence(name: str, lead_in: str) -> None:
    assert p.NAME in p.findings(lead_in + name + " today.")


@given(dates, st.integers(0, 8), st.sampled_from(["Born ", "DOB ", "Seen on "]))
def test_free_text_notices_a_date_with_a_year(day: date, fmt: int, lead_in: str) -> None:
    assert p.DATE in p.findings(lead_in + _formats(day)[fmt])


@given(nhs_number)
def test_free_text_notices_an_nhs_number(text: str) -> None:
    assert p.NHS in p.findings(f"Her NHS number is {text}, for the GP.")


@given(postcode)
def test_free_text_notices_a_postcode(text: str) -> None:
    assert p.POSTCODE in p.findings(f"They moved to {text} last month.")


@pytest.mark.parametrize(
    "text",
    [
        "Mum lets me in now, and J texts back.",
        "Visit Mum with Tom this week: listen first, then explain what happens next.",
        "Keeping Thursdays going; noticing when J is low.",
        "Trust went from 4/10 to 7/10 since the autumn.",
        "Review on 12 March, after the school meeting.",
        "Nan (Mum's mum) collects R on Wednesdays.",
    ],
)
def test_everyday_practice_writing_is_not_flagged(text: str) -> None:
    assert p.findings(text) == []


def test_the_warning_names_the_fields_and_never_blocks() -> None:
    warning = p.free_text_warning(
        {"worries": "Lives at SW1A 1AA", "plan": "Nothing here"}, {"worries": "Worries", "plan": "Plan"}
    )
    assert warning and "Worries (a postcode)" in warning and "Plan" not in warning
    assert "saved as written" in warning
    assert p.free_text_warning({"plan": "Nothing here"}, {}) is None
