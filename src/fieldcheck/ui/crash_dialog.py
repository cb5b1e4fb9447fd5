"""Unexpected errors: one dialog with the details to copy (the idea of Anki's aqt/errors.py)
and the log file to send with them, and the global exception hook that logs every uncaught
exception with its traceback and opens the dialog instead of letting the app die."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import ClassVar

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck import __version__ as fieldcheck_version
from fieldcheck import logs

log = logging.getLogger(__name__)


def describe_error(
    exc_type: type[BaseException], error: BaseException, tb: TracebackType | None
) -> str:
    """The traceback with the versions that matter, as text to paste into a report."""
    lines = traceback.format_exception(exc_type, error, tb)
    versions = (
        f"fieldcheck {fieldcheck_version}, Python {platform.python_version()}, "
        f"PySide6 {pyside_version}, {platform.platform()}"
    )
    return versions + "\n\n" + "".join(lines)


class CrashDialog(QDialog):
    """Shows unexpected errors; errors that follow while it is open are appended to it."""

    current: ClassVar[CrashDialog | None] = None

    def __init__(self, parent: QWidget | None = None, log_file: Path | None = None):
        super().__init__(parent)
        self.log_file = log_file
        self.setWindowTitle(self.tr("Unexpected error"))
        intro = QLabel(
            self.tr(
                "Something unexpected went wrong. Answers already saved are kept. "
                "Please copy the details below into your report."
            )
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(self.tr("Copy details"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        self.log_label: QLabel | None = None
        self.open_log_button: QPushButton | None = None
        if log_file is not None:
            self.log_label = QLabel(
                self.tr("The log file, to send with your report: {path}").format(path=log_file)
            )
            self.log_label.setWordWrap(True)
            self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.log_label)
            self.open_log_button = QPushButton(self.tr("Open the log folder"))
            buttons.addButton(self.open_log_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.open_log_button.clicked.connect(self.open_log_folder)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def add_details(self, text: str) -> None:
        if self.details.toPlainText():
            self.details.appendPlainText("\n" + "-" * 60 + "\n")
        self.details.appendPlainText(text)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    def open_log_folder(self) -> bool:
        """Show the folder of the log file in the system's file manager."""
        if self.log_file is None:
            return False
        return self.open_folder(self.log_file.parent)

    @classmethod
    def open_folder(cls, folder: Path) -> bool:
        """Open ``folder`` with the desktop's file manager; tests patch this."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    @classmethod
    def show_error(cls, text: str) -> None:
        """Open the dialog (or reuse the open one) with ``text`` added; tests patch this."""
        if cls.current is None or not cls.current.isVisible():
            cls.current = CrashDialog(QApplication.activeWindow(), logs.current_file())
        cls.current.add_details(text)
        cls.current.show()
        cls.current.raise_()


def install_excepthook() -> None:
    """Log every uncaught exception with its traceback, show it in the crash dialog, and
    still print it to stderr."""

    def hook(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(exc_type, error, tb))
        text = describe_error(exc_type, error, tb)
        print(text, file=sys.stderr)
        if QApplication.instance() is not None and not issubclass(exc_type, KeyboardInterrupt):
            CrashDialog.show_error(text)

    sys.excepthook = hook
