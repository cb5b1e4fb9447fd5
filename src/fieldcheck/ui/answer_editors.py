"""One editor widget per answer type of a checklist field (pass/fail, count, measurement,
choice, text, date, document). Each shows and returns the raw value; the domain validates it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from fieldcheck.domain.answers import PASS_FAIL_VALUES
from fieldcheck.domain.checklist import AnswerType, FieldSpec
from fieldcheck.ui.formatting import format_number, python_date

COUNT_CEILING = 999_999
PASS_FAIL_BUTTON_WIDTH = 64
#: The colour a chosen pass/fail/not-applicable button takes, so the answer reads at a glance.
PASS_FAIL_COLOURS = {"pass": "#1e6b35", "fail": "#b3261e", "na": "#5f6368"}
CHOSEN_STYLE = (
    "QToolButton:checked {{ background: {colour}; color: white; border: 1px solid {colour};"
    " border-radius: 3px; padding: 2px; }}"
)


class AnswerEditor(QWidget):
    """Base of the editors: ``value_edited`` fires on user edits only, never on ``set_value``."""

    value_edited = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec = spec
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        """What the user entered (None when empty); may be invalid, the domain decides."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self.blockSignals(True)
        try:
            self._show_value(value)
        finally:
            self.blockSignals(False)

    def clear_value(self) -> None:
        self.set_value(None)
        self.value_edited.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def retranslate(self, language: str) -> None:
        """Refresh the editor's own texts (Qt translations and bilingual option labels)."""

    def _show_value(self, value: Any) -> None:
        raise NotImplementedError


class PassFailEditor(AnswerEditor):
    """Three exclusive buttons: pass, fail, not applicable."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QToolButton] = {}
        for value in PASS_FAIL_VALUES:
            button = QToolButton()
            button.setCheckable(True)
            button.setMinimumWidth(PASS_FAIL_BUTTON_WIDTH)
            button.setStyleSheet(CHOSEN_STYLE.format(colour=PASS_FAIL_COLOURS[value]))
            self.group.addButton(button)
            self.buttons[value] = button
            self.row.addWidget(button)
        self.row.addStretch(1)
        self.group.buttonClicked.connect(lambda _button: self.value_edited.emit())
        self.retranslate("en")

    def value(self) -> str | None:
        return next((v for v, b in self.buttons.items() if b.isChecked()), None)

    def choose(self, value: str) -> None:
        """Click the button of ``value`` as a user would."""
        self.buttons[value].click()

    def retranslate(self, language: str) -> None:
        self.buttons["pass"].setText(self.tr("Pass"))
        self.buttons["fail"].setText(self.tr("Fail"))
        self.buttons["na"].setText(self.tr("N/A"))

    def _show_value(self, value: Any) -> None:
        self.group.setExclusive(False)
        for key, button in self.buttons.items():
            button.setChecked(key == value)
        self.group.setExclusive(True)


class CountEditor(AnswerEditor):
    """A spin box within the field's limits; one step below the minimum means empty."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.spin = QSpinBox()
        lowest = int(spec.minimum) if spec.minimum is not None else 0
        self.spin.setRange(lowest - 1, int(spec.maximum or COUNT_CEILING))
        self.spin.setSpecialValueText("—")
        self.spin.setMinimumWidth(110)
        self.spin.valueChanged.connect(lambda _v: self.value_edited.emit())
        self.row.addWidget(self.spin)
        self.row.addStretch(1)
        self._show_value(None)

    def value(self) -> int | None:
        value = self.spin.value()
        return None if value == self.spin.minimum() else value

    def _show_value(self, value: Any) -> None:
        self.spin.setValue(self.spin.minimum() if value is None else int(value))


class MeasurementEditor(AnswerEditor):
    """A number with its unit; anything typed is passed on so the domain can name the problem."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.edit = QLineEdit()
        self.edit.setMaximumWidth(140)
        low, high = format_number(spec.minimum), format_number(spec.maximum)
        if low or high:
            self.edit.setPlaceholderText(f"{low}–{high}")
        self.edit.textEdited.connect(lambda _t: self.value_edited.emit())
        self.row.addWidget(self.edit)
        self.row.addWidget(QLabel(spec.unit))
        self.row.addStretch(1)

    def value(self) -> float | str | None:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text

    def _show_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else format_number(value, grouping=False))


class ChoiceEditor(AnswerEditor):
    """A combo of the field's options in the UI language; the first entry means empty."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.combo = QComboBox()
        self.combo.addItem("—", None)
        for option in spec.options:
            self.combo.addItem(option.label.en, option.value)
        self.combo.currentIndexChanged.connect(lambda _i: self.value_edited.emit())
        self.row.addWidget(self.combo)
        self.row.addStretch(1)

    def value(self) -> str | None:
        return self.combo.currentData()

    def retranslate(self, language: str) -> None:
        for i, option in enumerate(self.spec.options, start=1):
            self.combo.setItemText(i, option.label.get(language))

    def _show_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(value), 0) if value else 0)


class TextEditor(AnswerEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.edit = QLineEdit()
        self.edit.textEdited.connect(lambda _t: self.value_edited.emit())
        self.row.addWidget(self.edit)

    def value(self) -> str | None:
        return self.edit.text() or None

    def _show_value(self, value: Any) -> None:
        self.edit.setText(value or "")


class DocumentEditor(TextEditor):
    """A reference to a document (file number, archive code); attachments come later."""

    def retranslate(self, language: str) -> None:
        self.edit.setPlaceholderText(self.tr("Document reference, e.g. file number"))


class DateEditor(AnswerEditor):
    """A date that may be left empty: the tick box says whether a date is given."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None):
        super().__init__(spec, parent)
        self.given = QCheckBox()
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.given.toggled.connect(self._on_given_toggled)
        self.edit.dateChanged.connect(lambda _d: self.value_edited.emit())
        self.row.addWidget(self.given)
        self.row.addWidget(self.edit)
        self.row.addStretch(1)
        self._show_value(None)

    def value(self) -> str | None:
        return python_date(self.edit.date()).isoformat() if self.given.isChecked() else None

    def retranslate(self, language: str) -> None:
        self.given.setText(self.tr("Date given"))

    def _show_value(self, value: Any) -> None:
        day = dt.date.fromisoformat(value) if value else dt.date.today()
        self.edit.setDate(QDate(day.year, day.month, day.day))
        self.given.setChecked(value is not None)
        self.edit.setEnabled(value is not None)

    def _on_given_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.value_edited.emit()


EDITORS: dict[AnswerType, type[AnswerEditor]] = {
    AnswerType.PASS_FAIL: PassFailEditor,
    AnswerType.COUNT: CountEditor,
    AnswerType.MEASUREMENT: MeasurementEditor,
    AnswerType.CHOICE: ChoiceEditor,
    AnswerType.TEXT: TextEditor,
    AnswerType.DATE: DateEditor,
    AnswerType.DOCUMENT: DocumentEditor,
}


def make_editor(spec: FieldSpec, language: str, parent: QWidget | None = None) -> AnswerEditor:
    editor = EDITORS[spec.type](spec, parent)
    editor.retranslate(language)
    return editor
