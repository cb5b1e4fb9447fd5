"""Typed errors of the domain.

Each error carries a stable ``code`` that callers branch on (never on the message text) and
the facts needed to show a message in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldcheckError(Exception):
    """Base of every error fieldcheck raises on purpose.

    ``code`` names the kind of problem; ``params`` hold the facts a translated message needs;
    ``message`` is the English text for logs and the command line.
    """

    message: str
    code: str = "error"
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


class ValidationError(FieldcheckError):
    """A value does not fit the rule it must follow (wrong type, out of range, unknown option)."""


class StageTransitionError(FieldcheckError):
    """A compound cannot move from its current programme stage to the one asked for."""


class TemplateError(FieldcheckError):
    """A checklist template file is malformed or inconsistent."""


class PlanImportError(FieldcheckError):
    """A plan list (CSV/XLSX) cannot be imported; ``problems`` lists each bad row."""

    def __init__(self, message: str, problems: list[RowProblem], code: str = "plan_invalid"):
        super().__init__(message=message, code=code, params={"count": len(problems)})
        self.problems = problems


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an imported table: its 1-based row number as the user sees it, and why:
    ``reason`` in English, ``code`` and ``params`` for a message in the user's language."""

    row: int
    reason: str
    column: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.reason}"


class NotFoundError(FieldcheckError):
    """A record asked for does not exist."""


class FrozenRecordError(FieldcheckError):
    """A record is frozen (an accepted inspection, a retracted entry) and cannot be changed."""
