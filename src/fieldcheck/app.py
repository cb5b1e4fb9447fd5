"""GUI start-up: build the app context once (paths, store, templates, op runner, settings,
language), seed the demo district into an empty database, and run the main window.

Start-up problems (a damaged or newer database, broken templates) are shown in a translated
dialog that names the problem and offers another data folder; the bad file is never touched.
The log (``fieldcheck.logs``) is held in memory until a folder opens, then written into it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from fieldcheck import logs
from fieldcheck.catalog import shipped_catalog
from fieldcheck.core import compounds
from fieldcheck.domain.errors import FieldcheckError, TemplateError
from fieldcheck.paths import DataPaths, resolve_data_dir
from fieldcheck.store.database import Store
from fieldcheck.store.errors import StoreError
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.crash_dialog import install_excepthook
from fieldcheck.ui.i18n import LanguageSwitcher, choose_language, system_language
from fieldcheck.ui.main_window import MainWindow
from fieldcheck.ui.ops import OpRunner
from fieldcheck.ui.quit_signals import QuitOnSignal
from fieldcheck.ui.settings import SettingsFile
from fieldcheck.ui.startup_error_dialog import StartupErrorDialog

APP_NAME = "fieldcheck"

log = logging.getLogger(__name__)


def run_gui(
    data_dir: str | None = None, language: str | None = None, argv: list[str] | None = None
) -> int:
    """Start the desktop app; returns the process exit code. SIGTERM and SIGINT quit it
    cleanly (``ui/quit_signals.py``)."""
    began = time.perf_counter()
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    install_excepthook()
    started = launch(data_dir, language)
    if started is None:
        return 1
    window, context = started
    window.show()
    log.info(
        "the main window is shown (Qt platform %s, %.2f s after run_gui began)",
        app.platformName(),
        time.perf_counter() - began,
    )
    quitter = QuitOnSignal.install(app)
    try:
        return app.exec()
    finally:
        if quitter is not None:
            quitter.restore()
        context.close()
        log.info("the app has quit")


def launch(
    data_dir: str | Path | None, language: str | None
) -> tuple[MainWindow, AppContext] | None:
    """Open the data folder and build the main window. While the folder cannot be opened,
    say why and let the user choose another one; None when they quit."""
    switcher = LanguageSwitcher()
    folder: str | Path | None = data_dir
    while True:
        try:
            context = open_context(folder, language, switcher)
        except (StoreError, TemplateError) as error:
            folder = StartupErrorDialog.ask(error, resolve_data_dir(folder), switcher.language)
            if folder is None:
                switcher.uninstall()
                return None
            continue
        return MainWindow(context), context


def open_context(
    data_dir: str | Path | None, language: str | None, switcher: LanguageSwitcher
) -> AppContext:
    """Build the app context on ``data_dir``; raise StoreError or TemplateError when the
    folder or the installation cannot be used."""
    paths = DataPaths(resolve_data_dir(data_dir))
    settings_file = SettingsFile(paths.settings)
    settings = settings_file.load()
    logs.hold()  # from here on, a missing translation is logged too
    switcher.apply(choose_language(language, settings.language, system_language()))
    logs.log_start("app", paths.root, switcher.language)
    store = _open_store(paths)
    logs.write_to(paths)
    try:
        catalog = shipped_catalog()
        seed_demo_if_empty(store, dt.date.today())
    except BaseException:
        store.close()
        raise
    return AppContext(
        paths=paths,
        store=store,
        catalog=catalog,
        ops=OpRunner(store),
        settings_file=settings_file,
        settings=settings,
        languages=switcher,
    )


def seed_demo_if_empty(store: Store, today: dt.date) -> bool:
    """Seed the demo district (27 compounds) when the database has no compound yet."""
    with store.write() as session:
        return compounds.seed_demo_if_empty(session, today.year).value


def _open_store(paths: DataPaths) -> Store:
    """Store.open, with an unusable folder (no permission, not a folder) as a StoreError."""
    try:
        return Store.open(paths)
    except FieldcheckError:
        raise
    except OSError as error:
        raise StoreError(
            f"the data folder {paths.root} cannot be used: {error.strerror or error}",
            "store_unreadable",
            {"path": str(paths.root), "reason": str(error.strerror or error)},
        ) from error
