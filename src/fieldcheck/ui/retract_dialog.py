"""The dialog that asks why an entry of a repeating checklist item is removed: nothing is
deleted, the entry is retracted with that reason and stays on record."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from fieldcheck.domain.errors import ValidationError
from fieldcheck.domain.evidence import check_retraction_reason
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.messages import error_text


class RetractEntryDialog(QDialog):
    """Opened non-blocking; on ``accepted`` read ``reason()``. A blank reason is refused
    inline before the dialog closes."""

    def __init__(self, item_code: str, entry: int, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._language = language
        number = entry + 1
        self.setWindowTitle(
            self.tr("Remove entry {number} of {code}").format(number=number, code=item_code)
        )
        explanation = QLabel(
            self.tr(
                "The entry is hidden from the checklist but kept on record, "
                "together with the reason."
            )
        )
        explanation.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.error_label = error_label()
        form = QFormLayout()
        form.addRow(self.tr("Reason (required)"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Remove")))
        self.setMinimumWidth(420)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        try:
            check_retraction_reason(self.reason())
        except ValidationError as error:
            self.error_label.setText(error_text(error, self._language))
            return
        super().accept()
