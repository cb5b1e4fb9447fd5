"""The item model of a compound's illegal-structure register."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt

from fieldcheck.domain.register import IllegalStructure
from fieldcheck.ui.formatting import format_date, format_number
from fieldcheck.ui.table_model import RowTableModel


class StructureColumn(IntEnum):
    LOCATION = 0
    TYPE = 1
    AREA = 2
    USER = 3
    STATUS = 4
    STATUS_DATE = 5
    NOTE = 6


STRUCTURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class StructureTableModel(RowTableModel[IllegalStructure]):
    columns = StructureColumn

    def titles(self) -> dict[Any, str]:
        return {
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
