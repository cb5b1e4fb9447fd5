"""The app context: everything the windows need, built once by ``fieldcheck.app`` and passed
down (paths, the store, the template catalog, the op runner, the settings, the language)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from fieldcheck.catalog import TemplateCatalog
from fieldcheck.core import Store
from fieldcheck.paths import DataPaths
from fieldcheck.ui.i18n import LanguageSwitcher
from fieldcheck.ui.ops import OpRunner
from fieldcheck.ui.settings import Settings, SettingsFile


@dataclass
class AppContext:
    paths: DataPaths
    store: Store
    catalog: TemplateCatalog
    ops: OpRunner
    settings_file: SettingsFile
    settings: Settings
    languages: LanguageSwitcher
    today: Callable[[], dt.date] = field(default=dt.date.today)
    closed: bool = False

    @property
    def language(self) -> str:
        return self.languages.language

    def switch_language(self, language: str) -> None:
        """Switch the UI live and remember the choice."""
        self.languages.apply(language)
        self._save(replace(self.settings, language=self.languages.language))

    def remember_inspector(self, name: str) -> None:
        if name != self.settings.inspector:
            self._save(replace(self.settings, inspector=name))

    def close(self) -> None:
        """Finish queued writes, close the database and take the translators away."""
        if self.closed:
            return
        self.closed = True
        self.ops.shutdown()
        self.store.close()
        self.languages.uninstall()

    def _save(self, settings: Settings) -> None:
        self.settings = settings
        self.settings_file.save(settings)
