"""One checklist item on screen: code, label, photo rule and points, then its entries (one for
most items, numbered and added one by one for a repeating item), each with one editor per
field, a note, inline errors per field and a fail mark. Edits are debounced per entry.

The item whose entries are the illegal-structure register gets ``RegisterItemWidget`` instead:
a line that sums up the register and a button to its tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core.checklist import RetractedAnswer
from fieldcheck.domain.answers import has_value, is_failed, validate_value
from fieldcheck.domain.checklist import ChecklistItem, PhotoRule
from fieldcheck.domain.errors import FieldcheckError, ValidationError
from fieldcheck.domain.inspection import Answer
from fieldcheck.ui.answer_editors import AnswerEditor, make_editor
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.formatting import format_date, format_number
from fieldcheck.ui.messages import error_text

SAVE_DELAY_MS = 600
FIELD_LABEL_WIDTH = 160
#: The inner margin of a numbered entry; its field labels are narrower by that margin and the
#: border, so that its editors line up with those of the items around it.
ENTRY_MARGIN = 8

ITEM_STYLE = """
ChecklistItemWidget, RegisterItemWidget {
    border: 1px solid #d0d0d0; border-radius: 4px; background: palette(base);
}
ChecklistItemWidget[answeredFail="true"] { border: 2px solid #b3261e; background: #fff4f3; }
AnswerEntryForm[numbered="true"] {
    border: 1px solid #e0e0e0; border-radius: 3px; background: #f7f7f7;
}
AnswerEntryForm[numbered="true"][answeredFail="true"] { border: 1px solid #b3261e; }
"""
MUTED_STYLE = "color: #6b6b6b;"
BADGE_STYLE = "color: white; background: #b3261e; border-radius: 3px; padding: 1px 6px;"


def _restyle(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class AnswerEntryForm(QFrame):
    """The editors of one entry of an item. ``edited`` carries the entry once the user has
    paused typing (or at once on ``flush``); a numbered entry (of a repeating item) has a
    heading and a Remove button whose click ``removal_requested`` carries."""

    edited = Signal(int)
    removal_requested = Signal(int)

    def __init__(
        self,
        item: ChecklistItem,
        entry: int,
        answer: Answer | None,
        language: str,
        numbered: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.item = item
        self.entry = entry
        self.saved = answer
        self._language = language
        self._field_errors: dict[str, FieldcheckError] = {}
        self._entry_error: FieldcheckError | None = None
        self.setObjectName(f"entry-{item.code}-{entry}")
        self.setProperty("numbered", numbered)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(lambda: self.edited.emit(self.entry))

        self.number_label = QLabel()
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(lambda: self.removal_requested.emit(self.entry))
        heading = QHBoxLayout()
        heading.addWidget(self.number_label, 1)
        heading.addWidget(self.remove_button)

        self.editors: dict[str, AnswerEditor] = {}
        self.field_labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._clear_buttons: list[QToolButton] = []
        label_width = FIELD_LABEL_WIDTH - (ENTRY_MARGIN + 1 if numbered else 0)
        fields = QGridLayout()
        fields.setColumnMinimumWidth(0, label_width)
        fields.setColumnStretch(1, 1)
        for i, spec in enumerate(item.fields):
            editor = make_editor(spec, language)
            editor.value_edited.connect(self._timer.start)
            label = QLabel()
            label.setWordWrap(True)
            label.setFixedWidth(label_width)
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
        self.entry_error = error_label(hidden=True)

        layout = QVBoxLayout(self)
        if numbered:
            layout.setContentsMargins(
                ENTRY_MARGIN, ENTRY_MARGIN - 2, ENTRY_MARGIN, ENTRY_MARGIN - 2
            )
            layout.addLayout(heading)
        else:
            layout.setContentsMargins(0, 0, 0, 0)
            self.number_label.hide()
            self.remove_button.hide()
        layout.addLayout(fields)
        layout.addWidget(self.entry_error)
        self._show_answer(answer)
        self.retranslate(language)

    @property
    def numbered(self) -> bool:
        return bool(self.property("numbered"))

    @property
    def failed(self) -> bool:
        return self.saved is not None and is_failed(self.item, self.saved.values)

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

    def is_blank(self) -> bool:
        """True when nothing was saved and nothing is entered (removing needs no reason)."""
        entered = {key: editor.value() for key, editor in self.editors.items()}
        return self.saved is None and not has_value(entered) and not self.note_edit.text()

    def flush(self) -> None:
        """Emit a pending edit now (before the view moves on or the app closes)."""
        if self._timer.isActive():
            self._timer.stop()
            self.edited.emit(self.entry)

    def show_saved(self, answer: Answer) -> None:
        self.saved = answer
        self._entry_error = None
        self._show_errors()
        self._mark_failed()

    def show_error(self, error: FieldcheckError) -> None:
        """Show a refused save beside the field it names, else under the entry."""
        key = str(error.params.get("field", ""))
        if key in self.errors:
            self._field_errors[key] = error
        else:
            self._entry_error = error
        self._show_errors()

    def has_error(self, key: str) -> bool:
        return key in self._field_errors

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.set_read_only(read_only)
        for button in self._clear_buttons:
            button.setVisible(not read_only)
        self.note_edit.setReadOnly(read_only)
        self.remove_button.setVisible(self.numbered and not read_only)

    def retranslate(self, language: str) -> None:
        self._language = language
        self.number_label.setText(
            "<b>" + self.tr("Entry {number}").format(number=self.entry + 1) + "</b>"
        )
        self.remove_button.setText(self.tr("Remove…"))
        self.remove_button.setToolTip(
            self.tr("Withdraw this entry with a reason; it stays on record.")
        )
        for spec in self.item.fields:
            label = self.tr("{label}:").format(label=spec.label.get(language))
            self.field_labels[spec.key].setText(label)
            self.editors[spec.key].retranslate(language)
        for button in self._clear_buttons:
            button.setToolTip(self.tr("Clear"))
        self.note_label.setText(self.tr("Note:"))
        self.note_edit.setPlaceholderText(self.tr("Optional remark"))
        self._show_errors()

    def _show_errors(self) -> None:
        for key, label in self.errors.items():
            error = self._field_errors.get(key)
            label.setText(error_text(error, self._language) if error else "")
            label.setVisible(error is not None)
        entry_error = self._entry_error
        self.entry_error.setText(error_text(entry_error, self._language) if entry_error else "")
        self.entry_error.setVisible(entry_error is not None)

    def _show_answer(self, answer: Answer | None) -> None:
        values = answer.values if answer else {}
        for key, editor in self.editors.items():
            editor.set_value(values.get(key))
        self.note_edit.setText(answer.note if answer else "")
        self._mark_failed()

    def _mark_failed(self) -> None:
        self.setProperty("answeredFail", self.failed)
        _restyle(self)


class ItemHeading(QFrame):
    """The frame of one item with its heading: code, label and a place for state labels."""

    def __init__(self, item: ChecklistItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"item-{item.code}")
        self.setStyleSheet(ITEM_STYLE)
        self.code_label = QLabel(f"<b>{item.code}</b>")
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.header = QHBoxLayout()
        self.header.addWidget(self.code_label)
        self.header.addWidget(self.title_label, 1)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.header)

    def retranslate(self, language: str) -> None:
        self.title_label.setText(self.item.label.get(language))


class ChecklistItemWidget(ItemHeading):
    """Shows one item and its live entries. ``answer_edited`` carries the item code and the
    entry once the user has paused typing (or at once on ``flush``); ``removal_requested``
    the item code and the entry the user wants to remove."""

    answer_edited = Signal(str, int)
    removal_requested = Signal(str, int)

    def __init__(
        self,
        item: ChecklistItem,
        answers: list[Answer],
        retracted: list[RetractedAnswer],
        language: str,
        read_only: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(item, parent)
        self._language = language
        self._read_only = read_only
        self._saved_ok: bool | None = None
        self._retracted = list(retracted)
        self.forms: dict[int, AnswerEntryForm] = {}

        self.state_label = QLabel()
        self.state_label.setStyleSheet(MUTED_STYLE)
        self.fail_badge = QLabel()
        self.fail_badge.setStyleSheet(BADGE_STYLE)
        self.rule_label = QLabel()
        self.rule_label.setStyleSheet(MUTED_STYLE)
        self.header.addWidget(self.state_label)
        self.header.addWidget(self.fail_badge)
        self.entries_layout = QVBoxLayout()
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_entry)
        self.retracted_label = QLabel()
        self.retracted_label.setStyleSheet(MUTED_STYLE)
        footer = QHBoxLayout()
        footer.addWidget(self.add_button)
        footer.addWidget(self.retracted_label)
        footer.addStretch(1)

        self.body.addWidget(self.rule_label)
        self.body.addLayout(self.entries_layout)
        if item.repeating:
            self.body.addLayout(footer)
        else:
            self.add_button.hide()
            self.retracted_label.hide()
        by_entry = {answer.entry: answer for answer in answers}
        shown = sorted(by_entry) if item.repeating else [0]
        if item.repeating and not by_entry and not retracted:
            shown = [0]
        for entry in shown:
            self._add_form(entry, by_entry.get(entry))
        self.set_read_only(read_only)
        self.retranslate(language)

    # The first entry's editors (the only entry of an item that does not repeat).

    @property
    def editors(self) -> dict[str, AnswerEditor]:
        return self._first_form().editors

    @property
    def errors(self) -> dict[str, QLabel]:
        return self._first_form().errors

    @property
    def note_edit(self) -> QLineEdit:
        return self._first_form().note_edit

    def has_error(self, key: str) -> bool:
        return self._first_form().has_error(key)

    def form(self, entry: int) -> AnswerEntryForm | None:
        return self.forms.get(entry)

    def add_entry(self) -> AnswerEntryForm:
        """Append an empty entry after every entry there was (live or retracted)."""
        known = [*self.forms, *(r.answer.entry for r in self._retracted)]
        form = self._add_form(max(known, default=-1) + 1, None)
        next(iter(form.editors.values())).setFocus()
        return form

    def drop_entry(self, entry: int) -> None:
        """Take an entry off the screen (it was retracted, or never saved)."""
        form = self.forms.pop(entry, None)
        if form is not None:
            self.entries_layout.removeWidget(form)
            form.hide()
            form.deleteLater()
        self._mark_failed()

    def show_retracted(self, retracted: RetractedAnswer) -> None:
        self._retracted.append(retracted)
        self.drop_entry(retracted.answer.entry)
        self._show_retracted()

    def flush(self) -> None:
        for form in list(self.forms.values()):
            form.flush()

    def show_saved(self, answer: Answer) -> None:
        form = self.forms.get(answer.entry)
        if form is not None:
            form.show_saved(answer)
        self._saved_ok = True
        self._show_state()
        self._mark_failed()

    def show_error(self, entry: int, error: FieldcheckError) -> None:
        form = self.forms.get(entry)
        if form is not None:
            form.show_error(error)
        self._saved_ok = False
        self._show_state()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for form in self.forms.values():
            form.set_read_only(read_only)
        self.add_button.setVisible(self.item.repeating and not read_only)

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        self._language = language
        for form in self.forms.values():
            form.retranslate(language)
        self.add_button.setText(self.tr("Add entry"))
        self.fail_badge.setText(self.tr("Fail"))
        self.rule_label.setText(self._rule_text())
        self._show_state()
        self._show_retracted()

    def _first_form(self) -> AnswerEntryForm:
        return next(iter(self.forms.values()))

    def _add_form(self, entry: int, answer: Answer | None) -> AnswerEntryForm:
        form = AnswerEntryForm(self.item, entry, answer, self._language, self.item.repeating, self)
        form.set_read_only(self._read_only)
        form.edited.connect(lambda e: self.answer_edited.emit(self.item.code, e))
        form.removal_requested.connect(lambda e: self.removal_requested.emit(self.item.code, e))
        self.forms[entry] = form
        self.entries_layout.addWidget(form)
        self._mark_failed()
        return form

    def _show_retracted(self) -> None:
        count = len(self._retracted)
        self.retracted_label.setText(self.tr("{count} retracted").format(count=count))
        self.retracted_label.setToolTip(
            "\n".join(
                self.tr("Entry {number}: {reason} ({by}, {date})").format(
                    number=r.answer.entry + 1,
                    reason=r.retraction.reason,
                    by=r.retraction.retracted_by,
                    date=format_date(r.retraction.retracted_at.date()),
                )
                for r in self._retracted
            )
        )
        self.retracted_label.setVisible(self.item.repeating and count > 0)

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

    def _mark_failed(self) -> None:
        failed = any(form.failed for form in self.forms.values())
        self.setProperty("answeredFail", failed)
        self.fail_badge.setVisible(failed)
        _restyle(self)


class RegisterItemWidget(ItemHeading):
    """The register item in the checklist: how many structures the register holds and their
    area, and a button (``register_requested``) to the Illegal structures tab."""

    register_requested = Signal()

    def __init__(self, item: ChecklistItem, language: str, parent: QWidget | None = None):
        super().__init__(item, parent)
        self._summary: tuple[int, float] | None = None
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.register_requested.emit)
        line = QHBoxLayout()
        line.addWidget(self.summary_label, 1)
        line.addWidget(self.open_button)
        self.body.addLayout(line)
        self.retranslate(language)

    def show_register(self, count: int, area_m2: float) -> None:
        self._summary = (count, area_m2)
        self._show_summary()

    def flush(self) -> None:
        """Nothing is edited here; the view flushes every item alike."""

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        self.open_button.setText(self.tr("Open the register"))
        self._show_summary()

    def _show_summary(self) -> None:
        if self._summary is None:
            self.summary_label.clear()
            return
        count, area = self._summary
        self.summary_label.setText(
            self.tr(
                "Registered in the Illegal structures tab: {count} structures, {area} m²"
            ).format(count=count, area=format_number(area))
        )
