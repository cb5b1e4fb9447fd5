"""How numbers and dates read in the UI: numbers without trailing zeros, dates as ISO; a date
edit's ``QDate`` as a Python date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate


def format_number(value: float | None, *, grouping: bool = True) -> str:
    """``52300.0`` → "52,300", ``12.50`` → "12.5"; no grouping for text a user edits."""
    if value is None:
        return ""
    text = f"{value:,.3f}" if grouping else f"{value:.3f}"
    return text.rstrip("0").rstrip(".")


def format_date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def python_date(value: QDate) -> dt.date:
    """The day a ``QDate`` holds (PySide6 types ``QDate.toPython()`` as ``object``)."""
    return dt.date(value.year(), value.month(), value.day())
