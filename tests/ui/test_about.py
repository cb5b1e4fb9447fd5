"""Help → About: version, data folder, log file and the server of the last sign-in, in both
languages; the details copy as plain lines; a real sign-in and sync show up in it."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from fieldcheck import __version__

from .conftest import press_ok
from .sync_steps import SYNC_MS, sign_in


def open_about(app):  # type: ignore[no-untyped-def]
    app.window.about_action.trigger()
    dialog = app.window.about_dialog
    assert dialog is not None
    app.qtbot.waitUntil(dialog.isVisible)
    return dialog


def shown(dialog) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {key: label.text() for key, label in dialog.values.items()}


def test_about_names_version_data_folder_and_log_file(start_app, data_paths):
    app = start_app("en")
    assert app.window.help_menu.title() == "&Help"
    assert app.window.about_action.text() == "&About fieldcheck"
    dialog = open_about(app)
    assert dialog.windowTitle() == "About fieldcheck"
    assert dialog.heading.text() == f"fieldcheck {__version__}"
    values = shown(dialog)
    assert values["version"] == __version__
    assert values["data"] == str(data_paths.root)
    assert values["log"] == f"{data_paths.log_file} (send it with a problem report)"
    assert data_paths.log_file.exists()
    assert values["server"] == "none yet (Sync → Sign in…)"
    assert values["sync"] == "never"

    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == f"fieldcheck {__version__}"
    assert f"Data folder: {data_paths.root}" in copied

    app.window.switch_language("zh_CN")  # Qt delivers the language change as an event
    app.qtbot.waitUntil(lambda: dialog.windowTitle() == "关于 fieldcheck")
    assert dialog.names["data"].text() == "数据文件夹："
    assert shown(dialog)["server"] == "尚未登录（同步 → 登录…）"
    assert shown(dialog)["sync"] == "从未同步"


def test_about_shows_the_server_of_the_last_sign_in(start_app, server):
    app = start_app("zh_CN")
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        press_ok(sign_in(app, server.url))
    app.settle()
    values = shown(open_about(app))
    assert values["server"] == f"{server.url}，上次以 alice 登录"
    assert values["sync"][:2] == "20"  # a date, 2026-…
    app.window.about_dialog.close()

    app.window.sync.sign_out_action.trigger()
    app.qtbot.waitUntil(lambda: not app.window.sync.controller.snapshot.signed_in)
    values = shown(open_about(app))
    assert values["server"] == f"{server.url}，上次以 alice 登录（已退出）"
