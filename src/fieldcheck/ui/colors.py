"""The few colours that carry meaning in the UI: overdue, failed, warnings, inline errors."""

from __future__ import annotations

from PySide6.QtGui import QColor

OVERDUE_BACKGROUND = QColor("#fde2e1")
OVERDUE_TEXT = QColor("#b3261e")
WARNING_TEXT = QColor("#a15c00")
DONE_TEXT = QColor("#1e6b35")
MUTED_TEXT = QColor("#6b6b6b")

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #a15c00;"
