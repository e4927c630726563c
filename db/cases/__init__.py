"""One case, seen and worked on together: details, the mapping and formulation (edited by
several people at once, never silently overwritten), its history, the network around the
child and a timeline of everything the team has done with the family.

Editing together: every save names the version it was based on. A save made on a stale
copy is refused with a `MappingConflict` that names the colleague who saved in between and
carries their whole version, so the screen can show both side by side and let the person
merge. Each save writes a `CaseMappingRevision` (who, when, the full snapshot as JSON), and
`history()` turns consecutive snapshots into a field-by-field list of what changed.

The parts: `_detail` (the case and the scope check), `_mapping` (mapping, formulation and
their history), `_network` (the people around the child) and `_timeline`. Callers use
`from db import cases` and the names below.
"""

from __future__ import annotations

from db.cases._detail import CaseDetail, case_detail, case_in_reach
from db.cases._mapping import (
    ALL_FIELDS,
    FIELD_LABELS,
    FIELD_SHORT,
    FORMULATION_FIELDS,
    MAPPING_FIELDS,
    MAX_TEXT,
    TEXT_FIELDS,
    FieldChange,
    MappingConflict,
    MappingView,
    Revision,
    Saved,
    diff,
    history,
    mapping,
    save_mapping,
)
from db.cases._network import (
    NETWORK_KINDS,
    NETWORK_LABELS,
    NetworkPerson,
    add_network_member,
    network,
    update_network_member,
)
from db.cases._timeline import TimelineEvent, timeline

__all__ = [
    "ALL_FIELDS",
    "FIELD_LABELS",
    "FIELD_SHORT",
    "FORMULATION_FIELDS",
    "MAPPING_FIELDS",
    "MAX_TEXT",
    "NETWORK_KINDS",
    "NETWORK_LABELS",
    "TEXT_FIELDS",
    "CaseDetail",
    "FieldChange",
    "MappingConflict",
    "MappingView",
    "NetworkPerson",
    "Revision",
    "Saved",
    "TimelineEvent",
    "add_network_member",
    "case_detail",
    "case_in_reach",
    "diff",
    "history",
    "mapping",
    "network",
    "save_mapping",
    "timeline",
    "update_network_member",
]
