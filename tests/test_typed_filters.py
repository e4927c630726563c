"""Issue 22 on the administrator's and the manager's screens: numbers and dates are typed,
read strictly and refused with the field's name, never rounded, moved or dropped.

Personal data: months to keep a kind of record and a case's number for a legal hold.
Audit trail and insights: the dates of the range, typed as DD/MM/YYYY.
"""

from __future__ import annotations

from sqlmodel import select

from db import clock
from db.engine import session_scope
from db.models import LegalHold, RetentionRule
from tests import factories
from tests.conftest import app_for

MONTHS = "Months to keep it (0 or empty: until decided)"


def _said(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "").replace("**", "")


def _field(at, label: str):
    return next(t for t in at.text_input if t.label == label)


def _press(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_months_to_keep_refuse_a_fraction_and_keep_it_typed(sqlite_db: str) -> None:
    admin = factories.person("aaron", "admin")
    at = app_for(admin.token).switch_page("pages/privacy.py").run()
    _field(at, MONTHS).input("10.5")
    _press(at, "Save")
    assert f"{MONTHS} takes a whole number from 0 to 1200, and “10.5” isn't one" in _said(at)
    assert _field(at, MONTHS).value == "10.5"
    _field(at, MONTHS).input("1201")
    _press(at, "Save")
    assert "1201 is outside that" in _said(at)
    with session_scope() as s:
        assert s.exec(select(RetentionRule)).all() == []
    _field(at, MONTHS).input("18")
    _press(at, "Save")
    assert not at.error
    with session_scope() as s:
        assert [r.keep_months for r in s.exec(select(RetentionRule)).all()] == [18]


def test_a_case_number_for_a_hold_is_read_as_typed(sqlite_db: str) -> None:
    admin = factories.person("aaron", "admin")
    at = app_for(admin.token).switch_page("pages/privacy.py").run()
    next(r for r in at.radio if r.label == "Hold").set_value("A case (by its number)")
    _field(at, "Case number").input("12.7")
    next(t for t in at.text_area if t.label == "The reason").input("Proceedings in the family court")
    _press(at, "Place the hold")
    assert "Case number takes a whole number" in _said(at) and "“12.7” isn't one" in _said(at)
    assert _field(at, "Case number").value == "12.7"
    with session_scope() as s:
        assert s.exec(select(LegalHold)).all() == []


def test_audit_dates_are_read_strictly(sqlite_db: str) -> None:
    admin = factories.person("aaron", "admin")
    at = app_for(admin.token).switch_page("pages/audit.py").run()
    assert not at.error and _field(at, "From").value and _field(at, "To").value
    _field(at, "From").input("30/02/2026")
    _press(at, "Search")
    assert "From: “30/02/2026” isn't on the calendar: February 2026 has 28 days." in _said(at)
    assert _field(at, "From").value == "30/02/2026"
    assert not at.dataframe  # nothing searched on a date that isn't one
    _field(at, "From").input("01/03/2026")
    _field(at, "To").input("01/01/2026")
    _press(at, "Search")
    assert "The first day needs to be on or before the last day." in _said(at)
    _field(at, "From").input(f"{clock.today():%d/%m/%Y}")
    _field(at, "To").input(f"{clock.today():%d/%m/%Y}")
    _press(at, "Search")
    assert not at.error and at.dataframe  # today's sign-in is there


def test_insights_dates_are_read_strictly(sqlite_db: str) -> None:
    riverside = factories.team("Riverside")
    manager = factories.person("max", "manager", {riverside: "manager"})
    at = app_for(manager.token).switch_page("pages/insights.py").run()
    assert not at.error and not at.exception
    _field(at, "To").input("14/13/2026").run()
    assert "To: “14/13/2026” has 13 as the month; months go from 01 to 12." in _said(at)
    assert _field(at, "To").value == "14/13/2026"
    _field(at, "To").input("").run()
    assert any("Please fill in both dates" in i.value for i in at.info)
    _field(at, "To").input(f"{clock.today():%d/%m/%Y}").run()
    assert not at.error and not at.exception


def test_risk_log_dates_are_read_strictly(sqlite_db: str) -> None:
    riverside = factories.team("Riverside")
    pat = factories.person("pat", "practitioner", {riverside: "practitioner"})
    at = app_for(pat.token).switch_page("pages/risk_log.py").run()
    at.session_state["tab"] = "The team's log"  # only the open tab is drawn
    at.run()
    assert not at.exception and not at.error
    _field(at, "Raised from").input("31/04/2026")
    _press(at, "Show these worries")
    assert "Raised from: “31/04/2026” isn't on the calendar" in _said(at)
    assert _field(at, "Raised from").value == "31/04/2026"
    _field(at, "Raised from").input("01/04/2026")
    _press(at, "Show these worries")
    assert not at.error
