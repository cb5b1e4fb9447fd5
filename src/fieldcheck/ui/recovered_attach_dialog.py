"""The "Attach to compound" dialog of the recovered photos: which compound (a combo of the
compounds on this laptop that filters as you type a code or a name), the phase, and optionally
the category and checklist item, with the same combos as the import dialog, and the inspector.
The compounds are loaded by an op once the dialog is built; ``request()`` gives the target."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.compounds import list_compounds
from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.compound import Compound
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.ops import Generation, OpRunner
from fieldcheck.ui.photo_target_form import PhotoTargetFields


def compound_combo() -> QComboBox:
    """An editable combo whose popup keeps the compounds containing the typed text."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setMinimumContentsLength(28)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    return combo


class AttachRecoveredDialog(RetranslateOnLanguageChange, QDialog):
    """``compounds_loaded`` fires once the compound combo is filled."""

    compounds_loaded = Signal()

    def __init__(
        self,
        count: int,
        ops: OpRunner,
        template: ChecklistTemplate,
        language: Callable[[], str],
        inspector: str,
        compound_id: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._count = count
        self._wanted_compound = compound_id
        self._generation = Generation()

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.compound_combo = compound_combo()
        self.error_label = error_label()
        self.compound_combo.editTextChanged.connect(lambda _t: self.error_label.clear())

        self.compound_label = QLabel()
        form = QFormLayout()
        form.addRow(self.compound_label, self.compound_combo)
        self.fields = PhotoTargetFields(form, template, language, inspector, self)
        self.phase_combo, self.category_combo = self.fields.phase_combo, self.fields.category_combo
        self.item_combo, self.inspector_edit = self.fields.item_combo, self.fields.inspector_edit
        self.buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.resize(560, 320)
        ops.read(list_compounds).guarded_by(self._generation).on_success(self._show_compounds).run()

    def _show_compounds(self, compounds: list[Compound]) -> None:
        combo = self.compound_combo
        combo.clear()
        for compound in compounds:
            combo.addItem(f"{compound.code} {compound.name}", compound.id)
        combo.setCurrentIndex(combo.findData(self._wanted_compound))
        self.compounds_loaded.emit()

    def compound_id(self) -> str:
        """The id of the compound whose entry the combo shows (empty for other text)."""
        combo = self.compound_combo
        row = combo.findText(combo.currentText().strip(), Qt.MatchFlag.MatchFixedString)
        return combo.itemData(row) if row >= 0 else ""

    def set_target(self, phase: Phase, category: str = "", item_code: str = "") -> None:
        self.fields.set_target(phase, category, item_code)

    def request(self) -> PhotoTarget:
        return self.fields.target(self.compound_id())

    def accept(self) -> None:
        if not self.compound_id():
            self.error_label.setText(self.tr("Choose a compound from the list."))
            return
        self._generation.advance()
        super().accept()

    def reject(self) -> None:
        self._generation.advance()
        super().reject()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Attach to compound"))
        self.intro.setText(
            self.tr(
                "Record the {count} selected recovered photos as evidence of this compound. "
                "They are imported as usual: a photo already recorded for the compound and "
                "phase is not recorded twice."
            ).format(count=self._count)
        )
        self.compound_label.setText(self.tr("Compound:"))
        if (line := self.compound_combo.lineEdit()) is not None:
            line.setPlaceholderText(self.tr("Type a code or a name"))
        self.fields.retranslate()
