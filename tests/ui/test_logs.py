"""The app's log: written from start-up on (start line, schema upgrade, integrity pass), an
uncaught exception's traceback in it, and the crash dialog offering the file; a data folder
the app refuses stays untouched and the next folder's log says why."""

from __future__ import annotations

import sys

import pytest

from fieldcheck.app import launch
from fieldcheck.store import migrate
from fieldcheck.ui.crash_dialog import CrashDialog, install_excepthook
from fieldcheck.ui.startup_error_dialog import StartupErrorDialog

from .conftest import WAIT_MS


def log_text(paths) -> str:
    return paths.log_file.read_text(encoding="utf-8") if paths.log_file.exists() else ""


def test_the_app_logs_its_start_upgrade_and_integrity_pass(start_app, data_paths):
    app = start_app("zh_CN")
    app.qtbot.waitUntil(lambda: "integrity pass:" in log_text(data_paths), timeout=WAIT_MS)

    lines = log_text(data_paths).splitlines()
    assert f"app started: data dir {data_paths.root}, language zh_CN," in lines[0]
    assert " INFO fieldcheck.store.migrate [MainThread] upgrading the database " in lines[1]
    assert lines[1].endswith(
        f"from schema (none) to {migrate.head_revision()}; backup (none: no data yet)"
    )
    (integrity,) = [line for line in lines if "integrity pass:" in line]
    assert " INFO fieldcheck.store.integrity " in integrity
    assert "0 missing blobs, 0 hash mismatches, quick_check ok" in integrity


@pytest.mark.parametrize(
    ("language", "offer"),
    [
        ("en", "The log file, to send with your report: "),
        ("zh_CN", "日志文件（请随问题报告一并发送）："),
    ],
)
def test_an_uncaught_exception_is_logged_and_the_crash_dialog_offers_the_log(
    start_app, data_paths, monkeypatch, language, offer
):
    app = start_app(language)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(CrashDialog, "current", None)
    opened = []
    monkeypatch.setattr(CrashDialog, "open_folder", classmethod(lambda cls, f: opened.append(f)))
    install_excepthook()

    try:
        raise RuntimeError("a bug nobody caught")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())

    text = log_text(data_paths)
    failure = text[
        text.index(" ERROR fieldcheck.ui.crash_dialog [MainThread] uncaught exception") :
    ]
    assert "Traceback (most recent call last):" in failure
    assert "RuntimeError: a bug nobody caught" in failure
    dialog = CrashDialog.current
    assert dialog is not None
    app.qtbot.addWidget(dialog)
    assert dialog.log_label.text() == offer + str(data_paths.log_file)
    dialog.open_log_button.click()
    assert opened == [data_paths.logs]


def test_a_refused_folder_stays_untouched_and_the_next_log_says_why(
    qtbot, data_paths, tmp_path, monkeypatch
):
    data_paths.ensure()
    data_paths.database.write_bytes(b"this is not a database" * 100)
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr(StartupErrorDialog, "ask", classmethod(lambda cls, *_: elsewhere))

    launched = launch(data_paths.root, "en")

    assert launched is not None
    window, context = launched
    qtbot.addWidget(window)
    try:
        assert sorted(p.name for p in data_paths.root.iterdir()) == ["fieldcheck.sqlite3"]
        lines = (elsewhere / "logs" / "fieldcheck.log").read_text(encoding="utf-8").splitlines()
        assert f"app started: data dir {data_paths.root}, language en" in lines[0]
        assert lines[1].endswith(
            f"{data_paths.database} is not an SQLite file; refused, left untouched"
        )
        assert f"app started: data dir {elsewhere}, language en" in lines[2]
    finally:
        context.close()
