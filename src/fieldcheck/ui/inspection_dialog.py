"""The dialog that starts a new inspection: its kind and the inspector; the checklist is the
latest installed template version, pinned to the inspection."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.ui.form_parts import ok_cancel_buttons


class NewInspectionDialog(QDialog):
    """Opened non-blocking; on ``accepted`` read ``kind()`` and ``inspector()``."""

    def __init__(
        self,
        template: ChecklistTemplate,
        inspector: str,
        language: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New inspection"))
        self.kind_combo = QComboBox()
        for kind in InspectionKind:
            self.kind_combo.addItem(kind.label.get(language), kind.value)
        self.inspector_edit = QLineEdit(inspector)
        self.inspector_edit.setPlaceholderText(self.tr("Your name"))
        template_label = QLabel(
            self.tr("{title}, version {version}").format(
                title=template.title.get(language), version=template.version
            )
        )
        template_label.setWordWrap(True)
        self.buttons = ok_cancel_buttons(self, self.tr("Start"))
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind_combo)
        form.addRow(self.tr("Inspector"), self.inspector_edit)
        form.addRow(self.tr("Checklist"), template_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.inspector_edit.textChanged.connect(self._enable_start)
        self._enable_start()
        self.setMinimumWidth(440)

    def kind(self) -> InspectionKind:
        return InspectionKind(self.kind_combo.currentData())

    def set_kind(self, kind: InspectionKind) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))

    def inspector(self) -> str:
        return self.inspector_edit.text().strip()

    def _enable_start(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.inspector()))
