"""The sign-in dialog: server address, user name and password. OK hands them to the
``SyncController``, which gets a token with the password once (the password is never stored)
and answers by signal; a refusal is shown inline, translated by its error kind and code, and
the entries stay for another try."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldcheck.sync.errors import SyncError
from fieldcheck.ui.form_parts import error_label, ok_cancel_buttons
from fieldcheck.ui.sync_controller import SyncController
from fieldcheck.ui.sync_texts import sync_error_text


class SignInDialog(QDialog):
    """Opened non-blocking; closes itself (accepted) once the sign-in succeeded."""

    def __init__(self, controller: SyncController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self._error: SyncError | None = None
        snapshot = controller.snapshot
        self.server_edit = QLineEdit(snapshot.server_url)
        self.server_edit.setPlaceholderText("https://fieldcheck.example.gov.cn")
        self.user_edit = QLineEdit(snapshot.username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.error = error_label(hidden=True)
        self.busy = QLabel()
        self.busy.setVisible(False)
        self.buttons = ok_cancel_buttons(self)
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.submit)
        form = QFormLayout()
        self.server_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        form.addRow(self.server_label, self.server_edit)
        form.addRow(self.user_label, self.user_edit)
        form.addRow(self.password_label, self.password_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        controller.signed_in.connect(self._signed_in)
        controller.sign_in_failed.connect(self._failed)
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            edit.textChanged.connect(self._enable_ok)
        self._enable_ok()
        self.retranslate_ui()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            # the button box resets its standard texts on its own LanguageChange, maybe later
            QTimer.singleShot(0, lambda: self._ok().setText(self.tr("Sign in")))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Sign in to the sync server"))
        self.server_label.setText(self.tr("Server address"))
        self.user_label.setText(self.tr("User name"))
        self.password_label.setText(self.tr("Password"))
        self.hint.setText(
            self.tr(
                "The password is used once to sign this laptop in and is not stored. "
                "Records stay on the laptop whatever happens here."
            )
        )
        self.busy.setText(self.tr("Signing in…"))
        self._ok().setText(self.tr("Sign in"))
        if self._error is not None:
            self.error.setText(sync_error_text(self._error, self.server_edit.text().strip()))

    def submit(self) -> None:
        self.error.setVisible(False)
        self.busy.setVisible(True)
        self._ok().setEnabled(False)
        self.controller.sign_in(
            self.server_edit.text(), self.user_edit.text(), self.password_edit.text()
        )

    def _signed_in(self) -> None:
        if self.isVisible():
            self.busy.setVisible(False)
            self.password_edit.clear()
            self.accept()

    def _failed(self, error: SyncError) -> None:
        self._error = error
        self.busy.setVisible(False)
        self.error.setText(sync_error_text(error, self.server_edit.text().strip()))
        self.error.setVisible(True)
        self._enable_ok()

    def _ok(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _enable_ok(self) -> None:
        filled = all(e.text().strip() for e in (self.server_edit, self.user_edit))
        self._ok().setEnabled(filled and bool(self.password_edit.text()))
