"""The "Import photos" dialog: the files and folders to import (picked, or dropped), the phase,
the category and checklist item they belong to, and the inspector. The file pickers are
classmethods so that tests can patch them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.domain.checklist import ChecklistTemplate
from fieldcheck.domain.photo import Phase, PhotoTarget
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.photo_target_form import PhotoTargetFields

IMAGE_FILTER = "*.jpg *.jpeg *.png *.heic *.heif *.tif *.tiff"


@dataclass(frozen=True)
class ImportRequest:
    paths: tuple[Path, ...]
    target: PhotoTarget


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
        self.paths: list[Path] = []

        self.path_list = QListWidget()
        self.files_button = QPushButton()
        self.folder_button = QPushButton()
        self.files_button.clicked.connect(self.add_files)
        self.folder_button.clicked.connect(self.add_folder)
        self.error_label = error_label()

        pick = QHBoxLayout()
        pick.addWidget(self.files_button)
        pick.addWidget(self.folder_button)
        pick.addStretch(1)
        self.form = QFormLayout()
        self.files_label = QLabel()
        self.fields = PhotoTargetFields(self.form, template, language, inspector, self)
        self.phase_combo, self.category_combo = self.fields.phase_combo, self.fields.category_combo
        self.item_combo, self.inspector_edit = self.fields.item_combo, self.fields.inspector_edit
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
        self.fields.set_target(phase, category, item_code)

    def request(self) -> ImportRequest:
        return ImportRequest(tuple(self.paths), self.fields.target(self._compound_id))

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
        self.fields.retranslate()
