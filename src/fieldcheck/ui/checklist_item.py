"""One checklist item on screen: code, label, photo rule and points, one editor per field, a
note, inline errors per field and a fail mark. Edits are debounced into ``answer_edited``."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.answers import is_failed, validate_value
from fieldcheck.domain.checklist import ChecklistItem, PhotoRule
from fieldcheck.domain.errors import FieldcheckError, ValidationError
from fieldcheck.domain.inspection import Answer
from fieldcheck.ui.answer_editors import AnswerEditor, make_editor
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.messages import error_text

SAVE_DELAY_MS = 600
FIELD_LABEL_WIDTH = 160

ITEM_STYLE = """
ChecklistItemWidget { border: 1px solid #d0d0d0; border-radius: 4px; background: palette(base); }
ChecklistItemWidget[failed="true"] { border: 2px solid #b3261e; background: #fff4f3; }
"""
MUTED_STYLE = "color: #6b6b6b;"
BADGE_STYLE = "color: white; background: #b3261e; border-radius: 3px; padding: 1px 6px;"


class ChecklistItemWidget(QFrame):
    """Shows one item and its answer; ``answer_edited`` carries the item code once the user
    has paused typing (or at once on ``flush``)."""

    answer_edited = Signal(str)

    def __init__(
        self,
        item: ChecklistItem,
        answer: Answer | None,
        language: str,
        read_only: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.item = item
        self.saved = answer
        self._language = language
        self._saved_ok: bool | None = None
        self._field_errors: dict[str, FieldcheckError] = {}
        self._item_error: FieldcheckError | None = None
        self.setObjectName(f"item-{item.code}")
        self.setStyleSheet(ITEM_STYLE)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(lambda: self.answer_edited.emit(self.item.code))

        self.code_label = QLabel(f"<b>{item.code}</b>")
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setStyleSheet(MUTED_STYLE)
        self.fail_badge = QLabel()
        self.fail_badge.setStyleSheet(BADGE_STYLE)
        self.rule_label = QLabel()
        self.rule_label.setStyleSheet(MUTED_STYLE)
        header = QHBoxLayout()
        header.addWidget(self.code_label)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.state_label)
        header.addWidget(self.fail_badge)

        self.editors: dict[str, AnswerEditor] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._clear_buttons: list[QToolButton] = []
        fields = QGridLayout()
        fields.setColumnMinimumWidth(0, FIELD_LABEL_WIDTH)
        fields.setColumnStretch(1, 1)
        for i, spec in enumerate(item.fields):
            editor = make_editor(spec, language)
            editor.value_edited.connect(self._timer.start)
            label = QLabel()
            label.setWordWrap(True)
            label.setFixedWidth(FIELD_LABEL_WIDTH)
            clear = QToolButton()
            clear.setText("×")
            clear.clicked.connect(editor.clear_value)
            self.editors[spec.key] = editor
            self.field_labels[spec.key] = label
            self.errors[spec.key] = error_label(hidden=True)
            self._clear_buttons.append(clear)
            fields.addWidget(label, 2 * i, 0)
            fields.addWidget(editor, 2 * i, 1)
            fields.addWidget(clear, 2 * i, 2)
            fields.addWidget(self.errors[spec.key], 2 * i + 1, 1, 1, 2)
        self.note_label = QLabel()
        self.note_edit = QLineEdit()
        self.note_edit.textEdited.connect(self._timer.start)
        note_row = 2 * len(item.fields)
        fields.addWidget(self.note_label, note_row, 0)
        fields.addWidget(self.note_edit, note_row, 1, 1, 2)
        self.item_error = error_label(hidden=True)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.rule_label)
        layout.addLayout(fields)
        layout.addWidget(self.item_error)
        self._show_answer(answer)
        self.set_read_only(read_only)
        self.retranslate(language)

    def collect(self) -> tuple[dict[str, Any], str]:
        """The values to save and the note. A field whose value does not fit gets its inline
        error and keeps its saved value, so the other fields still save."""
        saved = self.saved.values if self.saved else {}
        values: dict[str, Any] = {}
        self._field_errors.clear()
        for spec in self.item.fields:
            raw = self.editors[spec.key].value()
            if raw is None:
                continue
            try:
                values[spec.key] = validate_value(spec, raw, self.item.code)
            except ValidationError as error:
                self._field_errors[spec.key] = error
                if saved.get(spec.key) is not None:
                    values[spec.key] = saved[spec.key]
        self._show_errors()
        return values, self.note_edit.text()

    def differs_from_saved(self, values: dict[str, Any], note: str) -> bool:
        if self.saved is None:
            return bool(values) or bool(note)
        return values != self.saved.values or note != self.saved.note

    def flush(self) -> None:
        """Emit a pending edit now (before the view moves on or the app closes)."""
        if self._timer.isActive():
            self._timer.stop()
            self.answer_edited.emit(self.item.code)

    def show_saved(self, answer: Answer) -> None:
        self.saved = answer
        self._item_error = None
        self._saved_ok = True
        self._show_errors()
        self._show_state()
        self._mark_failed()

    def show_error(self, error: FieldcheckError) -> None:
        """Show a refused save beside the field it names, else under the item."""
        key = str(error.params.get("field", ""))
        if key in self.errors:
            self._field_errors[key] = error
        else:
            self._item_error = error
        self._saved_ok = False
        self._show_errors()
        self._show_state()

    def has_error(self, key: str) -> bool:
        return key in self._field_errors

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.set_read_only(read_only)
        for button in self._clear_buttons:
            button.setVisible(not read_only)
        self.note_edit.setReadOnly(read_only)

    def retranslate(self, language: str) -> None:
        self._language = language
        self.title_label.setText(self.item.label.get(language))
        for spec in self.item.fields:
            label = self.tr("{label}:").format(label=spec.label.get(language))
            self.field_labels[spec.key].setText(label)
            self.editors[spec.key].retranslate(language)
        for button in self._clear_buttons:
            button.setToolTip(self.tr("Clear"))
        self.note_label.setText(self.tr("Note:"))
        self.note_edit.setPlaceholderText(self.tr("Optional remark"))
        self.fail_badge.setText(self.tr("Fail"))
        self.rule_label.setText(self._rule_text())
        self._show_state()
        self._show_errors()

    def _show_errors(self) -> None:
        for key, label in self.errors.items():
            error = self._field_errors.get(key)
            label.setText(error_text(error, self._language) if error else "")
            label.setVisible(error is not None)
        item_error = self._item_error
        self.item_error.setText(error_text(item_error, self._language) if item_error else "")
        self.item_error.setVisible(item_error is not None)

    def _show_state(self) -> None:
        states = {None: "", True: self.tr("Saved"), False: self.tr("Not saved")}
        self.state_label.setText(states[self._saved_ok])

    def _rule_text(self) -> str:
        names = {
            PhotoRule.BEFORE: self.tr("before"),
            PhotoRule.DURING: self.tr("during"),
            PhotoRule.AFTER: self.tr("after"),
            PhotoRule.ON_FAIL: self.tr("on fail"),
        }
        rules = [names[rule] for rule in PhotoRule if rule in self.item.photo_rule]
        photos = (
            self.tr("Photos: {rules}").format(rules=self.tr(", ").join(rules))
            if rules
            else self.tr("No photos required")
        )
        if self.item.points is None:
            return photos
        return self.tr("{photos} · Points: {points}").format(photos=photos, points=self.item.points)

    def _show_answer(self, answer: Answer | None) -> None:
        values = answer.values if answer else {}
        for key, editor in self.editors.items():
            editor.set_value(values.get(key))
        self.note_edit.setText(answer.note if answer else "")
        self._mark_failed()

    def _mark_failed(self) -> None:
        failed = self.saved is not None and is_failed(self.item, self.saved.values)
        self.setProperty("failed", failed)
        self.fail_badge.setVisible(failed)
        self.style().unpolish(self)
        self.style().polish(self)
