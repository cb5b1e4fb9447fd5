"""Help → About: the version, the data folder, the log file to send with a problem report, and
the server of the last sign-in with the last sync; the details can be copied, the data and
log folders opened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck import __version__
from fieldcheck.core.sync_status import SyncSnapshot
from fieldcheck.ui.crash_dialog import CrashDialog
from fieldcheck.ui.i18n import RetranslateOnLanguageChange


class AboutDialog(RetranslateOnLanguageChange, QDialog):
    """Shows one moment's facts: the sync snapshot is the one the window had when opened."""

    def __init__(
        self,
        data_folder: Path,
        log_file: Path,
        snapshot: SyncSnapshot,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.data_folder = data_folder
        self.log_file = log_file
        self.snapshot = snapshot
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for key in ("version", "data", "log", "server", "sync"):
            name, value = QLabel(), QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(name, value)
            self.names[key], self.values[key] = name, value
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton()
        self.open_data_button = QPushButton()
        self.open_log_button = QPushButton()
        for button in (self.copy_button, self.open_data_button, self.open_log_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.open_data_button.clicked.connect(lambda: CrashDialog.open_folder(self.data_folder))
        self.open_log_button.clicked.connect(lambda: CrashDialog.open_folder(self.log_file.parent))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.retranslate_ui()
        self.resize(640, 0)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("About fieldcheck"))
        self.heading.setText(f"fieldcheck {__version__}")
        self.summary.setText(
            self.tr(
                "Field inspections and before/after evidence for the renovation of old "
                "residential compounds."
            )
        )
        names = {
            "version": self.tr("Version:"),
            "data": self.tr("Data folder:"),
            "log": self.tr("Log file:"),
            "server": self.tr("Server:"),
            "sync": self.tr("Last sync:"),
        }
        for key, text in names.items():
            self.names[key].setText(text)
        values = {
            "version": __version__,
            "data": str(self.data_folder),
            "log": self.tr("{path} (send it with a problem report)").format(path=self.log_file),
            "server": self.server_text(),
            "sync": self.sync_text(),
        }
        for key, text in values.items():
            self.values[key].setText(text)
        self.copy_button.setText(self.tr("Copy"))
        self.open_data_button.setText(self.tr("Open the data folder"))
        self.open_log_button.setText(self.tr("Open the log folder"))

    def server_text(self) -> str:
        snapshot = self.snapshot
        if not snapshot.server_url:
            return self.tr("none yet (Sync → Sign in…)")
        if snapshot.signed_in:
            text = self.tr("{server}, last signed in as {user}")
        else:
            text = self.tr("{server}, last signed in as {user} (signed out)")
        return text.format(server=snapshot.server_url, user=snapshot.username)

    def sync_text(self) -> str:
        if self.snapshot.last_sync_at is None:
            return self.tr("never")
        return self.snapshot.last_sync_at.astimezone().strftime("%Y-%m-%d %H:%M")

    def details(self) -> str:
        """Everything shown, as plain lines for a problem report."""
        lines = [self.heading.text()]
        for key, name in self.names.items():
            lines.append(f"{name.text()} {self.values[key].text()}")
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
