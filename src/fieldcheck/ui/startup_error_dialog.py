"""The message shown when the app cannot start on a data folder (damaged or newer database,
broken templates): it names the problem and offers another folder or quitting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from fieldcheck.domain.errors import FieldcheckError, TemplateError
from fieldcheck.ui.messages import error_text


class StartupErrorDialog(QMessageBox):
    """Use ``ask``; tests patch it (and ``choose_folder``) so nothing blocks."""

    def __init__(self, error: FieldcheckError, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("fieldcheck cannot start"))
        if isinstance(error, TemplateError):
            self.setText(self.tr("The checklist templates of this installation are damaged."))
        else:
            self.setText(self.tr("The data folder cannot be opened."))
        self.setInformativeText(
            error_text(error, language)
            + "\n\n"
            + self.tr("Nothing in the folder has been changed.")
        )
        self.setDetailedText(error.message)
        self.choose_button = None
        if not isinstance(error, TemplateError):
            self.choose_button = self.addButton(
                self.tr("Choose another data folder…"), QMessageBox.ButtonRole.AcceptRole
            )
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)

    @classmethod
    def ask(cls, error: FieldcheckError, data_dir: Path, language: str) -> Path | None:
        """Show the problem; return another data folder to try, or None to quit."""
        dialog = cls(error, language)
        dialog.exec()
        if dialog.choose_button is None or dialog.clickedButton() is not dialog.choose_button:
            return None
        return cls.choose_folder(data_dir)

    @classmethod
    def choose_folder(cls, start: Path) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            None,
            QCoreApplication.translate("StartupErrorDialog", "Choose a data folder"),
            str(start.parent),
        )
        return Path(folder) if folder else None
