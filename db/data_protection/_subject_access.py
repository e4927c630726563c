"""Subject access: everything Circle holds about one person, found by reading the schema."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session, SQLModel, select

import db.models as m
from db import audit
from db.access import Actor, require_role
from db.clock import utcnow
from db.data_protection._kinds import NAME_COLUMNS, SECRET_COLUMNS, _who
from db.engine import session_scope
from db.errors import NotValid
from db.exports import Document


def person_references() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to person.id in the schema, found by introspection."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "person" and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table.name, column.name))
    return sorted(found)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(s: Session, table: Table, condition) -> list[dict[str, object]]:
    keep = [c for c in table.columns if (table.name, c.name) not in SECRET_COLUMNS]
    result = s.connection().execute(select(*keep).where(condition).order_by(*table.primary_key.columns))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in result]


def subject_access(actor: Actor, person_id: int) -> dict[str, Any]:
    """Everything Circle holds about one person, by table and column (administrators only)."""
    require_role(actor, "admin")
    tables = SQLModel.metadata.tables
    with session_scope() as s:
        person = s.get(m.Person, person_id)
        if person is None:
            raise NotValid({"person": "That person is no longer in Circle."})
        found: dict[str, list[dict[str, object]]] = {
            "person.id": _rows(s, tables["person"], tables["person"].c.id == person_id)
        }
        for table_name, column in person_references():
            table = tables[table_name]
            found[f"{table_name}.{column}"] = _rows(s, table, table.c[column] == person_id)
        for (table_name, column), holds in NAME_COLUMNS.items():
            table = tables[table_name]
            value = person.username if holds == "username" else person.display_name
            found[f"{table_name}.{column}"] = _rows(s, table, table.c[column] == value)
        # Free text that names them (colleagues write names in notes): where, not just what.
        mentions = []
        name = person.display_name.strip()
        if len(name) >= 3:
            for table in SQLModel.metadata.sorted_tables:
                if table.name in ("person", "audit_event"):
                    continue
                for text_column in table.columns:
                    if text_column.type.__class__.__name__ != "Text":
                        continue
                    ids = s.connection().execute(
                        select(*table.primary_key.columns).where(text_column.ilike(f"%{name}%")).limit(500)
                    )
                    mentions += [
                        {"table": table.name, "column": text_column.name, "id": _plain(r[0])} for r in ids
                    ]
    with session_scope(write=True) as s:
        audit.record(s, "export", record_type="subject_access", record_id=person_id, **_who(actor))
    return {
        "about": {"person_id": person_id, "display_name": person.display_name, "username": person.username},
        "made_at": utcnow().isoformat(),
        "tables": found,
        "named_in_free_text": mentions,
    }


def subject_access_json(actor: Actor, person_id: int) -> bytes:
    return json.dumps(subject_access(actor, person_id), indent=2, ensure_ascii=False).encode("utf-8")


def subject_access_pdf(actor: Actor, person_id: int) -> bytes:
    data = subject_access(actor, person_id)
    about = data["about"]
    doc = Document(f"What Circle holds about {about['display_name']}")
    doc.para(
        f"Made {data['made_at'][:16].replace('T', ' ')} UTC for a subject access request. Each section is "
        "one place in Circle's database that refers to this person; empty places are left out."
    )
    for where, rows in data["tables"].items():
        if not rows:
            continue
        doc.heading(f"{where} ({len(rows)})")
        for row in rows:
            doc.para("; ".join(f"{k}: {v}" for k, v in row.items() if v not in (None, "")))
    mentions = data["named_in_free_text"]
    if mentions:
        doc.heading(f"Named in free text ({len(mentions)})")
        for found in mentions:
            doc.para(f"{found['table']}.{found['column']}, record {found['id']}")
    return doc.bytes()
