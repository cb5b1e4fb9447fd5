"""The item model of a compound's illegal-structure register, with each entry's sync state."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from fieldcheck.core.sync_marks import RecordMark
from fieldcheck.domain.register import IllegalStructure
from fieldcheck.ui.formatting import format_date, format_number
from fieldcheck.ui.sync_column import SYNC_CELL_ROLES, sync_cell
from fieldcheck.ui.table_model import RowTableModel


class StructureColumn(IntEnum):
    SYNC = 0  # a narrow mark, as in the compound list
    LOCATION = 1
    TYPE = 2
    AREA = 3
    USER = 4
    STATUS = 5
    STATUS_DATE = 6
    NOTE = 7


STRUCTURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SYNC_STATE_ROLE = Qt.ItemDataRole.UserRole + 2


class StructureTableModel(RowTableModel[IllegalStructure]):
    """Entries in rows; their sync states (``sync_state.record_states``) are loaded with
    them, by the same read op."""

    columns = StructureColumn

    def __init__(self, language: str, parent: QObject | None = None):
        super().__init__(language, parent)
        self.sync_states: dict[str, RecordMark] = {}

    def set_entries(self, rows: list[IllegalStructure], sync_states: dict[str, RecordMark]) -> None:
        self.sync_states = sync_states
        self.set_rows(rows)

    def titles(self) -> dict[Any, str]:
        return {
            StructureColumn.SYNC: self.tr("Sync"),
            StructureColumn.LOCATION: self.tr("Location"),
            StructureColumn.TYPE: self.tr("Type"),
            StructureColumn.AREA: self.tr("Area m²"),
            StructureColumn.USER: self.tr("User"),
            StructureColumn.STATUS: self.tr("Status"),
            StructureColumn.STATUS_DATE: self.tr("Status date"),
            StructureColumn.NOTE: self.tr("Note"),
        }

    def cell(self, row: IllegalStructure, column: StructureColumn, role: int) -> Any:
        if role == STRUCTURE_ID_ROLE:
            return row.id
        state = self.sync_states.get(row.id, RecordMark.LOCAL)
        if role == SYNC_STATE_ROLE:
            return state
        if column is StructureColumn.SYNC:
            return sync_cell(state, role) if role in SYNC_CELL_ROLES else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is StructureColumn.AREA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = {
            StructureColumn.LOCATION: row.location,
            StructureColumn.TYPE: row.type.label.get(self.language),
            StructureColumn.AREA: format_number(row.area_m2),
            StructureColumn.USER: row.user,
            StructureColumn.STATUS: row.status.label.get(self.language),
            StructureColumn.STATUS_DATE: format_date(row.status_date),
            StructureColumn.NOTE: row.note,
        }
        return values[column]

    def structure(self, row: int) -> IllegalStructure | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None
