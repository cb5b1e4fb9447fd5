"""The "Import photos" dialog: the files and folders to import (picked, or dropped), the phase,
the category and checklist item they belong to, and the inspector. The file pickers are
classmethods so that tests can patch them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.categories import Category
from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.photo_texts import phase_label

IMAGE_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.tif *.tiff"


@dataclass(frozen=True)
class ImportRequest:
    paths: tuple[Path, ...]
    target: PhotoTarget


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


class ImportPhotosDialog(RetranslateOnLanguageChange, QDialog):
    def __init__(
        self,
        compound_id: str,
        template: ChecklistTemplate,
        language: Callable[[], str],
        inspector: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._compound_id = compound_id
        self._template = template
        self._language = language  # the UI language now, for the bilingual labels
        self.paths: list[Path] = []

        self.path_list = QListWidget()
        self.files_button = QPushButton()
        self.folder_button = QPushButton()
        self.files_button.clicked.connect(self.add_files)
        self.folder_button.clicked.connect(self.add_folder)
        self.phase_combo = phase_combo(with_all=False)
        self.category_combo = QComboBox()
        self.item_combo = item_combo(30)
        self.inspector_edit = QLineEdit(inspector)
        self.error_label = error_label()
        self.category_combo.currentIndexChanged.connect(lambda _i: self._fill_items())

        pick = QHBoxLayout()
        pick.addWidget(self.files_button)
        pick.addWidget(self.folder_button)
        pick.addStretch(1)
        self.form = QFormLayout()
        self.files_label = QLabel()
        self.phase_label = QLabel()
        self.category_label = QLabel()
        self.item_label = QLabel()
        self.inspector_label = QLabel()
        self.form.addRow(self.phase_label, self.phase_combo)
        self.form.addRow(self.category_label, self.category_combo)
        self.form.addRow(self.item_label, self.item_combo)
        self.form.addRow(self.inspector_label, self.inspector_edit)
        self.buttons = ok_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files_label)
        layout.addWidget(self.path_list, 1)
        layout.addLayout(pick)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate_ui()
        self.resize(560, 460)

    @classmethod
    def pick_files(cls, parent: QWidget | None, title: str, filter_text: str) -> list[Path]:
        names, _chosen = QFileDialog.getOpenFileNames(parent, title, "", filter_text)
        return [Path(name) for name in names]

    @classmethod
    def pick_folder(cls, parent: QWidget | None, title: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title)
        return Path(name) if name else None

    def add_files(self) -> None:
        filter_text = self.tr("Photos ({patterns});;All files (*)").format(patterns=IMAGE_FILTER)
        self.add_paths(self.pick_files(self, self.tr("Choose photos"), filter_text))

    def add_folder(self) -> None:
        folder = self.pick_folder(self, self.tr("Choose a folder of photos"))
        if folder is not None:
            self.add_paths([folder])

    def add_paths(self, paths: list[Path]) -> None:
        for path in paths:
            if path not in self.paths:
                self.paths.append(path)
                self.path_list.addItem(str(path))
        self.error_label.clear()

    def set_target(self, phase: Phase | None, category: str = "", item_code: str = "") -> None:
        if phase is not None:
            self.phase_combo.setCurrentIndex(self.phase_combo.findData(phase.value))
        self.category_combo.setCurrentIndex(max(0, self.category_combo.findData(category)))
        self._fill_items()
        self.item_combo.setCurrentIndex(max(0, self.item_combo.findData(item_code)))

    def request(self) -> ImportRequest:
        target = PhotoTarget(
            compound_id=self._compound_id,
            phase=Phase(self.phase_combo.currentData()),
            category=self.category_combo.currentData() or "",
            item_code=self.item_combo.currentData() or "",
            inspector=self.inspector_edit.text().strip(),
        )
        return ImportRequest(tuple(self.paths), target)

    def accept(self) -> None:
        if not self.paths:
            self.error_label.setText(self.tr("Choose the photos or a folder to import."))
            return
        super().accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Import photos"))
        self.files_label.setText(self.tr("Files and folders (folders are read with subfolders):"))
        self.files_button.setText(self.tr("Add files…"))
        self.folder_button.setText(self.tr("Add folder…"))
        self.phase_label.setText(self.tr("Phase:"))
        self.category_label.setText(self.tr("Category:"))
        self.item_label.setText(self.tr("Checklist item:"))
        self.inspector_label.setText(self.tr("Inspector:"))
        self.buttons.button(self.buttons.StandardButton.Ok).setText(self.tr("Import"))
        retranslate_phases(self.phase_combo)
        fill_category_combo(self.category_combo, self._language(), self.tr("(none)"))
        self._fill_items()

    def _fill_items(self) -> None:
        category = self.category_combo.currentData() or ""
        none = self.tr("(none)")
        fill_item_combo(self.item_combo, self._template, category, self._language(), none)
        self.item_combo.setEnabled(bool(category))
