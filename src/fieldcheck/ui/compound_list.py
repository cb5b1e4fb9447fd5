"""The left-hand panel: filters (sub-district, stage, search) over the sortable compound table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.changes import Changes
from fieldcheck.core.compounds import CompoundList, load_compound_list
from fieldcheck.domain.compound import SubDistrict
from fieldcheck.domain.stages import STAGE_ORDER, Stage
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.compound_table import (
    COMPOUND_ID_ROLE,
    CompoundColumn,
    CompoundFilterProxyModel,
    CompoundTableModel,
)
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.table_view import make_table_view


class CompoundListPanel(AppView):
    """Lists the compounds; emits ``compound_selected`` with the id of the chosen one."""

    compound_selected = Signal(str)
    rows_loaded = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._sub_districts: list[SubDistrict] = []
        self.model = CompoundTableModel(context.language, self)
        self.proxy = CompoundFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.sub_district_filter = QComboBox()
        self.stage_filter = QComboBox()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.table = make_table_view(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CompoundColumn.CODE, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        filters = QHBoxLayout()
        filters.addWidget(self.sub_district_filter, 1)
        filters.addWidget(self.stage_filter, 1)
        filters.addWidget(self.search, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.sub_district_filter.currentIndexChanged.connect(self._apply_filters)
        self.stage_filter.currentIndexChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.proxy.rowsInserted.connect(self._show_count)
        self.proxy.rowsRemoved.connect(self._show_count)
        self.proxy.modelReset.connect(self._show_count)
        self.proxy.layoutChanged.connect(self._show_count)
        self.retranslate_ui()

    def load(self) -> None:
        today = self._context.today()
        self._generation.advance()
        self._context.ops.read(lambda s: load_compound_list(s, today)).guarded_by(
            self._generation
        ).on_success(self._show).run()

    def on_changes(self, changes: Changes, _initiator: object = None) -> None:
        if changes.compounds:
            self.load()

    def select_compound(self, compound_id: str) -> None:
        source_row = self.model.row_of(compound_id)
        if source_row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def selected_compound_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(COMPOUND_ID_ROLE) if rows else None

    def visible_compound_ids(self) -> list[str]:
        return [
            self.proxy.index(row, 0).data(COMPOUND_ID_ROLE) for row in range(self.proxy.rowCount())
        ]

    def retranslate_ui(self) -> None:
        language = self._context.language
        self.model.set_language(language)
        self.search.setPlaceholderText(self.tr("Search code or name…"))
        self._fill_combo(
            self.sub_district_filter,
            self.tr("All sub-districts"),
            [(sub.name, sub.id) for sub in self._sub_districts],
        )
        self._fill_combo(
            self.stage_filter,
            self.tr("All stages"),
            [(stage.label.get(language), stage.value) for stage in STAGE_ORDER],
        )
        # After the font and texts of the new language have settled.
        QTimer.singleShot(0, self._fit_columns)
        self._show_count()

    def _show(self, data: CompoundList) -> None:
        selected = self.selected_compound_id()
        self._sub_districts = data.sub_districts
        self._fill_combo(
            self.sub_district_filter,
            self.tr("All sub-districts"),
            [(sub.name, sub.id) for sub in data.sub_districts],
        )
        self.model.set_rows(data.rows)
        self._fit_columns()
        if selected:
            self.select_compound(selected)
        self.rows_loaded.emit(len(data.rows))

    def _fit_columns(self) -> None:
        """Size the columns to their texts; the last one takes any room left."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        self.table.resizeColumnsToContents()
        header.setStretchLastSection(True)

    @staticmethod
    def _fill_combo(combo: QComboBox, everything: str, entries: list[tuple[str, str]]) -> None:
        """Refill a filter combo, keeping what was chosen; the first entry means no filter."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, value in entries:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        combo.blockSignals(False)

    def _apply_filters(self) -> None:
        stage = self.stage_filter.currentData()
        self.proxy.set_filters(
            sub_district_id=self.sub_district_filter.currentData(),
            stage=Stage(stage) if stage else None,
            search=self.search.text(),
        )
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(
            self.tr("{shown} of {total} compounds").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        compound_id = self.selected_compound_id()
        if compound_id:
            self.compound_selected.emit(compound_id)
