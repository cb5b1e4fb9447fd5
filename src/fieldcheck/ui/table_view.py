"""The read-only table view fieldcheck uses for its lists: whole rows, compact, no editing."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

ROW_PADDING_PX = 8


def make_table_view(model: QAbstractItemModel, *, selectable: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + ROW_PADDING_PX)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.SingleSelection
        if selectable
        else QAbstractItemView.SelectionMode.NoSelection
    )
    return view


def fit_height_to_rows(view: QTableView) -> None:
    """Make a short table exactly as tall as its header and rows, with no empty space."""
    header = view.horizontalHeader().sizeHint().height()
    view.setFixedHeight(header + view.verticalHeader().length() + 2 * view.frameWidth())
