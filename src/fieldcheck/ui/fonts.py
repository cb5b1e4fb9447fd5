"""Fonts able to show Chinese: prefer WenQuanYi Micro Hei for Chinese and keep it as the
fallback for Chinese names shown in the English UI."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication

CJK_FAMILY = "WenQuanYi Micro Hei"


def apply_font_for(language: str) -> None:
    """Set the application font's family list for ``language`` when the CJK font exists."""
    if CJK_FAMILY not in QFontDatabase.families():
        return
    # The resolved family: the system font may be an alias ("Sans Serif") that is no family.
    base = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)).family()
    families = [CJK_FAMILY, base] if language.startswith("zh") else [base, CJK_FAMILY]
    font = QGuiApplication.font()
    font.setFamilies(families)
    QGuiApplication.setFont(font)
