"""What differs between a migrated database and a side's tables, for the tests that each
side's Alembic head matches its models (tests/store and tests/server test_migrations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, MetaData, UniqueConstraint, inspect


def schema_diff(
    connection: Connection, metadata: MetaData, options: Mapping[str, Any]
) -> list[Any]:
    """Alembic autogenerate's differences under the side's own options, plus the unnamed
    unique constraints the database has and the tables do not declare.

    Autogenerate can only report a constraint missing from the models by its name, and
    SQLite reflects the constraints of ``unique=True`` and ``UniqueConstraint(...)`` without
    one (PostgreSQL names them, so there Alembic sees them itself); these are compared by
    their columns instead."""
    context = MigrationContext.configure(connection, opts=dict(options))
    diff = list(compare_metadata(context, metadata))
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue  # compare_metadata reported it
        declared = {
            tuple(column.name for column in constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint)
        }
        for reflected in inspector.get_unique_constraints(table.name):
            columns = tuple(reflected["column_names"])
            if reflected["name"] is None and columns not in declared:
                diff.append(("remove_unnamed_unique_constraint", table.name, columns))
    return diff
