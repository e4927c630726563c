"""room activity counter: live screens ask one row whether anything changed

Revision ID: 0005_room_activity
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_room_activity"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("supervision_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activity", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("supervision_session", schema=None) as batch_op:
        batch_op.drop_column("activity")
