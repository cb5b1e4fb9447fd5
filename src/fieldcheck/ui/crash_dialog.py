"""Unexpected errors: one dialog with the details to copy (the idea of Anki's aqt/errors.py),
and the global exception hook that opens it instead of letting the app die."""

from __future__ import annotations

import platform
import sys
import traceback
from types import TracebackType
from typing import ClassVar

from PySide6 import __version__ as pyside_version
from PySide6.QtGui import QGuiApplication
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

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
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
        layout.addWidget(buttons)
        self.resize(720, 420)

    def add_details(self, text: str) -> None:
        if self.details.toPlainText():
            self.details.appendPlainText("\n" + "-" * 60 + "\n")
        self.details.appendPlainText(text)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())

    @classmethod
    def show_error(cls, text: str) -> None:
        """Open the dialog (or reuse the open one) with ``text`` added; tests patch this."""
        if cls.current is None or not cls.current.isVisible():
            cls.current = CrashDialog(QApplication.activeWindow())
        cls.current.add_details(text)
        cls.current.show()
        cls.current.raise_()


def install_excepthook() -> None:
    """Show every uncaught exception in the crash dialog (and still print it to stderr)."""

    def hook(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = describe_error(exc_type, error, tb)
        print(text, file=sys.stderr)
        if QApplication.instance() is not None and not issubclass(exc_type, KeyboardInterrupt):
            CrashDialog.show_error(text)

    sys.excepthook = hook
