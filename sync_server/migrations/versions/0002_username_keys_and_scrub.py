"""Usernames unique in their compared form (``app_user.username_key``: NFKC, case-folded,
stripped), and the background scrub's state row table.

Existing usernames that collide in that form (``Li`` and ``li``) stop the upgrade with their
names: an admin renames one first, since merging two accounts is not a migration's choice.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from sync_server.auth.names import username_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("username_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    users = sa.table("app_user", sa.column("id", sa.Integer), sa.column("username", sa.String))
    keyed = sa.table("app_user", sa.column("id", sa.Integer), sa.column("username_key", sa.String))
    connection = op.get_bind()
    seen: dict[str, str] = {}
    for user_id, name in connection.execute(sa.select(users.c.id, users.c.username)).all():
        key = username_key(name)
        if key in seen:
            raise RuntimeError(
                f"usernames {seen[key]!r} and {name!r} are the same once case and spaces are "
                "ignored; rename one of them, then upgrade again"
            )
        seen[key] = name
        connection.execute(sa.update(keyed).where(keyed.c.id == user_id).values(username_key=key))
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("username_key", nullable=False)
        batch_op.create_index(batch_op.f("ix_app_user_username_key"), ["username_key"], unique=True)

    op.create_table(
        "scrub_state",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("mismatches", sa.Integer(), nullable=False),
        sa.Column("checked", sa.JSON(), nullable=False),
        sa.Column("found", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("scrub_state")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_username_key"))
        batch_op.drop_column("username_key")
