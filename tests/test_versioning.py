"""db/versioning.py: the one stale-version check and the version bump with its audit line.

The wording of each refusal is its caller's, and tests/test_stale_edits.py checks every
screen's; these check the rule itself."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from db import versioning
from db.access import Actor
from db.errors import EditConflict
from db.models import AuditEvent


@dataclass
class Row:
    version: int


class Recording:
    """Stands in for a database session: keeps what was added."""

    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, thing: object) -> None:
        self.added.append(thing)


def _never() -> str:
    raise AssertionError("built although nothing was refused")


def test_an_edit_on_the_saved_version_goes_ahead_without_building_a_refusal() -> None:
    versioning.check(Row(3), 3, _never, _never)  # type: ignore[arg-type]  # _never fails the test if it is called; one stand-in serves for both builders


def test_an_edit_on_a_stale_copy_is_refused_with_the_callers_words_and_what_is_saved() -> None:
    with pytest.raises(EditConflict) as refused:
        versioning.check(Row(4), 3, "Someone saved this first.", {"Notes": "theirs"})
    assert refused.value.message == "Someone saved this first."
    assert refused.value.theirs == {"Notes": "theirs"}


def test_words_and_saved_values_can_be_built_only_when_refused() -> None:
    with pytest.raises(EditConflict) as refused:
        versioning.check(Row(2), 1, lambda: "Sam saved this first.", lambda: {"Notes": "Sam's"})
    assert (refused.value.message, refused.value.theirs) == ("Sam saved this first.", {"Notes": "Sam's"})


def test_a_record_not_saved_yet_counts_as_version_zero() -> None:
    versioning.check(None, 0, _never)
    with pytest.raises(EditConflict) as refused:
        versioning.check(None, 1, "Someone removed it.")
    assert refused.value.theirs == {}


def test_saving_moves_the_version_on_and_notes_who_did_it_never_what() -> None:
    s, row = Recording(), Row(5)
    actor = Actor(person_id=7, username="sam", display_name="Sam Lee", role="supervisor")
    versioning.saved(s, actor, row, "change", "agenda_item", 42, team_id=3)  # type: ignore[arg-type]  # a stand-in that records add(); saved() only adds the row to the session
    assert row.version == 6
    assert s.added[0] is row
    event = s.added[1]
    assert isinstance(event, AuditEvent)
    assert (event.action, event.actor_id, event.actor_label) == ("change", 7, "sam")
    assert (event.record_type, event.record_id, event.team_id) == ("agenda_item", "42", 3)
