"""the young person's own view: check-in links (token stored as a hash), their answers,
and notes written for them

Revision ID: 0009_young_voice
Revises: 0008_case_file_and_notifications
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0009_young_voice"
down_revision = "0008_case_file_and_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "young_voice_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("wording", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("wording IN ('younger', 'teen')", name="ck_young_link_wording"),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["practitioner_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_young_link_case", "young_voice_link", ["case_id"], unique=False)
    op.create_index("ix_young_link_token", "young_voice_link", ["token_hash"], unique=True)
    op.create_table(
        "young_voice_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("wording", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("feel_heard", sa.Integer(), nullable=False),
        sa.Column("what_matters", sa.Integer(), nullable=False),
        sa.Column("hope", sa.Integer(), nullable=False),
        sa.Column("anything_else", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("trust BETWEEN 0 AND 4", name="ck_young_answer_trust"),
        sa.CheckConstraint("feel_heard BETWEEN 0 AND 4", name="ck_young_answer_heard"),
        sa.CheckConstraint("what_matters BETWEEN 0 AND 4", name="ck_young_answer_matters"),
        sa.CheckConstraint("hope BETWEEN 0 AND 4", name="ck_young_answer_hope"),
        sa.ForeignKeyConstraint(["link_id"], ["young_voice_link.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["practitioner_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_young_answer_case_at", "young_voice_answer", ["case_id", "created_at"], unique=False)
    op.create_index("ix_young_answer_link", "young_voice_answer", ["link_id"], unique=True)
    op.create_table(
        "young_voice_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("written_by_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_record.id"]),
        sa.ForeignKeyConstraint(["written_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_young_note_case_at", "young_voice_note", ["case_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_young_note_case_at", table_name="young_voice_note")
    op.drop_table("young_voice_note")
    op.drop_index("ix_young_answer_link", table_name="young_voice_answer")
    op.drop_index("ix_young_answer_case_at", table_name="young_voice_answer")
    op.drop_table("young_voice_answer")
    op.drop_index("ix_young_link_token", table_name="young_voice_link")
    op.drop_index("ix_young_link_case", table_name="young_voice_link")
    op.drop_table("young_voice_link")
