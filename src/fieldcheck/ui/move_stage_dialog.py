"""The dialog that moves a compound to another programme stage, asking a reason when the
move goes backwards."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.compound import Compound
from fieldcheck.domain.errors import StageTransitionError
from fieldcheck.domain.stages import Stage, allowed_move, check_move, next_stages
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.messages import error_text


class MoveStageDialog(QDialog):
    """Opened non-blocking; on ``accepted`` read ``target()`` and ``reason()``."""

    def __init__(self, compound: Compound, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._compound = compound
        self._language = language
        self.setWindowTitle(self.tr("Move to stage"))
        self.target_combo = QComboBox()
        targets = next_stages(compound.stage)
        for stage in targets:
            self.target_combo.addItem(stage.label.get(language), stage.value)
        forward = [i for i, stage in enumerate(targets) if stage.position > compound.stage.position]
        self.target_combo.setCurrentIndex(forward[0] if forward else 0)
        self.reason_edit = QLineEdit()
        self.reason_label = QLabel()
        self.error_label = error_label()

        form = QFormLayout()
        form.addRow(self.tr("Current stage"), QLabel(compound.stage.label.get(language)))
        form.addRow(self.tr("Move to"), self.target_combo)
        form.addRow(self.reason_label, self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Move")))
        self.target_combo.currentIndexChanged.connect(self._show_reason_need)
        self._show_reason_need()
        self.setMinimumWidth(420)

    def target(self) -> Stage:
        return Stage(self.target_combo.currentData())

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        try:
            check_move(self._compound.stage, self.target(), reason=self.reason())
        except StageTransitionError as error:
            self.error_label.setText(error_text(error, self._language))
            return
        super().accept()

    def _show_reason_need(self) -> None:
        move = allowed_move(self._compound.stage, self.target())
        backwards = move is not None and move.backwards
        self.reason_label.setText(
            self.tr("Reason (required)") if backwards else self.tr("Reason (optional)")
        )
        self.error_label.clear()
