"""Data-protection duties: subject access, retention with legal holds, erasure and restriction.

- **Subject access** (`subject_access`): everything Circle holds about one person, as staff
  or as named in records. The tables are found by introspecting the schema: every foreign
  key to `person.id`, plus the few columns that name a person without one
  (`NAME_COLUMNS`), so a table added later cannot be forgotten. JSON for the file, and a
  readable PDF (`subject_access_pdf`).
- **Retention** (`set_retention`, `purge`): a period per kind of finished record, set by an
  administrator; `python -m db purge` removes what is older, skips whatever a legal hold
  (on a case or on a person) keeps, and leaves one audit line per kind. The audit trail is
  never purged: it holds no record content, database triggers refuse deletes, and it is
  what shows the council what was removed and when.
- **Erasure or restriction** (`erase`, `restrict`, `lift_restriction`): per record, either
  erase it (with everything that belongs to it) or keep it out of use, hidden from the
  team's screens. A person is never deleted (the audit trail names them by id): erasing a
  person removes their name, username, sign-in and identity link instead.

Administrators only. Every action is audited; no audit line holds record content.

The parts: `_kinds` (what is dealt in), `_subject_access`, `_holds`, `_erasure` (erasure and
restriction) and `_retention`. Callers use `from db import data_protection` and the names below.
"""

from __future__ import annotations

from db.data_protection._erasure import erase, lift_restriction, restrict, restrictions
from db.data_protection._holds import holds, lift_hold, place_hold
from db.data_protection._kinds import (
    DAYS_PER_MONTH,
    ERASABLE,
    KINDS,
    MAX_MONTHS,
    NAME_COLUMNS,
    RESTRICTABLE,
    SECRET_COLUMNS,
    HoldLine,
    PurgeResult,
    RestrictionLine,
    RetentionLine,
)
from db.data_protection._retention import purge, retention, set_retention
from db.data_protection._subject_access import (
    person_references,
    subject_access,
    subject_access_json,
    subject_access_pdf,
)
from db.restriction import RESTRICTED_MESSAGE, is_restricted  # the rule itself lives in db.restriction

__all__ = [
    "DAYS_PER_MONTH",
    "ERASABLE",
    "KINDS",
    "MAX_MONTHS",
    "NAME_COLUMNS",
    "RESTRICTABLE",
    "RESTRICTED_MESSAGE",
    "SECRET_COLUMNS",
    "HoldLine",
    "PurgeResult",
    "RestrictionLine",
    "RetentionLine",
    "erase",
    "holds",
    "is_restricted",
    "lift_hold",
    "lift_restriction",
    "person_references",
    "place_hold",
    "purge",
    "restrict",
    "restrictions",
    "retention",
    "set_retention",
    "subject_access",
    "subject_access_json",
    "subject_access_pdf",
]
