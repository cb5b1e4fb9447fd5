"""Fixtures of the UI tests: the real app (real widgets, real store) on a fresh data folder
per test, a real sync server on loopback per test module that asks for one, and helpers that
drive the app the way a user does."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from fieldcheck.app import launch
from fieldcheck.domain.categories import Category
from fieldcheck.domain.ids import fixed_id
from fieldcheck.domain.inspection import InspectionKind
from fieldcheck.ui.checklist_item import ChecklistItemWidget
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.main_window import MainWindow
from fieldcheck.ui.sync_ui import SyncUi
from tests.sync.conftest import FAST, Server, make_laptop, serving

#: ``make_laptop(user)``: a second inspector's laptop (its own data folder with the demo
#: district) syncing with the module's ``server``, closed after the test.
__all__ = ["make_laptop"]

DEMO_COMPOUNDS = 27
WAIT_MS = 5000


def compound_id(code: str) -> str:
    return fixed_id("compound", code)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` the way an input method commits it (QTest's key clicks
    only know ASCII, and Chinese comes from an IME anyway)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def press_ok(dialog: QDialog) -> None:
    """Click the dialog's OK button as a user would."""
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@dataclass
class RunningApp:
    """The main window and its context, with helpers for the steps tests repeat."""

    window: MainWindow
    context: AppContext
    qtbot: QtBot

    @property
    def page(self):
        return self.window.compound_page

    def settle(self) -> None:
        """Wait until every queued op has been delivered."""
        self.qtbot.waitUntil(self.context.ops.is_idle, timeout=WAIT_MS)

    def open_compound(self, code: str) -> None:
        with self.qtbot.waitSignal(self.page.overview.loaded, timeout=WAIT_MS):
            self.window.compound_list.select_compound(compound_id(code))
        self.settle()

    def start_inspection(self, kind: InspectionKind, inspector: str = "张三") -> str:
        checklist = self.page.checklist
        self.page.tabs.setCurrentWidget(checklist)
        self.qtbot.mouseClick(checklist.new_button, Qt.MouseButton.LeftButton)
        dialog = checklist.inspection_dialog
        assert dialog is not None
        assert dialog.isVisible()
        dialog.set_kind(kind)
        dialog.inspector_edit.clear()
        type_text(dialog.inspector_edit, inspector)
        with self.qtbot.waitSignal(checklist.answers_loaded, timeout=WAIT_MS):
            press_ok(dialog)
        self.settle()
        assert checklist.inspection is not None
        return checklist.inspection.id

    def item(self, category: Category, code: str) -> ChecklistItemWidget:
        checklist = self.page.checklist
        if checklist.category is not category:
            checklist.select_category(category)
        return checklist.items[code]

    def save_all(self) -> None:
        """Save debounced edits now instead of waiting for the delay, then wait."""
        self.page.checklist.flush_pending()
        self.settle()

    def close(self) -> None:
        self.window.close()
        self.context.close()


@pytest.fixture
def start_app(qtbot: QtBot, data_paths) -> Iterator[Callable[..., RunningApp]]:
    """Start the app on the test's data folder (again, to test reopening)."""
    started: list[RunningApp] = []

    def start(language: str | None = "en", data_dir: Path | None = None) -> RunningApp:
        launched = launch(data_dir or data_paths.root, language)
        assert launched is not None
        window, context = launched
        qtbot.addWidget(window)
        window.show()
        app = RunningApp(window, context, qtbot)
        qtbot.waitUntil(
            lambda: window.compound_list.model.rowCount() == DEMO_COMPOUNDS, timeout=WAIT_MS
        )
        app.settle()
        started.append(app)
        return app

    yield start
    for app in started:
        app.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """A real ``fieldcheck-server`` on loopback, seeded like ``tests/sync``, for one module
    (modules pick different compounds, so their tests do not see each other's records)."""
    yield from serving(tmp_path_factory.mktemp("server"))


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's sync retries quickly (its real back-off waits up to minutes)."""
    monkeypatch.setattr(SyncUi, "http_config", FAST)
