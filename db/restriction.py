"""The one rule for restricted records (restriction of processing, UK GDPR article 18).

An administrator restricts a case or a worry on the *Personal data* screen
(`db.data_protection.restrict`). From then until the restriction is lifted the record is
kept but out of use: it appears on no team screen, list, count, agenda, chart or export,
and nothing may be added to it or changed in it. A restricted case takes everything that
hangs off it along: its worries, check-ins, actions and agenda items. Only administrators
see that it exists, on the screen where they lift the restriction.

Every read and write that touches a case or a worry goes through this module:
- in SQL, `case_in_use(Case.id)` / `worry_in_use(RiskEntry.thread_id, RiskEntry.case_id)`
  keep restricted rows out of a query (a NULL case id is simply "no case": in use);
- for one record, `require_case_in_use` / `require_worry_in_use` turn the action down with
  a kind message (`RESTRICTED_MESSAGE`).
"""

from __future__ import annotations

from sqlalchemy import String, and_, cast, exists
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from db.errors import NotAllowed
from db.models import Restriction, RiskEntry

RESTRICTED_MESSAGE = (
    "This record is restricted: it is kept, but out of use for now, so it can't be opened or "
    "added to. Your Circle administrator can tell you more."
)


def _restricted(kind: str, id_column) -> ColumnElement[bool]:
    return exists().where(
        col(Restriction.record_type) == kind,
        col(Restriction.record_id) == cast(id_column, String),
        col(Restriction.lifted_at).is_(None),
    )


def not_restricted(kind: str, id_column) -> ColumnElement[bool]:
    """This one record (of this kind) is not restricted itself."""
    return ~_restricted(kind, id_column)


def case_in_use(case_id_column) -> ColumnElement[bool]:
    """The row's case is not restricted (a row without a case passes)."""
    return not_restricted("case", case_id_column)


def worry_in_use(thread_id_column, case_id_column=None) -> ColumnElement[bool]:
    """The worry is not restricted, and neither is the case it is about. Without a case
    column to hand, the case is looked up from the worry's own entries."""
    if case_id_column is not None:
        return and_(not_restricted("risk_thread", thread_id_column), case_in_use(case_id_column))
    entry = RiskEntry.__table__.alias("restriction_entry")  # type: ignore[attr-defined]  # SQLModel's table classes get __table__ at class creation; its types do not declare it
    case_restricted = exists().where(
        entry.c.thread_id == thread_id_column,
        col(Restriction.record_type) == "case",
        col(Restriction.record_id) == cast(entry.c.case_id, String),
        col(Restriction.lifted_at).is_(None),
    )
    return and_(not_restricted("risk_thread", thread_id_column), ~case_restricted)


def is_restricted(s: Session, kind: str, record_id: object) -> bool:
    return (
        s.exec(
            select(Restriction.id).where(
                Restriction.record_type == kind,
                Restriction.record_id == str(record_id),
                col(Restriction.lifted_at).is_(None),
            )
        ).first()
        is not None
    )


def restricted_case_ids(s: Session) -> set[int]:
    """Every restricted case (few: restrictions are rare), for filtering in Python."""
    rows = s.exec(
        select(Restriction.record_id).where(
            Restriction.record_type == "case", col(Restriction.lifted_at).is_(None)
        )
    ).all()
    return {int(r) for r in rows if str(r).isdigit()}


def require_case_in_use(s: Session, case_id: int | None) -> None:
    """Turn an action on this case down if the case is restricted (no case: nothing to check)."""
    if case_id is not None and is_restricted(s, "case", case_id):
        raise NotAllowed(RESTRICTED_MESSAGE)


def require_worry_in_use(s: Session, thread_id: str, case_id: int | None = None) -> None:
    """Turn an action on this worry down if it, or the case it is about, is restricted."""
    if is_restricted(s, "risk_thread", thread_id):
        raise NotAllowed(RESTRICTED_MESSAGE)
    if case_id is None:
        case_ids = s.exec(
            select(RiskEntry.case_id).where(
                RiskEntry.thread_id == thread_id, col(RiskEntry.case_id).is_not(None)
            )
        ).all()
    else:
        case_ids = [case_id]
    for cid in set(case_ids):
        require_case_in_use(s, cid)
