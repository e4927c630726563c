"""Riverside's Signs of Safety mappings, saved version by version, and the people around each
family (content: demo_mappings.json)."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session

from db.models import Case, CaseMapping, CaseMappingRevision, NetworkMember, Person, SupervisionSession
from db.seed import read_content
from db.seed.demo.dates import Calendar
from db.seed.demo.group_sessions import VISITS
from db.seed.demo.people import DEMO_TEAM, supervisor_of

_DATA = read_content("demo_mappings")


def add_mappings(
    s: Session, cases: dict[str, Case], sessions: list[SupervisionSession], people: dict[str, Person]
) -> None:
    for reference, mapping in _DATA["mappings"].items():
        case = cases[reference]
        scales = mapping["scales"]
        # Each saved version sits at one of the sessions where the family was talked about.
        saved = [sessions[v.session].scheduled_for + timedelta(minutes=40) for v in VISITS[reference]][
            -len(scales) :
        ]
        savers = [case.lead_practitioner_id, people[supervisor_of(DEMO_TEAM)].id]
        fields: dict[str, object] = {}
        for version, scale in enumerate(scales, start=1):
            fields = _version(mapping, version, scale)
            s.add(
                CaseMappingRevision(
                    case_id=case.id,
                    version=version,
                    saved_by_id=savers[version % 2],
                    saved_at=saved[version - 1],
                    snapshot=json.dumps(fields, sort_keys=True),
                )
            )
        s.add(
            CaseMapping(
                case_id=case.id,
                **fields,  # type: ignore[arg-type]  # keyword arguments from a dict of mixed values; each is checked where the dict is built
                updated_at=saved[-1],
                updated_by_id=savers[len(scales) % 2],
                version=len(scales),
            )
        )


def _version(mapping: dict, version: int, scale: int) -> dict[str, object]:
    """The mapping as it stood at one saved version."""
    lines = mapping["needs_to_happen"].split("\n")
    # Earlier versions had fewer "needs to happen" lines: the plan grew over time.
    shown = lines[: max(1, len(lines) - (len(mapping["scales"]) - version))]
    return {
        "worries": mapping["worries"],
        "working_well": mapping["working_well"],
        "needs_to_happen": "\n".join(shown),
        "danger_statement": mapping["danger_statement"],
        "safety_goal": mapping["safety_goal"],
        "scale": scale,
        **(mapping["six_ps"] or {}),
    }


def add_network(s: Session, cases: dict[str, Case], cal: Calendar) -> None:
    for member in _DATA["network"]:
        case = cases[member["reference"]]
        s.add(
            NetworkMember(
                case_id=case.id,
                label=member["label"],
                kind=member["kind"],
                relationship_strength=member["strength"],
                best_placed_for=member["best_placed_for"],
                created_at=cal.at(case.opened_on, 12),
            )
        )
