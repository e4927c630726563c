"""The relational-language lens: what it notices, what it leaves alone, and a team's own words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import language_lens
from db.errors import NotAllowed, NotValid
from db.language_lens import RULES, find
from tests import factories


def spans(text: str) -> list[str]:
    return [h.text for h in find(text)]


# The worked examples from LANGUAGE.md, plus more phrasings of our own.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please update her contact details.", []),
        ("Contact with mum went well; she made good eye contact with the baby.", ["Contact"]),
        ("I contacted school and the GP.", []),
        ("He is in contact with his youth worker most days.", []),
        ("She is on a work placement at the garden centre.", []),
        ("Her placement with the carers is stable.", ["Her placement"]),
        ("Sam is the best placed person to talk to him.", []),
        ("I'll bring the forms just in case.", []),
        ("He's one of my cases and it's a complex case.", ["my cases", "complex case"]),
        ("Dad drinks about 30 units a week.", []),
        ("She went back to the unit after school; staff were waiting.", ["back to the unit"]),
        ("Shift handover is at 8pm.", []),
        ("Baby was handed over to mum at 3pm.", ["handed over"]),
        ("Enhanced DBS disclosure received.", []),
        ("J disclosed that she was hit at home.", ["J disclosed"]),
        ("DNA results confirm paternity.", []),
        ("Child was DNA for dental appointment.", ["DNA"]),
        ("He was arrested and held in police custody.", []),
        ("Dad says he will fight for full custody.", ["fight for full custody"]),
        ("There was a fight at school at lunchtime.", []),
        ("The presenting problem is sleep.", []),
        ("Mum presented as hostile.", ["presented as hostile"]),
        ("He was manipulated by older males.", []),
        ("She is very manipulative.", ["manipulative"]),
        ("Mum was sanctioned by the DWP.", []),
        ('"I liked contact today," T said.', []),
        ("I will contact mum tomorrow.", []),
        ("Please contact Dad about the meeting.", []),
        ("Supervised contact with Dad was cancelled.", ["Supervised contact"]),
        ("Contact went well at the family centre.", ["Contact went well"]),
        ("We met at the contact centre.", ["contact centre"]),
        ("Mum refused to engage and is non-compliant.", ["refused to engage", "non-compliant"]),
        ("The family are hard to reach.", ["hard to reach"]),
        ("He absconded on Friday.", ["absconded"]),
        ("The LAC review is on Monday.", ["LAC review"]),
        ("I lack the time; the black lace dress.", []),
        ("Respite care is booked for the weekend.", ["Respite care"]),
        ("There was challenging behaviour at tea.", ["challenging behaviour"]),
        ("It has been a challenging week.", []),
        ("She is attention-seeking at school.", ["attention-seeking"]),
        ("He is putting himself at risk by going out.", ["putting himself at risk"]),
        ("She is involved in CSE according to police.", ["involved in CSE"]),
        ("She has an older boyfriend.", ["older boyfriend"]),
        ("Placements Team will call back.", []),
        ("The Leaving Care Team meets on Friday.", []),
        ("His engagement party is on Saturday.", []),
        ("She engaged well in the drawing.", []),
        ("Compliance with GDPR is checked yearly.", []),
        ("We spent the afternoon accessing the community.", ["accessing the community"]),
        ("'I hate contact days,' she said.", []),
        ("Mum told me: contact is the best part of the week.", []),
        ("Mum stayed in contact with us by text.", []),
        ("We need to find a bed for him tonight.", ["find a bed"]),
        ("He went to bed early.", []),
        ("She was placed with her nan in May.", ["was placed with"]),
        ("The item was placed on the agenda.", []),
    ],
)
def test_matches_and_non_matches(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_a_hint_explains_itself() -> None:
    (hint,) = find("Contact with Dad is on Saturday.")
    assert hint.key == "contact"
    assert "family time" in hint.alternatives
    assert hint.why and hint.start == 0 and hint.end == len("Contact")


def test_longest_match_wins() -> None:
    (hint,) = find("She has supervised contact sessions with Mum.")
    assert hint.text == "supervised contact sessions"


def test_context_does_not_cross_a_sentence() -> None:
    # "mum" is in the next sentence, so this "contact" is not read as family time.
    assert spans("Please use this contact. Mum is well.") == []


def test_the_lens_never_names_anyone() -> None:
    for rule in RULES:
        for alternative in rule.alternatives:
            assert "[name]" not in alternative


# Words that merely contain a listed term never match.
CONTAINERS = [
    "contactless",
    "contacts",
    "placemat",
    "replacement",
    "placements-officer",
    "lack",
    "black",
    "lace",
    "suitcase",
    "bookcase",
    "showcase",
    "community",
    "units",
    "unity",
    "respites",
    "abscondment",
    "DNAse",
    "lactose",
    "NEETs2",
    "peerless",
    "caseworkers",
    "clientele",
    "bedside",
]
FILLER = st.lists(
    st.sampled_from(
        [
            "the",
            "we",
            "met",
            "at",
            "school",
            "today",
            "and",
            "talked",
            "about",
            "her",
            "week",
            "with",
            "music",
        ]
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(before=FILLER, word=st.sampled_from(CONTAINERS), after=FILLER)
def test_words_that_merely_contain_a_term_never_match(before: list[str], word: str, after: list[str]) -> None:
    text = " ".join([*before, word, *after]) + "."
    assert [h for h in find(text) if word.lower() in h.text.lower()] == []


STRONG = [
    "supervised contact",
    "contact centre",
    "hard to reach",
    "refused to engage",
    "non-compliant",
    "absconded",
    "attention-seeking",
    "challenging behaviour",
    "respite",
    "LAC",
    "lifestyle choices",
    "older boyfriend",
]


@settings(max_examples=200, deadline=None)
@given(before=FILLER, phrase=st.sampled_from(STRONG), after=FILLER)
def test_strong_terms_are_found_wherever_they_sit(before: list[str], phrase: str, after: list[str]) -> None:
    text = " ".join([*before, phrase, *after]) + "."
    assert any(h.text.lower() == phrase.lower() for h in find(text)), text


@settings(max_examples=100, deadline=None)
@given(before=FILLER, phrase=st.sampled_from(STRONG), after=FILLER)
def test_quoted_words_are_left_as_written(before: list[str], phrase: str, after: list[str]) -> None:
    text = " ".join(before) + f' "{phrase}" ' + " ".join(after) + "."
    assert find(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_safe_to_look_at(text: str) -> None:
    for h in find(text):
        assert text[h.start : h.end] == h.text


def test_team_words_are_their_own_team_only(db: str) -> None:
    riverside = factories.team("Riverside")
    northgate = factories.team("Northgate")
    hannah = factories.person("hannah", "supervisor", {riverside: "supervisor"}).actor()
    pat = factories.person("pat", "practitioner", {riverside: "practitioner"}).actor()
    grace = factories.person("grace", "supervisor", {northgate: "supervisor"}).actor()

    term_id = language_lens.add_team_term(
        hannah,
        riverside,
        term="tea visit",
        alternatives="time with the family\nchat over tea",
        why="It's a visit.",
    )
    with pytest.raises(NotValid):
        language_lens.add_team_term(hannah, riverside, term="Tea Visit", alternatives="x", why="y")
    with pytest.raises(NotValid) as missing:
        language_lens.add_team_term(hannah, riverside, term="", alternatives="", why="")
    assert set(missing.value.problems) == {"term", "alternatives", "why"}
    with pytest.raises(NotAllowed):
        language_lens.add_team_term(pat, riverside, term="x", alternatives="y", why="z")
    with pytest.raises(NotAllowed):
        language_lens.add_team_term(grace, riverside, term="x", alternatives="y", why="z")

    (hint,) = language_lens.hints_for(pat, "We had a tea-visit on Monday.")
    assert hint.team_term and hint.alternatives == ("time with the family", "chat over tea")
    assert language_lens.hints_for(grace, "We had a tea visit on Monday.") == []
    assert language_lens.hints_for(pat, "We had a teavisit.") == []
    with pytest.raises(NotAllowed):
        language_lens.team_terms(grace, riverside)
    with pytest.raises(NotAllowed):
        language_lens.remove_team_term(grace, term_id)
    language_lens.remove_team_term(hannah, term_id)
    assert language_lens.team_terms(pat, riverside) == ()
