"""The "Needs attention" dialog: conflicts side by side (mine, theirs, the merged value to
edit, and the record's history: who changed what and when) with keep mine / take theirs /
use merged → ``core.attention.resolve_conflict``; changes the server rejected, with its reason,
kept until dealt with: "Send again" (``resend_rejected``) once the cause is fixed, or
"Discard my change…" with a reason (``discard_rejected``); photos whose file no longer
matches (integrity alerts); and the warning that the server's history changed, with an
explicit "accept the server's history". Fields, values and the server's rejection codes are
named in the inspector's words (``record_texts``), never by their internal names.

Everything is loaded by a read op into frozen values (``core.attention``); resolutions are
write ops, and the core says which compound's views they change."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.core import Session
from fieldcheck.core.attention import (
    AttentionData,
    AttentionItem,
    ConflictChoice,
    IntegrityAlert,
    accept_server_history,
    discard_rejected,
    load_attention,
    resend_rejected,
    resolve_conflict,
)
from fieldcheck.core.changes import Done
from fieldcheck.core.sync_marks import AttentionKind
from fieldcheck.domain.checklist import AnswerType, FieldSpec
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.ops import Generation
from fieldcheck.ui.record_texts import field_label, joined, rejection_reason, value_options
from fieldcheck.ui.sync_controller import SyncController
from fieldcheck.ui.sync_texts import entity_text

#: Bookkeeping fields not worth showing side by side.
HIDDEN_FIELDS = frozenset({"id", "rev", "updated_at", "created_at"})
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
#: The pass/fail labels of the checklist's own editor (translated in its context).
PASS_FAIL_LABELS = {"pass": "Pass", "fail": "Fail", "na": "N/A"}


def shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def value_text(options: list[tuple[Any, str]], value: Any) -> str:
    """A value as read: the label of a choice or enum value, nothing for no value."""
    if value is None:
        return ""
    labels = {v: text for v, text in options if isinstance(v, str | bool)}
    if isinstance(value, str | bool) and value in labels:
        return labels[value]
    return shown(value)


def parsed(text: str, like: Any) -> Any:
    """What the inspector typed as a merged value, as the type of the value it replaces."""
    if isinstance(like, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


#: One compared value: a field, or one key of a field that holds a mapping (an answer's values).
Place = tuple[str, str | None]


def compared_places(item: AttentionItem) -> list[Place]:
    """The conflicting fields (else every field where mine and theirs differ); a mapping on
    both sides is compared key by key."""
    names = list(item.fields) or [
        n
        for n in sorted(set(item.mine) | set(item.theirs))
        if n not in HIDDEN_FIELDS and item.mine.get(n) != item.theirs.get(n)
    ]
    return places_of(names, item.mine, item.theirs)


def places_of(names: list[str], mine: dict[str, Any], theirs: dict[str, Any]) -> list[Place]:
    """The places of ``names``; a field holding a mapping on both sides, key by key."""
    places: list[Place] = []
    for name in names:
        first, second = mine.get(name), theirs.get(name)
        if isinstance(first, dict) and isinstance(second, dict):
            places += [(name, key) for key in sorted(set(first) | set(second))]
        else:
            places.append((name, None))
    return places


def value_at(record: dict[str, Any], place: Place) -> Any:
    name, key = place
    value = record.get(name)
    return value.get(key) if key is not None and isinstance(value, dict) else value


def record_label(item: AttentionItem, compounds: dict[str, str], language: str) -> str:
    """A short name for the record: an inspection by its compound's code, kind and start
    date; others by item code, code, name, location or file name; else the start of the id."""
    for source in (item.theirs, item.mine):
        if item.entity == "inspection" and source.get("kind") in set(InspectionKind):
            compound = compounds.get(str(source.get("compound_id")), "").partition(" ")[0]
            kind = InspectionKind(source["kind"]).label.get(language)
            return " ".join(p for p in (compound, kind, str(source.get("started_on", ""))) if p)
        for key in ("item_code", "code", "name", "location", "original_name"):
            if source.get(key):
                return str(source[key])
    return item.record_id[:8]


def readonly_item(text: str) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    cell.setToolTip(text)
    return cell


def make_table() -> QTableWidget:
    table = QTableWidget()
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    return table


class AttentionDialog(RetranslateOnLanguageChange, QDialog):
    """Non-modal; ``resolved`` fires after a conflict was settled locally (a sync sends it)."""

    loaded = Signal()
    resolved = Signal()

    def __init__(
        self, context: AppContext, controller: SyncController, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.context = context
        self.controller = controller
        self.data = AttentionData([], [], "")
        self.places: list[Place] = []
        self.choices: dict[int, QComboBox] = {}
        self._generation = Generation()
        self.history_frame = QFrame()
        self.history_frame.setStyleSheet("QFrame { background: #fef3c7; }")
        self.history_label = QLabel()
        self.history_label.setWordWrap(True)
        self.accept_history_button = QPushButton()
        history_row = QHBoxLayout(self.history_frame)
        history_row.addWidget(self.history_label, 1)
        history_row.addWidget(self.accept_history_button)

        self.list = QListWidget()
        self.list.setMinimumWidth(260)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compare = make_table()
        self.history_title = QLabel()
        self.history = make_table()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keep_mine_button = QPushButton()
        self.take_theirs_button = QPushButton()
        self.merged_button = QPushButton()
        self.send_again_button = QPushButton()
        self.discard_button = QPushButton()
        self.discard_box: QInputDialog | None = None
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (
            self.keep_mine_button,
            self.take_theirs_button,
            self.merged_button,
            self.send_again_button,
            self.discard_button,
        ):
            buttons.addWidget(button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.title)
        detail_layout.addWidget(self.compare, 1)
        detail_layout.addWidget(self.history_title)
        detail_layout.addWidget(self.history, 1)
        detail_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.history_frame)
        layout.addWidget(self.empty_label)
        layout.addWidget(splitter, 1)

        self.list.currentRowChanged.connect(self._show_current)
        self.keep_mine_button.clicked.connect(lambda: self.resolve(ConflictChoice.MINE))
        self.take_theirs_button.clicked.connect(lambda: self.resolve(ConflictChoice.THEIRS))
        self.merged_button.clicked.connect(lambda: self.resolve(ConflictChoice.MERGED))
        self.send_again_button.clicked.connect(self.send_again)
        self.discard_button.clicked.connect(self.ask_discard)
        self.accept_history_button.clicked.connect(self.confirm_accept_history)
        controller.sync_finished.connect(lambda _report: self.load())
        self.resize(1100, 640)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Needs attention"))
        self.accept_history_button.setText(self.tr("Accept the server's history…"))
        self.keep_mine_button.setText(self.tr("Keep mine"))
        self.take_theirs_button.setText(self.tr("Take theirs"))
        self.merged_button.setText(self.tr("Use the merged values"))
        self.send_again_button.setText(self.tr("Send again"))
        self.send_again_button.setToolTip(
            self.tr("Send your change to the server again, once the cause is fixed")
        )
        self.discard_button.setText(self.tr("Discard my change…"))
        self.history_title.setText(self.tr("History on the server"))
        self.empty_label.setText(self.tr("Nothing needs attention."))
        self._show(self.data)

    # -- loading -------------------------------------------------------------------------------
    def load(self) -> None:
        self._generation.advance()
        self.context.ops.read(load_attention).guarded_by(self._generation).on_success(
            self._show
        ).run()

    def _show(self, data: AttentionData) -> None:
        current = self.current()
        self.data = data
        self.history_frame.setVisible(bool(data.history_alert))
        self.history_label.setText(
            self.tr(
                "The server's history changed: {problem}. Syncing is stopped and nothing on "
                "this laptop was changed. Accept the server's history only after the bureau "
                "confirms the server was restored."
            ).format(problem=data.history_alert)
        )
        self.list.blockSignals(True)
        self.list.clear()
        for item in data.items:
            entry = QListWidgetItem(self._item_title(item))
            entry.setData(ITEM_ROLE, item)
            self.list.addItem(entry)
        for alert in data.alerts:
            text = self.tr("Photo file changed: {sha}").format(sha=alert.sha256[:12])
            entry = QListWidgetItem(text)
            entry.setData(ITEM_ROLE, alert)
            self.list.addItem(entry)
        self.list.blockSignals(False)
        empty = self.list.count() == 0
        self.empty_label.setVisible(empty and not data.history_alert)
        row = 0
        for index in range(self.list.count()):
            if self.list.item(index).data(ITEM_ROLE) == current:
                row = index
        self.list.setCurrentRow(row if not empty else -1)
        self._show_current()
        self.loaded.emit()

    def current(self) -> AttentionItem | IntegrityAlert | None:
        entry = self.list.currentItem()
        return entry.data(ITEM_ROLE) if entry is not None else None

    def _item_title(self, item: AttentionItem) -> str:
        what = self.tr("{entity} {id}").format(
            entity=entity_text(item.entity),
            id=record_label(item, self.data.compounds, self.context.language),
        )
        if item.kind == AttentionKind.CONFLICT:
            return self.tr("Conflict: {what}").format(what=what)
        return self.tr("Rejected: {what}").format(what=what)

    # -- the chosen item -----------------------------------------------------------------------
    def _show_current(self, *_args: object) -> None:
        item = self.current()
        conflict = isinstance(item, AttentionItem) and item.kind == AttentionKind.CONFLICT
        for button in (self.keep_mine_button, self.take_theirs_button, self.merged_button):
            button.setVisible(conflict)
        rejected = isinstance(item, AttentionItem) and item.kind == AttentionKind.REJECTED
        for button in (self.send_again_button, self.discard_button):
            button.setVisible(rejected)
        self.history.setVisible(conflict)
        self.history_title.setVisible(conflict)
        self.compare.setVisible(item is not None)
        self.title.setVisible(item is not None)
        if isinstance(item, IntegrityAlert):
            self._show_alert(item)
        elif isinstance(item, AttentionItem) and conflict:
            self._show_conflict(item)
        elif isinstance(item, AttentionItem):
            self._show_rejected(item)

    def _show_conflict(self, item: AttentionItem) -> None:
        self.title.setText(
            self.tr(
                "Someone else changed this {entity} while you did. Choose which version to "
                "keep, or edit the merged value. Both versions stay in the server's history."
            ).format(entity=entity_text(item.entity).lower())
        )
        places = compared_places(item)
        self.compare.clear()
        self.compare.setColumnCount(4)
        self.compare.setHorizontalHeaderLabels(
            [self.tr("Field"), self.tr("Mine"), self.tr("Theirs"), self.tr("Merged (edit)")]
        )
        self.compare.setRowCount(len(places))
        self.places = places
        self.choices = {}
        for row, place in enumerate(places):
            mine, theirs = value_at(item.mine, place), value_at(item.theirs, place)
            options = self._options(item, place)
            self.compare.setItem(row, 0, readonly_item(self._label(item, place)))
            self.compare.setItem(row, 1, readonly_item(self._value(item, place, mine)))
            self.compare.setItem(row, 2, readonly_item(self._value(item, place, theirs)))
            self.compare.setItem(row, 3, QTableWidgetItem(shown(theirs)))
            if options and theirs is not None:
                combo = QComboBox()
                for value, text in options:
                    combo.addItem(text, value)
                combo.setCurrentIndex(max(combo.findData(theirs), 0))
                self.compare.setCellWidget(row, 3, combo)
                self.choices[row] = combo
            if mine != theirs:
                for column in (1, 2):
                    if (cell := self.compare.item(row, column)) is not None:
                        cell.setBackground(QColor("#fef3c7"))
        self.compare.resizeRowsToContents()
        self.history.clear()
        self.history.setColumnCount(4)
        self.history.setHorizontalHeaderLabels(
            [self.tr("Revision"), self.tr("Who"), self.tr("When"), self.tr("Changed")]
        )
        self.history.setRowCount(len(item.history))
        for row, version in enumerate(reversed(item.history)):
            when = str(version.get("server_ts", ""))
            with contextlib.suppress(ValueError):
                when = dt.datetime.fromisoformat(when).astimezone().strftime("%Y-%m-%d %H:%M")
            values = [
                str(version.get("rev", "")),
                self.tr("{author} on {device}").format(
                    author=version.get("author", ""), device=str(version.get("device_id", ""))[:15]
                ),
                when,
                self._changed_text(item.entity, version),
            ]
            for column, text in enumerate(values):
                self.history.setItem(row, column, readonly_item(text))

    def _changed_text(self, entity: str, version: dict[str, Any]) -> str:
        """What a version of the history changed: "Created" for the first one (it sets
        every field), else the labels of the fields it changed."""
        if version.get("base_rev") == 0:
            return self.tr("Created")
        return joined(field_label(entity, name) for name in version.get("changed") or [])

    def _field_spec(self, item: AttentionItem, place: Place) -> FieldSpec | None:
        """The checklist field of an answer's value (for its label and options)."""
        code = item.theirs.get("item_code") or item.mine.get("item_code")
        if item.entity != "answer" or not code or place[1] is None:
            return None
        try:
            checklist_item = self.context.catalog.latest().item(str(code))
        except FieldcheckError:
            return None
        return checklist_item.field(place[1]) if checklist_item else None

    def _label(self, item: AttentionItem, place: Place) -> str:
        """The checklist's label of an answer's value, else the field's label."""
        spec = self._field_spec(item, place)
        if spec is not None:
            return spec.label.get(self.context.language)
        name, key = place
        return key if key is not None else field_label(item.entity, name)

    def _value(self, item: AttentionItem, place: Place, value: Any) -> str:
        """A value as read: a compound by its code and name, a checklist by its title, a
        choice by its label."""
        if place == ("compound_id", None) and value in self.data.compounds:
            return self.data.compounds[value]
        if place == ("template_id", None):
            return self._template_title(str(value))
        return value_text(self._options(item, place), value)

    def _template_title(self, template_id: str) -> str:
        """A checklist by its title (of the laptop's latest version of it), else its id."""
        try:
            template = self.context.catalog.latest(template_id)
        except FieldcheckError:
            return template_id
        return template.title.get(self.context.language)

    def _options(self, item: AttentionItem, place: Place) -> list[tuple[Any, str]]:
        """(value, label) of a choice, pass/fail, enum or yes/no field; empty for free
        values."""
        spec = self._field_spec(item, place)
        if spec is None:
            if place[1] is not None:
                return []
            return value_options(item.entity, place[0], self.context.language)
        if spec.type is AnswerType.PASS_FAIL:
            return [
                (value, QCoreApplication.translate("PassFailEditor", text))
                for value, text in PASS_FAIL_LABELS.items()
            ]
        return [(o.value, o.label.get(self.context.language)) for o in spec.options]

    def _show_rejected(self, item: AttentionItem) -> None:
        lines = [
            self.tr("The server rejected this change to {entity} {id}.").format(
                entity=entity_text(item.entity).lower(),
                id=record_label(item, self.data.compounds, self.context.language),
            ),
            rejection_reason(item.code, item.reason),
        ]
        if item.fields:
            concerned = joined(field_label(item.entity, name) for name in item.fields)
            lines.append(self.tr("It concerns: {fields}.").format(fields=concerned))
        lines.append(
            self.tr(
                "Your change stays here, with your values below, until you send it again or "
                "discard it."
            )
        )
        self.title.setText("\n".join(lines))
        names = [n for n in sorted(item.mine) if n not in HIDDEN_FIELDS]
        places = places_of(names, item.mine, item.mine)
        self.compare.clear()
        self.compare.setColumnCount(2)
        self.compare.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Mine")])
        self.compare.setRowCount(len(places))
        for row, place in enumerate(places):
            value = self._value(item, place, value_at(item.mine, place))
            self.compare.setItem(row, 0, readonly_item(self._label(item, place)))
            self.compare.setItem(row, 1, readonly_item(value))
        self.compare.resizeRowsToContents()

    def _show_alert(self, alert: IntegrityAlert) -> None:
        self.title.setText(
            self.tr(
                "The file of photo {sha} no longer matches its fingerprint, so it was not "
                "uploaded. Keep the laptop as it is and tell the bureau. ({error})"
            ).format(sha=alert.sha256, error=alert.error)
        )
        self.compare.clear()
        self.compare.setRowCount(0)
        self.compare.setColumnCount(0)

    # -- actions -------------------------------------------------------------------------------
    def merged_values(self) -> dict[str, Any]:
        item = self.current()
        assert isinstance(item, AttentionItem)
        values: dict[str, Any] = {}
        for row, place in enumerate(self.places):
            name, key = place
            if row in self.choices:
                value = self.choices[row].currentData()
            else:
                cell = self.compare.item(row, 3)
                typed = cell.text() if cell is not None else ""
                value = parsed(typed, value_at(item.theirs, place))
            if key is None:
                values[name] = value
            else:
                values.setdefault(name, dict(item.theirs.get(name) or {}))[key] = value
        return values

    def resolve(self, choice: ConflictChoice) -> None:
        item = self.current()
        if not isinstance(item, AttentionItem) or item.conflict_id is None:
            return
        values = self.merged_values() if choice is ConflictChoice.MERGED else None
        self._settle(lambda s: resolve_conflict(s, item, choice, values))

    def _settle(self, act: Callable[[Session], Done[Any]]) -> None:
        """Run ``act`` (resolve, send again, discard); the core tells the views of the
        record's compound that it changed."""
        self.context.ops.write(act).on_success(self._resolved).run()

    def _resolved(self, _done: object) -> None:
        self.load()
        self.controller.refresh()
        self.resolved.emit()
        self.controller.sync_now()

    def send_again(self) -> None:
        item = self.current()
        if not isinstance(item, AttentionItem) or item.kind != AttentionKind.REJECTED:
            return
        self._settle(lambda s: resend_rejected(s, item))

    def ask_discard(self) -> None:
        """Ask why the change is given up (required), then discard it."""
        item = self.current()
        if not isinstance(item, AttentionItem) or item.kind != AttentionKind.REJECTED:
            return
        box = QInputDialog(self)
        box.setWindowTitle(self.tr("Discard my change"))
        box.setLabelText(
            self.tr(
                "Your change is not sent. The record goes back to the server's version, or, "
                "if the server never had it, it is withdrawn on this laptop. Both stay on "
                "record. Why do you discard it? (required)"
            )
        )
        box.setOkButtonText(self.tr("Discard"))
        box.textValueSelected.connect(lambda reason: self.discard(item, reason))
        self.discard_box = box
        box.open()

    def discard(self, item: AttentionItem, reason: str) -> None:
        if not reason.strip():
            return  # a reason is required; nothing was discarded
        self._settle(lambda s: discard_rejected(s, item, reason))

    def confirm_accept_history(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Accept the server's history"))
        box.setText(
            self.tr(
                "Only do this after the bureau confirmed that the server was restored. "
                "fieldcheck then pulls everything again; your unsent changes stay and are sent."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _result: self._confirmed(box))
        self.confirm_box = box
        box.open()

    def _confirmed(self, box: QMessageBox) -> None:
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            self.accept_history()

    def accept_history(self) -> None:
        self.context.ops.write(accept_server_history).on_success(self._history_accepted).run()

    def _history_accepted(self, _result: object) -> None:
        self.load()
        self.controller.refresh()
        self.controller.sync_now()
