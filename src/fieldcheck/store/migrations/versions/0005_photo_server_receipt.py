"""Photo receipt facts the server writes: when it first stored the photo record, the laptop's
clock offset then, and whether that clock was off by more than ten minutes (F28).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("server_received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("received_clock_offset_s", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("clock_skew_flag", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_column("clock_skew_flag")
        batch_op.drop_column("received_clock_offset_s")
        batch_op.drop_column("server_received_at")
