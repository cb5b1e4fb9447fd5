"""The laptop's local store: SQLite (WAL, foreign keys on) through SQLModel, Alembic
migrations with a backup first, repositories, and the outbox written with every change."""
