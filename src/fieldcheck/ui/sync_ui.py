"""Sync in the main window: the "Sync" menu (Sign in…, Sync now, Needs attention, Sign out),
the sync part of the status bar, and the dialogs, all around one ``SyncController``.

The main window makes one ``SyncUi`` and calls ``retranslate_ui`` and ``shutdown``; the rest
is wired here so the window itself stays small."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from fieldcheck.core.changes import Changes
from fieldcheck.sync.http import HttpConfig
from fieldcheck.ui.attention_panel import AttentionDialog
from fieldcheck.ui.checklist_view import ChecklistView
from fieldcheck.ui.compound_list import CompoundListPanel
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.item_sync_marks import ItemSyncMarks
from fieldcheck.ui.sign_in_dialog import SignInDialog
from fieldcheck.ui.sync_controller import SyncController
from fieldcheck.ui.sync_status import SyncStatusBar


class SyncUi(QObject):
    """Owns the controller, the menu, the status widget and the dialogs of one window."""

    #: Tests may set this before the window is built (shorter timeouts and retries).
    http_config: HttpConfig | None = None

    def __init__(
        self,
        window: QMainWindow,
        context: AppContext,
        network_label: QLabel,
        before: QAction,
        compound_list: CompoundListPanel,
        checklist: ChecklistView,
    ):
        super().__init__(window)
        self.window = window
        self.context = context
        self.network_label = network_label
        self.compound_list = compound_list
        self.controller = SyncController(context, self, http_config=self.http_config)
        self.status = SyncStatusBar(self.controller)
        window.statusBar().addPermanentWidget(self.status)
        self.sign_in_dialog: SignInDialog | None = None
        self.attention_dialog: AttentionDialog | None = None

        self.menu = QMenu(window)
        window.menuBar().insertMenu(before, self.menu)
        self.sign_in_action = QAction(self)
        self.sync_action = QAction(self)
        self.attention_action = QAction(self)
        self.sign_out_action = QAction(self)
        for action in (self.sign_in_action, self.sync_action, self.attention_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.sign_out_action)
        self.sign_in_action.triggered.connect(self.open_sign_in)
        self.sync_action.triggered.connect(self.controller.sync_now)
        self.attention_action.triggered.connect(self.open_attention)
        self.sign_out_action.triggered.connect(self.controller.sign_out)
        self.status.sign_in_requested.connect(self.open_sign_in)
        self.status.attention_requested.connect(self.open_attention)

        for signal in (
            self.controller.snapshot_loaded,
            self.controller.online_changed,
            self.controller.sync_started,
        ):
            signal.connect(self._show_state)
        self.item_marks = ItemSyncMarks(checklist, context.ops, self.controller)
        context.ops.changes_made.connect(self._changed)
        self.controller.refresh()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("&Sync"))
        self.sign_in_action.setText(self.tr("Sign in…"))
        self.sync_action.setText(self.tr("Sync now"))
        self.attention_action.setText(self.tr("Needs attention…"))
        self.sign_out_action.setText(self.tr("Sign out"))
        self._show_state()

    def open_sign_in(self) -> None:
        if self.sign_in_dialog is None:
            self.sign_in_dialog = SignInDialog(self.controller, self.window)
        self.sign_in_dialog.show()
        self.sign_in_dialog.raise_()

    def open_attention(self) -> None:
        if self.attention_dialog is None:
            self.attention_dialog = AttentionDialog(self.context, self.controller, self.window)
        self.attention_dialog.load()
        self.attention_dialog.show()
        self.attention_dialog.raise_()

    def shutdown(self) -> None:
        self.controller.shutdown()

    def _show_state(self, *_args: object) -> None:
        snapshot = self.controller.snapshot
        self.network_label.setText(self.status.network_text())
        self.sync_action.setEnabled(snapshot.signed_in and not self.controller.running)
        self.sign_out_action.setEnabled(snapshot.signed_in)
        self.status.refresh()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """Recount what waits; a change under a compound changes its sync mark in the list.
        (A sync's changes were counted by the controller and mark every compound.)"""
        if changes.pulled:
            return
        self.controller.refresh()
        if changes.records and not changes.compounds:
            self.compound_list.load()
