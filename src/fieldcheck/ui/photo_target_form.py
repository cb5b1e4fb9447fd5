"""Where photos go, as form rows the import dialog and the recovered photos' attach dialog
share: the phase, the category and checklist item they are evidence for, and the inspector;
and the phase, category and item combos the gallery's filters use too."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.ui.photo_texts import phase_label


def phase_combo(*, with_all: bool) -> QComboBox:
    """A combo of the four phases (data: the phase value), after "all" (data "") if asked;
    the texts come with ``retranslate_phases``."""
    combo = QComboBox()
    for value in ([""] if with_all else []) + [phase.value for phase in Phase]:
        combo.addItem("", value)
    return combo


def retranslate_phases(combo: QComboBox) -> None:
    for row in range(combo.count()):
        value = combo.itemData(row)
        if value:
            combo.setItemText(row, phase_label(Phase(value)))


def item_combo(min_characters: int) -> QComboBox:
    """A combo about ``min_characters`` wide whatever its texts; its popup is as wide as the
    longest text (``fit_popup``)."""
    combo = QComboBox()
    combo.setMinimumContentsLength(min_characters)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def fill_category_combo(combo: QComboBox, language: str, none_text: str) -> None:
    """``none_text`` first (data ""), then the five categories (data: their code)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none_text, "")
    for category in Category:
        combo.addItem(f"{category.value}. {category.label.get(language)}", category.value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
    fit_popup(combo)


def fill_item_combo(
    combo: QComboBox, template: ChecklistTemplate, category: str, language: str, none_text: str
) -> None:
    """``none_text`` first (data ""), then the template's items of ``category``."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none_text, "")
    if category:
        for item in template.items_in(Category(category)):
            combo.addItem(f"{item.code} {item.label.get(language)}", item.code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    combo.blockSignals(False)
    fit_popup(combo)


def fit_popup(combo: QComboBox) -> None:
    """Let the popup list grow to the longest text, however narrow the combo is."""
    view = combo.view()
    metrics = view.fontMetrics()
    texts = (combo.itemText(row) for row in range(combo.count()))
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    room = 2 * metrics.averageCharWidth() + view.verticalScrollBar().sizeHint().width()
    view.setMinimumWidth(widest + room)


class PhotoTargetFields(QObject):
    """The phase, category, item and inspector rows, added to ``form``; ``target()`` reads
    them. The item combo lists the chosen category's items of ``template``."""

    def __init__(
        self,
        form: QFormLayout,
        template: ChecklistTemplate,
        language: Callable[[], str],
        inspector: str,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._template = template
        self._language = language  # the UI language now, for the bilingual labels
        self.phase_combo = phase_combo(with_all=False)
        self.category_combo = QComboBox()
        self.item_combo = item_combo(30)
        self.inspector_edit = QLineEdit(inspector)
        self.phase_label, self.category_label = QLabel(), QLabel()
        self.item_label, self.inspector_label = QLabel(), QLabel()
        form.addRow(self.phase_label, self.phase_combo)
        form.addRow(self.category_label, self.category_combo)
        form.addRow(self.item_label, self.item_combo)
        form.addRow(self.inspector_label, self.inspector_edit)
        self.category_combo.currentIndexChanged.connect(lambda _i: self._fill_items())

    def set_target(self, phase: Phase | None, category: str = "", item_code: str = "") -> None:
        if phase is not None:
            self.phase_combo.setCurrentIndex(self.phase_combo.findData(phase.value))
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(category)))
        self._fill_items()
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(item_code)))

    def target(self, compound_id: str) -> PhotoTarget:
        return PhotoTarget(
            compound_id=compound_id,
            phase=Phase(self.phase_combo.currentData()),
            category=self.category_combo.currentData() or "",
            item_code=self.item_combo.currentData() or "",
            inspector=self.inspector_edit.text().strip(),
        )

    def retranslate(self) -> None:
        self.phase_label.setText(self.tr("Phase:"))
        self.category_label.setText(self.tr("Category:"))
        self.item_label.setText(self.tr("Checklist item:"))
        self.inspector_label.setText(self.tr("Inspector:"))
        retranslate_phases(self.phase_combo)
        fill_category_combo(self.category_combo, self._language(), self.tr("(none)"))
        self._fill_items()

    def _fill_items(self) -> None:
        category = self.category_combo.currentData() or ""
        none = self.tr("(none)")
        fill_item_combo(self.item_combo, self._template, category, self._language(), none)
        self.item_combo.setEnabled(bool(category))
