"""One-to-one supervision: a practitioner and their supervisor, in the same calm shape as the group.

A one-to-one has an arrival (how the practitioner is arriving), the cases they choose to
bring with relationship check-ins (ordinary check-ins, so the same trends), the case
discussion with a summary for the case file, worries named or reviewed in the team's risk
log, actions carried over from last time, the practitioner's wellbeing and development, and
a closing (what was helpful today).

Who reaches what:
- the record is the two people's: the practitioner and the supervisor in it;
- the private part (arrival, wellbeing and development, closing) is read and written only
  by `private` and `save_private`, for those two;
- a manager of the team, and the team's supervisor, see that one-to-ones happened and when
  (`dates_for_team`), never what was said;
- nobody else sees anything of it (administrators find it through subject access).

Closing makes the record read-only; either of the two then adds amendments. Closing a
recurring one-to-one plans the next one the agreed number of weeks on.

Callers use `from db import one_to_one` and `one_to_one.<name>`; the parts live in:
`read_models`, `scope` (the two people in it), `planning` (and the lists and the case page's
view), `meeting` (the private part, cases brought, actions) and `record` (reading, closing,
amending and exporting it).
"""

from __future__ import annotations

from db.one_to_one.meeting import (
    add_action,
    bring,
    private,
    record_check_in,
    review_action,
    save_discussion,
    save_private,
)
from db.one_to_one.planning import case_discussions_for, dates_for_team, mine, plan, practitioners
from db.one_to_one.read_models import (
    PRIVATE_FIELDS,
    REVIEW_CHOICES,
    TEXT_LIMIT,
    ActionView,
    Amendment,
    CaseDiscussion,
    CheckInLine,
    DateLine,
    ItemView,
    Line,
    OneToOneView,
    PrivateView,
)
from db.one_to_one.record import amend, cases_to_bring, close, record_csv, record_pdf, view

__all__ = [
    "ActionView",
    "Amendment",
    "CaseDiscussion",
    "CheckInLine",
    "DateLine",
    "ItemView",
    "Line",
    "OneToOneView",
    "PRIVATE_FIELDS",
    "PrivateView",
    "REVIEW_CHOICES",
    "TEXT_LIMIT",
    "add_action",
    "amend",
    "bring",
    "case_discussions_for",
    "cases_to_bring",
    "close",
    "dates_for_team",
    "mine",
    "plan",
    "practitioners",
    "private",
    "record_check_in",
    "record_csv",
    "record_pdf",
    "review_action",
    "save_discussion",
    "save_private",
    "view",
]
