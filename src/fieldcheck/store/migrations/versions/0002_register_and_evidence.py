"""The illegal-structure register, stage history, viewpoints, rectifications, retractions.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retraction",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("retracted_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("retracted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("retraction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retraction_entity"), ["entity"], unique=False)
        batch_op.create_index(batch_op.f("ix_retraction_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "illegal_structure",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("compound_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("area_m2", sa.Float(), nullable=False),
        sa.Column("user", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("illegal_structure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_illegal_structure_compound_id"), ["compound_id"], unique=False
        )

    op.create_table(
        "stage_change",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("compound_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("from_stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("to_stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stage_change_compound_id"), ["compound_id"], unique=False
        )

    op.create_table(
        "rectification_action",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("inspection_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("assignee_org", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("rectification_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rectification_action_inspection_id"), ["inspection_id"], unique=False
        )

    op.create_table(
        "viewpoint",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("compound_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("structure_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("pin_x", sa.Float(), nullable=True),
        sa.Column("pin_y", sa.Float(), nullable=True),
        sa.Column("bearing_deg", sa.Float(), nullable=True),
        sa.Column("rev", sa.Integer(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compound_id"],
            ["compound.id"],
        ),
        sa.ForeignKeyConstraint(
            ["structure_id"],
            ["illegal_structure.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )

    with op.batch_alter_table("viewpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_viewpoint_compound_id"), ["compound_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("viewpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_viewpoint_compound_id"))

    op.drop_table("viewpoint")

    with op.batch_alter_table("rectification_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_action_inspection_id"))

    op.drop_table("rectification_action")

    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_change_compound_id"))

    op.drop_table("stage_change")

    with op.batch_alter_table("illegal_structure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_illegal_structure_compound_id"))

    op.drop_table("illegal_structure")

    with op.batch_alter_table("retraction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retraction_entity_id"))
        batch_op.drop_index(batch_op.f("ix_retraction_entity"))

    op.drop_table("retraction")
