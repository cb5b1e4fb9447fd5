"""The compound page's Illegal structures tab: the register table (with each entry's sync
state) and add, edit and change-status actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core import Session
from fieldcheck.core.changes import Changes, Done
from fieldcheck.core.register import (
    RegisterEntries,
    change_structure_status,
    load_register,
    save_structure,
)
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.register import IllegalStructure, StructureType
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.formatting import format_number
from fieldcheck.ui.structure_dialogs import StructureDialog, StructureStatusDialog
from fieldcheck.ui.structure_table import StructureTableModel
from fieldcheck.ui.table_view import make_table_view


class RegisterTab(AppView):
    """``loaded`` carries the compound id; ``structure_saved`` the saved entry's id."""

    loaded = Signal(str)
    structure_saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._compound_id = ""
        self.structure_dialog: StructureDialog | None = None
        self.status_dialog: StructureStatusDialog | None = None

        self.model = StructureTableModel(context.language, self)
        self.table = make_table_view(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.status_button = QPushButton()
        self.summary = QLabel()
        self.error_label = error_label()
        self.add_button.clicked.connect(self.open_add_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.status_button.clicked.connect(self.open_status_dialog)
        self.table.selectionModel().selectionChanged.connect(self._enable_actions)
        self.table.doubleClicked.connect(lambda _index: self.open_edit_dialog())

        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.status_button):
            actions.addWidget(button)
        actions.addWidget(self.error_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.retranslate_ui()
        self._enable_actions()

    def show_compound(self, compound_id: str) -> None:
        self._compound_id = compound_id
        self._generation.advance()
        self.error_label.clear()
        self._context.ops.read(lambda s: load_register(s, compound_id)).guarded_by(
            self._generation
        ).on_success(self._show).run()

    def on_changes(self, changes: Changes, _initiator: object = None) -> None:
        """Reload for a change in this compound's register (made here or pulled), and after
        every sync (``compounds``: the entries' sync states changed)."""
        if not self._compound_id:
            return
        mine = changes.structures and changes.touches(self._compound_id)
        if mine or changes.compounds:
            self.show_compound(self._compound_id)

    def selected(self) -> IllegalStructure | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.structure(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def open_add_dialog(self) -> None:
        if not self._compound_id:
            return
        blank = IllegalStructure(
            id="", compound_id=self._compound_id, location="", type=StructureType.OTHER, area_m2=0
        )
        self._open_structure_dialog(blank)

    def open_edit_dialog(self) -> None:
        structure = self.selected()
        if structure is not None:
            self._open_structure_dialog(structure)

    def open_status_dialog(self) -> None:
        structure = self.selected()
        if structure is None:
            return
        dialog = StructureStatusDialog(
            structure, self._context.language, self._context.today(), self
        )
        dialog.accepted.connect(
            lambda: self._save(
                lambda s: change_structure_status(s, structure.id, dialog.status(), dialog.date())
            )
        )
        self.status_dialog = dialog
        dialog.open()

    def retranslate_ui(self) -> None:
        self.add_button.setText(self.tr("Add…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.status_button.setText(self.tr("Change status…"))
        self.model.set_language(self._context.language)
        self._show_summary()

    def _open_structure_dialog(self, structure: IllegalStructure) -> None:
        dialog = StructureDialog(structure, self._context.language, self)
        dialog.accepted.connect(lambda: self._save(lambda s: save_structure(s, dialog.structure())))
        self.structure_dialog = dialog
        dialog.open()

    def _save(self, change: Callable[[Session], Done[IllegalStructure]]) -> None:
        self._context.ops.write(change).initiated_by(self).guarded_by(self._generation).on_success(
            lambda saved: self.structure_saved.emit(saved.id)
        ).on_failure(self._show_error).run()

    def _show(self, entries: RegisterEntries) -> None:
        selected = self.selected()
        structures = entries.structures
        self.model.set_entries(structures, entries.sync_states)
        if selected is not None:
            row = next((i for i, s in enumerate(structures) if s.id == selected.id), -1)
            if row >= 0:
                self.table.selectRow(row)
        self._show_summary()
        self._enable_actions()
        self.loaded.emit(self._compound_id)

    def _show_summary(self) -> None:
        total = sum(s.area_m2 for s in self.model.rows)
        self.summary.setText(
            self.tr("{count} registered, {area} m² in all").format(
                count=len(self.model.rows), area=format_number(total)
            )
        )

    def _show_error(self, error: FieldcheckError) -> None:
        self.error_label.setText(self.message(error))

    def _enable_actions(self) -> None:
        has_selection = self.selected() is not None
        self.edit_button.setEnabled(has_selection)
        self.status_button.setEnabled(has_selection)
