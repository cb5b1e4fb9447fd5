"""The compound page's Checklist tab: the compound's inspections, a category selector and the
items of the chosen inspection in that category, saved as the user edits them.

A repeating item shows each live entry; removing one retracts it with a reason. The register
item is kept in the Illegal structures tab and only summed up here."""

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

from fieldcheck.core.changes import Changes
from fieldcheck.core.checklist import (
    InspectionAnswers,
    RetractedAnswer,
    answer_item,
    list_inspections,
    load_answers,
    retract_entry,
    start_inspection,
)
from fieldcheck.core.register import list_structures
from fieldcheck.domain.answers import is_answered
from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import ChecklistItem
from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.domain.inspection import Answer, Inspection, InspectionKind
from fieldcheck.domain.register import REGISTER_ITEM_CODE, IllegalStructure
from fieldcheck.ui.app_view import AppView
from fieldcheck.ui.checklist_item import ChecklistItemWidget, RegisterItemWidget
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.form_parts import error_label
from fieldcheck.ui.formatting import format_date
from fieldcheck.ui.inspection_dialog import NewInspectionDialog
from fieldcheck.ui.ops import Generation
from fieldcheck.ui.photo_drop import PhotoDropFilter, checklist_item_at
from fieldcheck.ui.retract_dialog import RetractEntryDialog

CATEGORY_LIST_WIDTH = 170


