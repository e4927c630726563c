"""The case page's rename form: the team's supervisor gives a case a new reference (a
code, never a name); a practitioner doesn't see the form."""

from __future__ import annotations

from db.engine import session_scope
from db.models import Case
from tests.conftest import app_as
from tests.test_case_pages import _case_id, _open_case, demo  # noqa: F401 - demo is a fixture


def test_the_supervisor_renames_a_case_and_a_name_is_refused_kindly(demo: str) -> None:  # noqa: F811
    case_id = _case_id("AD-33")
    key = f"case_rename_{case_id}"
    at = _open_case(app_as("hannah"), case_id)
    at.text_input(key=f"{key}_reference").input("Amy and Ben")
    at.button(key=f"FormSubmitter:{key}-Rename the case").click().run()
    assert not at.exception
    shown = [e.value for e in at.error] + [w.value for w in at.warning] + [m.value for m in at.markdown]
    assert any("a code, never a name" in str(v) for v in shown), shown
    assert at.text_input(key=f"{key}_reference").value == "Amy and Ben"  # kept what was typed
    at.text_input(key=f"{key}_reference").input("AD-34")
    at.button(key=f"FormSubmitter:{key}-Rename the case").click().run()
    assert not at.exception
    with session_scope() as s:
        assert s.get(Case, case_id).reference == "AD-34"  # type: ignore[union-attr]  # None is ruled out before this line, in a way mypy does not follow

    priya = _open_case(app_as("priya"), case_id)
    assert not [f for f in priya.text_input if f.key == f"{key}_reference"]
