"""sign-in hardening: council sign-ins used once (their nonces kept), join codes that expire

Revision ID: 0005_signin_hardening
Revises: 0005_room_activity
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from db.clock import utcnow

revision = "0005_signin_hardening"
down_revision = "0005_room_activity"
branch_labels = None
depends_on = None

# Codes already handed out keep working for this long after the upgrade, as new ones do.
JOIN_CODE_DAYS = 14


def upgrade() -> None:
    op.create_table(
        "sso_nonce",
        sa.Column("nonce_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nonce_hash"),
    )
    with op.batch_alter_table("sso_nonce", schema=None) as batch_op:
        batch_op.create_index("ix_sso_nonce_used_at", ["used_at"], unique=False)
    with op.batch_alter_table("training_cohort", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("join_code_expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    cohort = sa.table(
        "training_cohort",
        sa.column("join_code", sa.String()),
        sa.column("join_code_expires_at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    op.execute(
        cohort.update()
        .where(cohort.c.join_code.is_not(None))
        .values(join_code_expires_at=utcnow() + timedelta(days=JOIN_CODE_DAYS))
    )
    # Failed sign-ins are now counted per account and address together, under new keys;
    # the old per-username counts would only linger until they expire.
    op.execute(sa.text("DELETE FROM signin_throttle WHERE key NOT LIKE 'join:%'"))


def downgrade() -> None:
    with op.batch_alter_table("training_cohort", schema=None) as batch_op:
        batch_op.drop_column("join_code_expires_at")
    with op.batch_alter_table("sso_nonce", schema=None) as batch_op:
        batch_op.drop_index("ix_sso_nonce_used_at")
    op.drop_table("sso_nonce")
