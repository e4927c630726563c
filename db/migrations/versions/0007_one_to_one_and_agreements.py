"""one-to-one supervision (with a private part for the two people in it) and supervision
agreements drafted from the council's template

Revision ID: 0007_one_to_one_and_agreements
Revises: 0005_audit_truncate_guard
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0007_one_to_one_and_agreements"
down_revision = "0005_audit_truncate_guard"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agreement_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_every_weeks", sa.Integer(), nullable=False),
        sa.Column("group_every_weeks", sa.Integer(), nullable=False),
        sa.Column("first_year_every_weeks", sa.Integer(), nullable=False),
        sa.Column("where_we_meet", sa.Text(), nullable=False),
        sa.Column("practitioner_brings", sa.Text(), nullable=False),
        sa.Column("supervisor_brings", sa.Text(), nullable=False),
        sa.Column("disagreements", sa.Text(), nullable=False),
        sa.Column("missed_sessions", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "one_to_one",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("scheduled_for", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("recurs_every_weeks", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_one_to_one_practitioner_when", "one_to_one", ["practitioner_id", "scheduled_for"], unique=False
    )
    op.create_index(
        "ix_one_to_one_supervisor_when", "one_to_one", ["supervisor_id", "scheduled_for"], unique=False
    )
    op.create_index("ix_one_to_one_team_when", "one_to_one", ["team_id", "scheduled_for"], unique=False)
    op.create_table(
        "supervision_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("one_to_one_every_weeks", sa.Integer(), nullable=False),
        sa.Column("group_every_weeks", sa.Integer(), nullable=False),
        sa.Column("first_year_until", sa.Date(), nullable=True),
        sa.Column("first_year_every_weeks", sa.Integer(), nullable=True),
        sa.Column("where_we_meet", sa.Text(), nullable=False),
        sa.Column("practitioner_brings", sa.Text(), nullable=False),
        sa.Column("supervisor_brings", sa.Text(), nullable=False),
        sa.Column("disagreements", sa.Text(), nullable=False),
        sa.Column("missed_sessions", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.Text(), nullable=False),
        sa.Column("practitioner_agreed_on", sa.Date(), nullable=True),
        sa.Column("supervisor_agreed_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("practitioner_id", "revision", name="uq_agreement_revision"),
    )
    op.create_index("ix_agreement_team", "supervision_agreement", ["team_id", "status"], unique=False)
    op.create_table(
        "one_to_one_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("reviewed_in_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["one_to_one_id"],
            ["one_to_one.id"],
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_in_id"],
            ["one_to_one.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_o2o_action_meeting", "one_to_one_action", ["one_to_one_id"], unique=False)
    op.create_table(
        "one_to_one_amendment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["one_to_one_id"],
            ["one_to_one.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_o2o_amendment_meeting", "one_to_one_amendment", ["one_to_one_id"], unique=False)
    op.create_table(
        "one_to_one_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("brought_by_id", sa.Integer(), nullable=False),
        sa.Column("ask", sa.Text(), nullable=False),
        sa.Column("discussion_notes", sa.Text(), nullable=False),
        sa.Column("case_file_summary", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brought_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
        ),
        sa.ForeignKeyConstraint(
            ["one_to_one_id"],
            ["one_to_one.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_o2o_item_case", "one_to_one_item", ["case_id"], unique=False)
    op.create_index("ix_o2o_item_meeting", "one_to_one_item", ["one_to_one_id"], unique=False)
    op.create_table(
        "one_to_one_private",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("arrival_score", sa.Integer(), nullable=True),
        sa.Column("arrival_word", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("been_hard", sa.Text(), nullable=False),
        sa.Column("support_needed", sa.Text(), nullable=False),
        sa.Column("helpful_today", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "arrival_score IS NULL OR (arrival_score BETWEEN 0 AND 10)", name="ck_o2o_arrival"
        ),
        sa.ForeignKeyConstraint(
            ["one_to_one_id"],
            ["one_to_one.id"],
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("one_to_one_id"),
    )
    op.create_table(
        "one_to_one_check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("one_to_one_id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["check_in_id"],
            ["relationship_check_in.id"],
        ),
        sa.ForeignKeyConstraint(
            ["one_to_one_id"],
            ["one_to_one.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("check_in_id"),
    )
    op.create_index("ix_o2o_check_in_meeting", "one_to_one_check_in", ["one_to_one_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_o2o_check_in_meeting", table_name="one_to_one_check_in")
    op.drop_table("one_to_one_check_in")
    op.drop_table("one_to_one_private")
    op.drop_index("ix_o2o_item_meeting", table_name="one_to_one_item")
    op.drop_index("ix_o2o_item_case", table_name="one_to_one_item")
    op.drop_table("one_to_one_item")
    op.drop_index("ix_o2o_amendment_meeting", table_name="one_to_one_amendment")
    op.drop_table("one_to_one_amendment")
    op.drop_index("ix_o2o_action_meeting", table_name="one_to_one_action")
    op.drop_table("one_to_one_action")
    op.drop_index("ix_agreement_team", table_name="supervision_agreement")
    op.drop_table("supervision_agreement")
    op.drop_index("ix_one_to_one_team_when", table_name="one_to_one")
    op.drop_index("ix_one_to_one_supervisor_when", table_name="one_to_one")
    op.drop_index("ix_one_to_one_practitioner_when", table_name="one_to_one")
    op.drop_table("one_to_one")
    op.drop_table("agreement_template")
