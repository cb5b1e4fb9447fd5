"""Steps the sync UI tests share: sign in through the real dialog, "Sync now" until the
controller reports the sync finished, and answer item 1.1 the way an inspector does. The real
server comes from the ``server`` fixture of ``tests/ui/conftest.py``."""

from __future__ import annotations

from fieldcheck.domain.categories import Category
from fieldcheck.domain.inspection import InspectionKind
from sync_server.testing import PASSWORD

from .conftest import RunningApp, press_ok, type_text

SYNC_MS = 60_000


def sign_in(app: RunningApp, url: str, user: str = "alice", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """Sign in through Sync → Sign in…; returns the dialog."""
    app.window.sync.sign_in_action.trigger()
    dialog = app.window.sync.sign_in_dialog
    assert dialog.isVisible()
    for edit, text in (
        (dialog.server_edit, url),
        (dialog.user_edit, user),
        (dialog.password_edit, password),
    ):
        edit.clear()
        type_text(edit, text)
    return dialog


def sync_now(app: RunningApp):  # type: ignore[no-untyped-def]
    """Press "Sync now" and wait for the sync's report."""
    controller = app.window.sync.controller
    with app.qtbot.waitSignal(controller.sync_finished, timeout=SYNC_MS) as done:
        app.window.sync.status.sync_button.click()
    app.settle()
    return done.args[0]


def answer_entrances(app, count: int) -> None:
    item = app.item(Category.SECURITY_FIRE, "1.1")
    item.editors["entrances"].spin.setValue(count)
    app.save_all()


def signed_in(start_app, server, language: str, code: str):  # type: ignore[no-untyped-def]
    """The app in ``language``, signed in and synced, with a new inspection of ``code``."""
    app = start_app(language)
    with app.qtbot.waitSignal(app.window.sync.controller.sync_finished, timeout=SYNC_MS):
        press_ok(sign_in(app, server.url))
    app.open_compound(code)
    inspection = app.start_inspection(InspectionKind.BASELINE_SURVEY)
    return app, inspection
