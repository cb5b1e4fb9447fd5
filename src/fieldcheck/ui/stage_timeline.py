"""The stage timeline of one compound: all ten programme stages as done, current or upcoming,
with planned due and actual dates; an open stage past its due date is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from fieldcheck.domain.compound import Compound
from fieldcheck.domain.stages import STAGE_ORDER, StageDates
from fieldcheck.ui.colors import DONE_TEXT, MUTED_TEXT, OVERDUE_TEXT
from fieldcheck.ui.formatting import format_date
from fieldcheck.ui.table_model import RowTableModel


class StageState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class TimelineRow:
    dates: StageDates
    state: StageState
    overdue: bool


def timeline_rows(compound: Compound, today: dt.date) -> list[TimelineRow]:
    rows = []
    for stage in STAGE_ORDER:
        dates = compound.dates(stage)
        if stage is compound.stage:
            state = StageState.CURRENT
        elif stage.position < compound.stage.position:
            state = StageState.DONE
        else:
            state = StageState.UPCOMING
        overdue = state is not StageState.DONE and dates.is_overdue(today)
        rows.append(TimelineRow(dates, state, overdue))
    return rows


class TimelineColumn(IntEnum):
    STAGE = 0
    STATE = 1
    PLANNED_DUE = 2
    ACTUAL_DONE = 3


STAGE_STATE_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2


class StageTimelineTableModel(RowTableModel[TimelineRow]):
    columns = TimelineColumn

    def titles(self) -> dict[Any, str]:
        return {
            TimelineColumn.STAGE: self.tr("Stage"),
            TimelineColumn.STATE: self.tr("Status"),
            TimelineColumn.PLANNED_DUE: self.tr("Planned due"),
            TimelineColumn.ACTUAL_DONE: self.tr("Done on"),
        }

    def cell(self, row: TimelineRow, column: TimelineColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == STAGE_STATE_ROLE:
            return row.state.value
        if role == OVERDUE_ROLE:
            return row.overdue
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row)
        if role == Qt.ItemDataRole.FontRole and row.state is StageState.CURRENT:
            font = QFont()
            font.setBold(True)
            return font
        return None

    @staticmethod
    def _foreground(row: TimelineRow) -> QBrush | None:
        if row.overdue:
            return QBrush(OVERDUE_TEXT)
        if row.state is StageState.DONE:
            return QBrush(DONE_TEXT)
        if row.state is StageState.UPCOMING:
            return QBrush(MUTED_TEXT)
        return None

    def _display(self, row: TimelineRow, column: TimelineColumn) -> str:
        if column is TimelineColumn.STAGE:
            return f"{row.dates.stage.position + 1}. {row.dates.stage.label.get(self.language)}"
        if column is TimelineColumn.STATE:
            states = {
                StageState.DONE: self.tr("Done"),
                StageState.CURRENT: self.tr("Current"),
                StageState.UPCOMING: self.tr("Upcoming"),
            }
            text = states[row.state]
            return self.tr("{state} · overdue").format(state=text) if row.overdue else text
        if column is TimelineColumn.PLANNED_DUE:
            return format_date(row.dates.planned_due)
        return format_date(row.dates.actual_done)
