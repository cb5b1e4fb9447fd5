"""The UI language: which one to start in, the Qt translators, switching live.

English is the source language; Simplified Chinese comes from
``resources/translations/fieldcheck_zh_CN.qm`` plus Qt's own ``qtbase_zh_CN.qm`` for standard
buttons. Domain labels (stages, categories, template texts) are bilingual data and are read
with ``BilingualText.get(language)``, not through Qt translations.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

from fieldcheck.languages import CHINESE, ENGLISH, normalize_language
from fieldcheck.ui.fonts import apply_font_for

log = logging.getLogger(__name__)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Qt's marker, typed: ``lupdate`` collects ``source`` under ``context`` by this name, and
    the text is translated where it is shown. PySide6 types its own as returning ``object``."""
    return source


def system_language() -> str:
    return normalize_language(QLocale.system().name()) or ENGLISH


def choose_language(explicit: str | None, saved: str | None, system: str) -> str:
    """An explicit choice wins, then the saved setting, then the system locale."""
    return normalize_language(explicit) or normalize_language(saved) or system


def translations_dir() -> Path:
    return Path(str(resources.files("fieldcheck") / "resources" / "translations"))


class LanguageSwitcher(QObject):
    """Installs the translators of one language on the application; switching posts Qt's
    LanguageChange event, on which every widget re-reads its texts."""

    language_changed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.language = ENGLISH
        self._installed: list[QTranslator] = []

    def apply(self, language: str) -> None:
        language = normalize_language(language) or ENGLISH
        had_translators = bool(self._installed)
        self.uninstall()
        self.language = language
        QLocale.setDefault(QLocale(language))
        if language == CHINESE:
            self._install(translations_dir(), "fieldcheck_zh_CN")
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            self._install(Path(qt_dir), "qtbase_zh_CN")
        if not had_translators and not self._installed:
            # No translator came or went, so Qt sent no LanguageChange; domain labels
            # (bilingual data) still need refreshing.
            app = QCoreApplication.instance()
            if app is not None:
                QCoreApplication.postEvent(app, QEvent(QEvent.Type.LanguageChange))
        apply_font_for(language)
        self.language_changed.emit(language)

    def uninstall(self) -> None:
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()

    def _install(self, folder: Path, name: str) -> None:
        translator = QTranslator(self)
        if translator.load(name, str(folder)):
            QCoreApplication.installTranslator(translator)
            self._installed.append(translator)
        else:  # a damaged installation: the texts stay English
            log.warning("the translations %s are missing from %s", name, folder)


class RetranslateOnLanguageChange:
    """Mixin for widgets: call ``retranslate_ui()`` whenever the UI language changes."""

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]
