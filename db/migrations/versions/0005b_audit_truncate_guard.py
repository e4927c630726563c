"""the audit trail refuses TRUNCATE too (PostgreSQL)

Row triggers (migration 0001) refuse UPDATE and DELETE, but TRUNCATE fires no row trigger:
a statement-level BEFORE TRUNCATE trigger refuses it. SQLite has no TRUNCATE (its
"DELETE FROM" without a WHERE still fires the row trigger).

Revision ID: 0005_audit_truncate_guard
Revises: 0005_signin_hardening
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005_audit_truncate_guard"
down_revision = "0005_signin_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END; $$ LANGUAGE plpgsql"
    )
    op.execute(
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS audit_event_no_truncate()")
