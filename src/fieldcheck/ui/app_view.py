"""The base of the views that work on the app context: they keep the context, a generation
that drops late results once they move on, and translate typed errors for inline display."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from fieldcheck.domain.errors import FieldcheckError
from fieldcheck.ui.context import AppContext
from fieldcheck.ui.i18n import RetranslateOnLanguageChange
from fieldcheck.ui.messages import error_text
from fieldcheck.ui.ops import Generation


class AppView(RetranslateOnLanguageChange, QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._context = context
        self._generation = Generation()

    def message(self, error: FieldcheckError) -> str:
        """The error's message in the current UI language."""
        return error_text(error, self._context.language)
