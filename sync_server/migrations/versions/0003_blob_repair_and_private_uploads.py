"""Blobs under repair (``blob.quarantined_at``), who proved they hold a blob
(``blob_holder``), and uploads private to who started them (``upload`` keyed by blob and
uploader; the uploader's content type is no longer kept).

Uploads in progress are dropped by this upgrade (a laptop's next sync creates them again);
their part files are removed as stale staging files when the server starts.

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _upload_table(*, private: bool) -> None:
    columns = [
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("committed_offset", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    ]
    if private:
        op.create_table("upload", *columns, sa.PrimaryKeyConstraint("sha256", "created_by"))
    else:
        content_type: sa.Column[str] = sa.Column(
            "content_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False
        )
        op.create_table("upload", *columns, content_type, sa.PrimaryKeyConstraint("sha256"))


def upgrade() -> None:
    with op.batch_alter_table("blob", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quarantined_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
    op.create_table(
        "blob_holder",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("proven_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "username"),
    )
    op.drop_table("upload")
    _upload_table(private=True)


def downgrade() -> None:
    op.drop_table("upload")
    _upload_table(private=False)
    op.drop_table("blob_holder")
    with op.batch_alter_table("blob", schema=None) as batch_op:
        batch_op.drop_column("quarantined_at")
