"""The compound page's Checklist tab: the compound's inspections, a category selector and the
items of the chosen inspection in that category, saved as the user edits them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.answers import is_complete
from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import ChecklistItem
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.inspection import Answer, Inspection, InspectionKind
from fieldcheck.store import inspections
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.checklist_item import ChecklistItemWidget
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.formatting import format_date
from fieldcheck.ui.inspection_dialog import NewInspectionDialog
from fieldcheck.ui.ops import Changes

CATEGORY_LIST_WIDTH = 170


class ChecklistView(AppView):
    """Signals carry ids: ``inspections_loaded`` (compound), ``answers_loaded`` (inspection),
    ``answer_saved`` / ``answer_rejected`` (item code), ``inspection_started`` (inspection)."""

    inspections_loaded = Signal(str)
    answers_loaded = Signal(str)
    answer_saved = Signal(str)
    answer_rejected = Signal(str)
    inspection_started = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._compound_id = ""
        self._inspections: list[Inspection] = []
        self._answers: dict[str, Answer] = {}
        self.items: dict[str, ChecklistItemWidget] = {}
        self.inspection_dialog: NewInspectionDialog | None = None

        self.inspection_label = QLabel()
        self.inspection_combo = QComboBox()
        self.inspection_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.open_new_inspection_dialog)
        self.frozen_label = QLabel()
        self.error_label = error_label()
        top = QHBoxLayout()
        top.addWidget(self.inspection_label)
        top.addWidget(self.inspection_combo)
        top.addWidget(self.new_button)
        top.addWidget(self.frozen_label)
        top.addWidget(self.error_label, 1)

        self.category_list = QListWidget()
        self.category_list.setFixedWidth(CATEGORY_LIST_WIDTH)
        self.category_list.setWordWrap(True)
        for category in Category:
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, category.value)
            self.category_list.addItem(entry)
        self.items_host = QWidget()
        self.items_layout = QVBoxLayout(self.items_host)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.items_host)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.category_list)
        body.addWidget(self.scroll, 1)
        body.addWidget(self.placeholder, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.inspection_combo.currentIndexChanged.connect(lambda _i: self._on_inspection_chosen())
        self.category_list.currentRowChanged.connect(lambda _row: self._show_items())
        self.category_list.setCurrentRow(0)
        self.retranslate_ui()
        self._show_items()

    @property
    def inspection(self) -> Inspection | None:
        index = self.inspection_combo.currentIndex()
        return self._inspections[index] if 0 <= index < len(self._inspections) else None

    @property
    def category(self) -> Category:
        entry = self.category_list.currentItem()
        return Category(entry.data(Qt.ItemDataRole.UserRole)) if entry else Category.SECURITY_FIRE

    def show_compound(self, compound_id: str, select_inspection: str = "") -> None:
        self.flush_pending()
        self._compound_id = compound_id
        self._generation.advance()
        self.error_label.clear()
        self._context.ops.read(lambda s: inspections.list_inspections(s, compound_id)).guarded_by(
            self._generation
        ).on_success(lambda found: self._show_inspections(found, select_inspection)).run()

    def on_changes(self, changes: Changes) -> None:
        if changes.initiator is self or changes.compound_id != self._compound_id:
            return
        if changes.inspections or changes.answers:
            current = self.inspection
            self.show_compound(self._compound_id, current.id if current else "")

    def select_category(self, category: Category) -> None:
        self.category_list.setCurrentRow(list(Category).index(category))

    def select_inspection(self, inspection_id: str) -> None:
        index = next((i for i, x in enumerate(self._inspections) if x.id == inspection_id), -1)
        if index >= 0:
            self.inspection_combo.setCurrentIndex(index)

    def flush_pending(self) -> None:
        """Save edits still waiting for their debounce delay."""
        for widget in self.items.values():
            widget.flush()

    def open_new_inspection_dialog(self) -> None:
        if not self._compound_id:
            return
        dialog = NewInspectionDialog(
            self._context.catalog.latest(),
            self._context.settings.inspector,
            self._context.language,
            self,
        )
        dialog.accepted.connect(lambda: self._start_inspection(dialog.kind(), dialog.inspector()))
        self.inspection_dialog = dialog
        dialog.open()

    def retranslate_ui(self) -> None:
        language = self._context.language
        self.inspection_label.setText(self.tr("Inspection:"))
        self.new_button.setText(self.tr("New inspection…"))
        for row in range(self.inspection_combo.count()):
            self.inspection_combo.setItemText(row, self._inspection_title(self._inspections[row]))
        for widget in self.items.values():
            widget.retranslate(language)
        self._show_frozen_state()
        self._show_category_counts()
        self._show_placeholder()

    def _start_inspection(self, kind: InspectionKind, inspector: str) -> None:
        compound_id, template = self._compound_id, self._context.catalog.latest()
        today = self._context.today()
        self._context.remember_inspector(inspector)
        self._context.ops.write(
            lambda s: inspections.start_inspection(s, compound_id, kind, inspector, template, today)
        ).changes(
            lambda _i: Changes(compound_id=compound_id, inspections=True, initiator=self)
        ).guarded_by(self._generation).on_success(self._inspection_started).on_failure(
            lambda error: self.error_label.setText(self.message(error))
        ).run()

    def _inspection_started(self, inspection: Inspection) -> None:
        self.show_compound(inspection.compound_id, inspection.id)
        self.inspection_started.emit(inspection.id)

    def _show_inspections(self, found: list[Inspection], select: str) -> None:
        self._inspections = found
        self.inspection_combo.blockSignals(True)
        self.inspection_combo.clear()
        for inspection in found:
            self.inspection_combo.addItem(self._inspection_title(inspection), inspection.id)
        index = next((i for i, x in enumerate(found) if x.id == select), 0)
        self.inspection_combo.setCurrentIndex(index if found else -1)
        self.inspection_combo.blockSignals(False)
        self.inspections_loaded.emit(self._compound_id)
        self._on_inspection_chosen()

    def _on_inspection_chosen(self) -> None:
        self.flush_pending()
        self._generation.advance()
        self._answers = {}
        inspection = self.inspection
        self._show_frozen_state()
        if inspection is None:
            self._show_items()
            return
        self._context.ops.read(lambda s: inspections.list_answers(s, inspection.id)).guarded_by(
            self._generation
        ).on_success(lambda answers: self._show_answers(inspection.id, answers)).run()

    def _show_answers(self, inspection_id: str, answers: list[Answer]) -> None:
        self._answers = {a.item_code: a for a in answers if a.entry == 0}
        self._show_items()
        self.answers_loaded.emit(inspection_id)

    def _asked_items(self) -> list[ChecklistItem]:
        inspection = self.inspection
        if inspection is None:
            return []
        template = self._context.catalog.get(inspection.template_id, inspection.template_version)
        return inspection.items(template)

    def _show_items(self) -> None:
        self.flush_pending()
        for widget in self.items.values():
            widget.deleteLater()
        self.items = {}
        while self.items_layout.count():
            self.items_layout.takeAt(0)
        inspection = self.inspection
        language = self._context.language
        for item in self._asked_items():
            if item.category is not self.category:
                continue
            widget = ChecklistItemWidget(
                item, self._answers.get(item.code), language, inspection.frozen, self.items_host
            )
            widget.answer_edited.connect(lambda _code, w=widget, i=inspection: self._save(i, w))
            self.items[item.code] = widget
            self.items_layout.addWidget(widget)
        self.items_layout.addStretch(1)
        self.scroll.verticalScrollBar().setValue(0)
        self._show_category_counts()
        self._show_placeholder()

    def _save(self, inspection: Inspection, widget: ChecklistItemWidget) -> None:
        """Save ``widget``'s answer into the inspection it was shown for."""
        if inspection.frozen:
            return
        item_code = widget.item.code
        values, note = widget.collect()
        if not widget.differs_from_saved(values, note):
            return
        catalog, compound_id, inspection_id = (
            self._context.catalog,
            inspection.compound_id,
            inspection.id,
        )
        self._context.ops.write(
            lambda s: inspections.save_answer(s, catalog, inspection_id, item_code, values, note)
        ).changes(
            lambda _a: Changes(compound_id=compound_id, answers=True, initiator=self)
        ).on_success(self._answer_saved).on_failure(
            lambda error: self._answer_rejected(inspection_id, item_code, error)
        ).run()

    def _answer_saved(self, answer: Answer) -> None:
        current = self.inspection
        if current is None or current.id != answer.inspection_id:
            return
        self._answers[answer.item_code] = answer
        widget = self.items.get(answer.item_code)
        if widget is not None:
            widget.show_saved(answer)
        self._show_category_counts()
        self.answer_saved.emit(answer.item_code)

    def _answer_rejected(self, inspection_id: str, item_code: str, error: FieldcheckError) -> None:
        current = self.inspection
        widget = self.items.get(item_code)
        if current is not None and current.id == inspection_id and widget is not None:
            widget.show_error(error)
        self.answer_rejected.emit(item_code)

    def _inspection_title(self, inspection: Inspection) -> str:
        title = self.tr("{date} · {kind} · {inspector}").format(
            date=format_date(inspection.started_on),
            kind=inspection.kind.label.get(self._context.language),
            inspector=inspection.inspector,
        )
        return title + self.tr(" (accepted)") if inspection.frozen else title

    def _show_frozen_state(self) -> None:
        inspection = self.inspection
        frozen = inspection is not None and inspection.frozen
        self.frozen_label.setText(self.tr("Accepted: read-only") if frozen else "")

    def _show_category_counts(self) -> None:
        asked = self._asked_items()
        language = self._context.language
        for row, category in enumerate(Category):
            items = [item for item in asked if item.category is category]
            done = sum(
                1
                for item in items
                if item.code in self._answers and is_complete(item, self._answers[item.code].values)
            )
            text = f"{category.value}. {category.label.get(language)}"
            if items:
                text += f"  ({done}/{len(items)})"
            self.category_list.item(row).setText(text)

    def _show_placeholder(self) -> None:
        if not self._inspections:
            message = self.tr("No inspections yet. Start one with “New inspection…”.")
        elif not self.items:
            message = self.tr("This kind of inspection asks no items of this category.")
        else:
            message = ""
        self.placeholder.setText(message)
        self.placeholder.setVisible(bool(message))
        self.scroll.setVisible(not message)