class ChecklistView(AppView):
    """Signals carry ids: ``inspections_loaded`` and ``register_loaded`` (compound),
    ``answers_loaded`` (inspection), ``answer_saved`` / ``answer_rejected`` /
    ``entry_retracted`` (item code), ``inspection_started`` (inspection).
    ``register_requested`` asks the page to show the Illegal structures tab."""

    inspections_loaded = Signal(str)
    answers_loaded = Signal(str)
    answer_saved = Signal(str)
    answer_rejected = Signal(str)
    entry_retracted = Signal(str)
    inspection_started = Signal(str)
    register_loaded = Signal(str)
    register_requested = Signal()
    photos_dropped = Signal(list, str, str)  # paths, category, item code

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, parent)
        self._compound_id = ""
        self._inspections: list[Inspection] = []
        self._answers: dict[str, list[Answer]] = {}
        self._retracted: dict[str, list[RetractedAnswer]] = {}
        self._structures: list[IllegalStructure] | None = None  # None until read
        self.items: dict[str, ChecklistItemWidget] = {}
        self.register_item: RegisterItemWidget | None = None
        self.inspection_dialog: NewInspectionDialog | None = None
        self.retract_dialog: RetractEntryDialog | None = None
        self._register_generation = Generation()

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
        self.item_scroll = QScrollArea()
        self.item_scroll.setWidgetResizable(True)
        self.item_scroll.setWidget(self.items_host)
        self.photo_drop = PhotoDropFilter(
            self.items_host,
            lambda paths, at: self.photos_dropped.emit(
                paths, *checklist_item_at(self.items_host, at, self.category.value)
            ),
        )
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.category_list)
        body.addWidget(self.item_scroll, 1)
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
        self._structures = None
        self._context.ops.read(lambda s: list_inspections(s, compound_id)).guarded_by(
            self._generation
        ).on_success(lambda found: self._show_inspections(found, select_inspection)).run()
        self._load_register()

    def on_changes(self, changes: Changes, initiator: object = None) -> None:
        if not changes.touches(self._compound_id):
            return
        if changes.structures:
            self._load_register()
        if initiator is self:
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
        for widget in self._item_widgets():
            widget.retranslate(language)
        self._show_frozen_state()
        self._show_category_counts()
        self._show_placeholder()

    def _start_inspection(self, kind: InspectionKind, inspector: str) -> None:
        compound_id, template = self._compound_id, self._context.catalog.latest()
        today = self._context.today()
        self._context.remember_inspector(inspector)
        self._context.ops.write(
            lambda s: start_inspection(s, compound_id, kind, inspector, template, today)
        ).initiated_by(self).guarded_by(self._generation).on_success(
            self._inspection_started
        ).on_failure(lambda error: self.error_label.setText(self.message(error))).run()

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
        self._answers, self._retracted = {}, {}
        inspection = self.inspection
        self._show_frozen_state()
        if inspection is None:
            self._show_items()
            return
        self._context.ops.read(lambda s: load_answers(s, inspection.id)).guarded_by(
            self._generation
        ).on_success(lambda found: self._show_answers(inspection.id, found)).run()

    def _show_answers(self, inspection_id: str, found: InspectionAnswers) -> None:
        for answer in found.answers:
            self._answers.setdefault(answer.item_code, []).append(answer)
        for withdrawn in found.retracted:
            self._retracted.setdefault(withdrawn.answer.item_code, []).append(withdrawn)
        self._show_items()
        self.answers_loaded.emit(inspection_id)

    def _load_register(self) -> None:
        """Read the register of the compound for the register item's line and its count."""
        compound_id = self._compound_id
        self._register_generation.advance()
        self._context.ops.read(lambda s: list_structures(s, compound_id)).guarded_by(
            self._register_generation
        ).on_success(self._show_register).run()

    def _show_register(self, structures: list[IllegalStructure]) -> None:
        self._structures = structures
        self._show_register_line()
        self._show_category_counts()
        self.register_loaded.emit(self._compound_id)

    def _show_register_line(self) -> None:
        structures = self._structures
        if self.register_item is not None and structures is not None:
            self.register_item.show_register(len(structures), sum(s.area_m2 for s in structures))

    def _asked_items(self) -> list[ChecklistItem]:
        inspection = self.inspection
        if inspection is None:
            return []
        template = self._context.catalog.get(inspection.template_id, inspection.template_version)
        return inspection.items(template)

    def _item_widgets(self) -> list[ChecklistItemWidget | RegisterItemWidget]:
        return [*self.items.values(), *([self.register_item] if self.register_item else [])]

    def _show_items(self) -> None:
        self.flush_pending()
        for shown in self._item_widgets():
            shown.hide()  # at once: the deferred deletion may come after the next paint
            shown.deleteLater()
        self.items, self.register_item = {}, None
        while self.items_layout.count():
            self.items_layout.takeAt(0)
        inspection = self.inspection
        language = self._context.language
        for item in self._asked_items():
            if inspection is None or item.category is not self.category:
                continue
            if item.code == REGISTER_ITEM_CODE:
                self.register_item = RegisterItemWidget(item, language, self.items_host)
                self.register_item.register_requested.connect(self.register_requested)
                self.items_layout.addWidget(self.register_item)
                self._show_register_line()
                continue
            widget = ChecklistItemWidget(
                item,
                self._answers.get(item.code, []),
                self._retracted.get(item.code, []),
                language,
                inspection.locked,
                self.items_host,
            )
            widget.answer_edited.connect(
                lambda _code, entry, w=widget, i=inspection: self._save(i, w, entry)
            )
            widget.removal_requested.connect(
                lambda _code, entry, w=widget, i=inspection: self._ask_removal(i, w, entry)
            )
            self.items[item.code] = widget
            self.items_layout.addWidget(widget)
        self.items_layout.addStretch(1)
        self.item_scroll.verticalScrollBar().setValue(0)
        self._show_category_counts()
        self._show_placeholder()

    def _save(self, inspection: Inspection, widget: ChecklistItemWidget, entry: int) -> None:
        """Save one entry of ``widget``'s item into the inspection it was shown for."""
        form = widget.form(entry)
        if inspection.locked or form is None:
            return
        item_code = widget.item.code
        values, note = form.collect()
        if not form.differs_from_saved(values, note):
            return
        catalog, inspection_id = self._context.catalog, inspection.id
        self._context.ops.write(
            lambda s: answer_item(s, catalog, inspection_id, item_code, values, note, entry)
        ).initiated_by(self).on_success(self._answer_saved).on_failure(
            lambda error: self._answer_rejected(inspection_id, item_code, entry, error)
        ).run()

    def _answer_saved(self, answer: Answer) -> None:
        code = answer.item_code
        if self._entry_changed(answer.inspection_id, code, answer.entry, answer):
            if code in self.items:
                self.items[code].show_saved(answer)
            self.answer_saved.emit(code)

    def _entry_changed(
        self, inspection_id: str, item_code: str, entry: int, answer: Answer | None
    ) -> bool:
        """Put ``answer`` in place of the live ``entry`` of ``item_code`` (None: take it out)
        when the view still shows that inspection; say whether it does."""
        if not self._shows_inspection(inspection_id):
            return False
        kept = [a for a in self._answers.get(item_code, []) if a.entry != entry]
        kept += [answer] if answer is not None else []
        self._answers[item_code] = sorted(kept, key=lambda a: a.entry)
        self._show_category_counts()
        return True

    def _answer_rejected(
        self, inspection_id: str, item_code: str, entry: int, error: FieldcheckError
    ) -> None:
        widget = self._shown_item(inspection_id, item_code)
        if widget is not None:
            widget.show_error(entry, error)
        self.answer_rejected.emit(item_code)

    def _shows_inspection(self, inspection_id: str) -> bool:
        current = self.inspection
        return current is not None and current.id == inspection_id

    def _shown_item(self, inspection_id: str, item_code: str) -> ChecklistItemWidget | None:
        """The widget of ``item_code`` when the view still shows that inspection."""
        return self.items.get(item_code) if self._shows_inspection(inspection_id) else None

    def _ask_removal(self, inspection: Inspection, widget: ChecklistItemWidget, entry: int) -> None:
        """Remove an entry: one never saved simply goes; a saved one is retracted with the
        reason the dialog asks for."""
        form = widget.form(entry)
        if inspection.locked or form is None:
            return
        form.flush()
        if form.is_blank():
            widget.drop_entry(entry)
            return
        dialog = RetractEntryDialog(widget.item.code, entry, self._context.language, self)
        dialog.accepted.connect(lambda: self._retract(inspection, widget, entry, dialog.reason()))
        self.retract_dialog = dialog
        dialog.open()

    def _retract(
        self, inspection: Inspection, widget: ChecklistItemWidget, entry: int, reason: str
    ) -> None:
        inspection_id, item_code = inspection.id, widget.item.code
        by = self._context.settings.inspector or inspection.inspector
        self._context.ops.write(
            lambda s: retract_entry(s, inspection_id, item_code, entry, reason, by)
        ).initiated_by(self).on_success(self._entry_retracted).on_failure(
            lambda error: self._retraction_refused(inspection_id, item_code, entry, error)
        ).run()

    def _entry_retracted(self, retracted: RetractedAnswer) -> None:
        answer, code = retracted.answer, retracted.answer.item_code
        if self._entry_changed(answer.inspection_id, code, answer.entry, None):
            self._retracted.setdefault(code, []).append(retracted)
            if code in self.items:
                self.items[code].show_retracted(retracted)
            self.entry_retracted.emit(code)

    def _retraction_refused(
        self, inspection_id: str, item_code: str, entry: int, error: FieldcheckError
    ) -> None:
        widget = self._shown_item(inspection_id, item_code)
        if widget is not None and error.code == "retraction_target_missing":
            widget.drop_entry(entry)  # its edits were never saved: nothing to withdraw
        elif widget is not None:
            widget.show_error(entry, error)

    def _inspection_title(self, inspection: Inspection) -> str:
        title = self.tr("{date} · {kind} · {inspector}").format(
            date=format_date(inspection.started_on),
            kind=inspection.kind.label.get(self._context.language),
            inspector=inspection.inspector,
        )
        if inspection.frozen:
            return title + self.tr(" (accepted)")
        return title + self.tr(" (submitted)") if inspection.locked else title

    def _show_frozen_state(self) -> None:
        inspection = self.inspection
        if inspection is not None and inspection.frozen:
            self.frozen_label.setText(self.tr("Accepted: read-only"))
        elif inspection is not None and inspection.locked:
            self.frozen_label.setText(self.tr("Submitted: read-only"))
        else:
            self.frozen_label.setText("")

    def _show_category_counts(self) -> None:
        asked = self._asked_items()
        language = self._context.language
        for row, category in enumerate(Category):
            items = [item for item in asked if item.category is category]
            done = sum(1 for item in items if self._is_answered(item))
            text = f"{category.value}. {category.label.get(language)}"
            if items:
                text += f"  ({done}/{len(items)})"
            self.category_list.item(row).setText(text)

    def _is_answered(self, item: ChecklistItem) -> bool:
        if item.code == REGISTER_ITEM_CODE and self._structures:
            return True
        return is_answered(item, [a.values for a in self._answers.get(item.code, [])])

    def _show_placeholder(self) -> None:
        if not self._inspections:
            message = self.tr("No inspections yet. Start one with “New inspection…”.")
        elif not self._item_widgets():
            message = self.tr("This kind of inspection asks no items of this category.")
        else:
            message = ""
        self.placeholder.setText(message)
        self.placeholder.setVisible(bool(message))
        self.item_scroll.setVisible(not message)
