"""The compound list's item model over the rows ``core.compounds.load_compound_list`` reads
off the GUI thread, and the proxy that filters by sub-district, stage and a search text."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush

from fieldcheck.core.compounds import CompoundListRow
from fieldcheck.domain.stages import Stage
from fieldcheck.ui.colors import OVERDUE_BACKGROUND, OVERDUE_TEXT, WARNING_TEXT
from fieldcheck.ui.formatting import format_date, format_number
from fieldcheck.ui.sync_column import SYNC_CELL_ROLES, sync_cell, sync_sort_key
from fieldcheck.ui.table_model import AnyIndex, RowTableModel


class CompoundColumn(IntEnum):
    CODE = 0
    SYNC = 1  # a narrow mark: synced, waiting to upload, conflict, rejected
    NAME = 2
    SUB_DISTRICT = 3
    STAGE = 4
    NEXT_DEADLINE = 5
    OVERDUE = 6
    FLOOR_AREA = 7
    YEAR_BUILT = 8


COMPOUND_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SUB_DISTRICT_ID_ROLE = Qt.ItemDataRole.UserRole + 3
STAGE_ROLE = Qt.ItemDataRole.UserRole + 4
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 5
SYNC_STATE_ROLE = Qt.ItemDataRole.UserRole + 6

_NUMERIC = {CompoundColumn.FLOOR_AREA, CompoundColumn.YEAR_BUILT}


class CompoundTableModel(RowTableModel[CompoundListRow]):
    """Compounds in rows; ``data()`` reads only the rows set with ``set_rows``."""

    columns = CompoundColumn

    def row_of(self, compound_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.compound.id == compound_id), -1)

    def titles(self) -> dict[Any, str]:
        return {
            CompoundColumn.CODE: self.tr("Code"),
            CompoundColumn.NAME: self.tr("Name"),
            CompoundColumn.SUB_DISTRICT: self.tr("Sub-district"),
            CompoundColumn.STAGE: self.tr("Stage"),
            CompoundColumn.NEXT_DEADLINE: self.tr("Deadline"),
            CompoundColumn.OVERDUE: self.tr("Overdue"),
            CompoundColumn.FLOOR_AREA: self.tr("Area m²"),
            CompoundColumn.YEAR_BUILT: self.tr("Built"),
            CompoundColumn.SYNC: self.tr("Sync"),
        }

    def cell(self, row: CompoundListRow, column: CompoundColumn, role: int) -> Any:
        if column is CompoundColumn.SYNC and role in SYNC_CELL_ROLES:
            return sync_cell(row.sync_state, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == COMPOUND_ID_ROLE:
            return row.compound.id
        if role == SUB_DISTRICT_ID_ROLE:
            return row.compound.sub_district_id
        if role == STAGE_ROLE:
            return row.compound.stage.value
        if role == OVERDUE_ROLE:
            return row.overdue
        if role == SYNC_STATE_ROLE:
            return row.sync_state
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: CompoundListRow, column: CompoundColumn) -> str:
        compound = row.compound
        if column is CompoundColumn.CODE:
            return compound.code
        if column is CompoundColumn.NAME:
            return compound.name
        if column is CompoundColumn.SUB_DISTRICT:
            return row.sub_district
        if column is CompoundColumn.STAGE:
            return compound.stage.label.get(self.language)
        if column is CompoundColumn.NEXT_DEADLINE:
            return format_date(row.deadline.planned_due if row.deadline else None)
        if column is CompoundColumn.OVERDUE:
            return self.tr("Overdue") if row.overdue else ""
        if column is CompoundColumn.FLOOR_AREA:
            return format_number(compound.floor_area_m2)
        return f"{compound.year_built} ⚠" if compound.built_after_2000 else str(compound.year_built)

    @staticmethod
    def _sort_key(row: CompoundListRow, column: CompoundColumn) -> Any:
        compound = row.compound
        keys: dict[CompoundColumn, Any] = {
            CompoundColumn.CODE: compound.code,
            CompoundColumn.NAME: compound.name,
            CompoundColumn.SUB_DISTRICT: row.sub_district,
            CompoundColumn.STAGE: compound.stage.position,
            CompoundColumn.NEXT_DEADLINE: format_date(row.deadline.planned_due)
            if row.deadline and row.deadline.planned_due
            else "9999",
            CompoundColumn.OVERDUE: int(row.overdue),
            CompoundColumn.FLOOR_AREA: compound.floor_area_m2,
            CompoundColumn.YEAR_BUILT: compound.year_built,
            CompoundColumn.SYNC: sync_sort_key(row.sync_state),
        }
        return keys[column]

    @staticmethod
    def _foreground(row: CompoundListRow, column: CompoundColumn) -> QBrush | None:
        if row.overdue and column in (CompoundColumn.NEXT_DEADLINE, CompoundColumn.OVERDUE):
            return QBrush(OVERDUE_TEXT)
        if column is CompoundColumn.YEAR_BUILT and row.compound.built_after_2000:
            return QBrush(WARNING_TEXT)
        return None

    def _tooltip(self, row: CompoundListRow, column: CompoundColumn) -> str | None:
        if column is CompoundColumn.YEAR_BUILT and row.compound.built_after_2000:
            return self.tr("Built after 2000: outside the old-compound definition")
        if column is CompoundColumn.NEXT_DEADLINE and row.deadline is not None:
            return row.deadline.stage.label.get(self.language)
        return None


class CompoundFilterProxyModel(QSortFilterProxyModel):
    """Sorts by ``SORT_ROLE`` and keeps the rows matching sub-district, stage and search."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._sub_district_id: str | None = None
        self._stage: Stage | None = None
        self._search = ""

    def set_filters(self, *, sub_district_id: str | None, stage: Stage | None, search: str) -> None:
        self.beginFilterChange()
        self._sub_district_id = sub_district_id
        self._stage = stage
        self._search = search.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        first = model.index(source_row, CompoundColumn.CODE, source_parent)
        if self._sub_district_id and first.data(SUB_DISTRICT_ID_ROLE) != self._sub_district_id:
            return False
        if self._stage is not None and first.data(STAGE_ROLE) != self._stage.value:
            return False
        if not self._search:
            return True
        searched = (CompoundColumn.CODE, CompoundColumn.NAME, CompoundColumn.SUB_DISTRICT)
        return any(
            self._search in str(model.index(source_row, c, source_parent).data()).casefold()
            for c in searched
        )
