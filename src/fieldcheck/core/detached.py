"""The rule that nothing live leaves a unit of work: a use case returns frozen values, never a
session or an ORM row (their lazy loads would run on another thread, outside the session)."""

from __future__ import annotations

from sqlmodel import Session, SQLModel

from fieldcheck.core.changes import Done


def ensure_detached(result: object) -> None:
    """Raise TypeError when ``result`` (or the value of a ``Done``, or an item of a list or
    tuple) is a session or a row of a table."""
    if isinstance(result, Done):
        result = result.value
    values = result if isinstance(result, list | tuple) else (result,)
    for value in values:
        if isinstance(value, Session) or (
            isinstance(value, SQLModel) and hasattr(type(value), "__table__")
        ):
            raise TypeError(f"an op returned {type(value).__name__}; return a frozen dataclass")
