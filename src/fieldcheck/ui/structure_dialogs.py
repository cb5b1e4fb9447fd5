"""Dialogs of the illegal-structure register: add or edit an entry, change its status."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.register import (
    MAX_STRUCTURE_AREA_M2,
    IllegalStructure,
    StructureStatus,
    StructureType,
    validate_structure,
)
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.formatting import python_date
from fieldcheck.ui.messages import error_text


class StructureDialog(QDialog):
    """Add a register entry (``structure`` with an empty id) or edit one; opened non-blocking,
    on ``accepted`` read ``structure()``. Location and area are checked before it closes."""

    def __init__(self, structure: IllegalStructure, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._original = structure
        self._language = language
        self.setWindowTitle(
            self.tr("Edit illegal structure") if structure.id else self.tr("Add illegal structure")
        )
        self.location_edit = QLineEdit(structure.location)
        self.type_combo = QComboBox()
        for kind in StructureType:
            self.type_combo.addItem(kind.label.get(language), kind.value)
        self.type_combo.setCurrentIndex(self.type_combo.findData(structure.type.value))
        self.area_spin = QDoubleSpinBox()
        self.area_spin.setRange(0.0, MAX_STRUCTURE_AREA_M2 * 10)
        self.area_spin.setDecimals(1)
        self.area_spin.setSuffix(" m²")
        self.area_spin.setValue(structure.area_m2)
        self.user_edit = QLineEdit(structure.user)
        self.note_edit = QLineEdit(structure.note)
        self.error_label = error_label()

        form = QFormLayout()
        form.addRow(self.tr("Location"), self.location_edit)
        form.addRow(self.tr("Type"), self.type_combo)
        form.addRow(self.tr("Area"), self.area_spin)
        form.addRow(self.tr("User"), self.user_edit)
        form.addRow(self.tr("Note"), self.note_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel_buttons(self))
        self.setMinimumWidth(460)

    def structure(self) -> IllegalStructure:
        return replace(
            self._original,
            location=self.location_edit.text().strip(),
            type=StructureType(self.type_combo.currentData()),
            area_m2=self.area_spin.value(),
            user=self.user_edit.text().strip(),
            note=self.note_edit.text().strip(),
        )

    def accept(self) -> None:
        entry = self.structure()
        try:
            validate_structure(entry.location, entry.area_m2)
        except ValidationError as error:
            self.error_label.setText(error_text(error, self._language))
            return
        super().accept()


class StructureStatusDialog(QDialog):
    """Change a register entry's status and the date it happened; on ``accepted`` read
    ``status()`` and ``date()``."""

    def __init__(
        self,
        structure: IllegalStructure,
        language: str,
        today: dt.date,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change status"))
        self.status_combo = QComboBox()
        for status in StructureStatus:
            self.status_combo.addItem(status.label.get(language), status.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData(structure.status.value))
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(self.tr("Structure"), QLabel(structure.location))
        form.addRow(self.tr("Status"), self.status_combo)
        form.addRow(self.tr("Date"), self.date_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))
        self.setMinimumWidth(380)

    def status(self) -> StructureStatus:
        return StructureStatus(self.status_combo.currentData())

    def date(self) -> dt.date:
        return python_date(self.date_edit.date())
