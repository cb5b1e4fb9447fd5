"""The narrow sync column of record tables (compounds, the illegal-structure register): a
mark for the record's state (synced, waiting to upload, conflict, rejected), the state in
words as its tooltip, red for what needs attention, centred, and a sort key."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from fieldcheck.core.sync_marks import RANK, RecordMark, needs_attention
from fieldcheck.ui.colors import OVERDUE_TEXT
from fieldcheck.ui.sync_texts import STATE_MARKS, state_text

#: Roles the sync column answers itself (the others, e.g. a row's background, are the row's).
SYNC_CELL_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
    }
)


def sync_cell(state: RecordMark, role: int) -> Any:
    """What the sync column shows for a record in ``state``, for one item role."""
    if role == Qt.ItemDataRole.DisplayRole:
        return STATE_MARKS.get(state, "")
    if role == Qt.ItemDataRole.ToolTipRole:
        return state_text(state)
    if role == Qt.ItemDataRole.ForegroundRole and needs_attention(state):
        return QBrush(OVERDUE_TEXT)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None


def sync_sort_key(state: RecordMark) -> int:
    """Least to most pressing, as the compound list ranks them."""
    return RANK.index(state) if state in RANK else 0
