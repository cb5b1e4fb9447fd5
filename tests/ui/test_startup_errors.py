"""(g) A data folder the app cannot use gives a clear dialog instead of a crash, and the bad
file stays byte for byte as it was; unexpected errors go to one crash dialog."""

from __future__ import annotations

import sys

import pytest

from fieldcheck.app import launch
from fieldcheck.domain.errors import TemplateError
from fieldcheck.store.errors import StoreError
from fieldcheck.ui.crash_dialog import CrashDialog, describe_error, install_excepthook
from fieldcheck.ui.startup_error_dialog import StartupErrorDialog

GARBAGE = b"this is not a database\x00\xff" * 200


@pytest.fixture
def dialog_answers(monkeypatch):
    """Record what the start-up dialog was asked; answer with the queued folders (then quit)."""
    asked: list[tuple] = []
    answers: list = []

    def ask(cls, error, data_dir, language):
        asked.append((error, data_dir, language))
        return answers.pop(0) if answers else None

    monkeypatch.setattr(StartupErrorDialog, "ask", classmethod(ask))
    return asked, answers


def test_unreadable_database_shows_the_dialog_and_stays_untouched(data_paths, dialog_answers):
    asked, _answers = dialog_answers
    data_paths.ensure()
    data_paths.database.write_bytes(GARBAGE)
    before = sorted(p.name for p in data_paths.root.iterdir())

    assert launch(data_paths.root, "en") is None

    (error, data_dir, language), *_ = asked
    assert isinstance(error, StoreError)
    assert error.code == "store_unreadable"
    assert error.params["path"] == str(data_paths.database)
    assert data_dir == data_paths.root
    assert language == "en"
    assert data_paths.database.read_bytes() == GARBAGE
    assert sorted(p.name for p in data_paths.root.iterdir()) == before


def test_choosing_another_folder_starts_there(qtbot, data_paths, tmp_path, dialog_answers):
    _asked, answers = dialog_answers
    data_paths.ensure()
    data_paths.database.write_bytes(GARBAGE)
    answers.append(tmp_path / "elsewhere")

    launched = launch(data_paths.root, "en")

    assert launched is not None
    window, context = launched
    qtbot.addWidget(window)
    try:
        assert context.paths.root == tmp_path / "elsewhere"
        qtbot.waitUntil(lambda: window.compound_list.model.rowCount() == 27)
    finally:
        context.close()
    assert data_paths.database.read_bytes() == GARBAGE


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_dialog_names_the_problem(qtbot, language):
    error = StoreError(
        "not an SQLite file",
        "store_unreadable",
        {"path": "/data/fieldcheck.sqlite3", "reason": "not an SQLite file"},
    )
    dialog = StartupErrorDialog(error, language)
    qtbot.addWidget(dialog)
    assert "/data/fieldcheck.sqlite3" in dialog.informativeText()
    assert "not an SQLite file" in dialog.informativeText()
    assert dialog.choose_button is not None
    assert dialog.quit_button is not None


def test_broken_templates_offer_only_quitting(qtbot):
    error = TemplateError(
        "bad", "template_invalid", {"source": "x.json", "where": "item 1.1", "problem": "no label"}
    )
    dialog = StartupErrorDialog(error, "en")
    qtbot.addWidget(dialog)
    assert dialog.text() == "The checklist templates of this installation are damaged."
    assert "x.json" in dialog.informativeText()
    assert dialog.choose_button is None


def test_unexpected_errors_collect_in_one_crash_dialog(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(CrashDialog, "current", None)
    install_excepthook()
    for message in ("first failure", "second failure"):
        try:
            raise RuntimeError(message)
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    dialog = CrashDialog.current
    assert dialog is not None
    qtbot.addWidget(dialog)
    details = dialog.details.toPlainText()
    assert "first failure" in details
    assert "second failure" in details
    assert "fieldcheck" in details.splitlines()[0]
    dialog.copy_details()
    assert "second failure" in describe_error(RuntimeError, RuntimeError("second failure"), None)
