"""Translated words for photo evidence: phase names, import results, refusal reasons chosen by
their code (never parsed from the English message), and the capture time as shown."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from fieldcheck.domain.photo import Phase
from fieldcheck.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "PhotoTexts"

PHASES: dict[Phase, str] = {
    Phase.BEFORE: QT_TRANSLATE_NOOP("PhotoTexts", "Before"),
    Phase.DURING: QT_TRANSLATE_NOOP("PhotoTexts", "During"),
    Phase.AFTER: QT_TRANSLATE_NOOP("PhotoTexts", "After"),
    Phase.ACCEPTANCE: QT_TRANSLATE_NOOP("PhotoTexts", "Acceptance"),
}

#: Colours of the phase badges in the gallery and the compare view.
PHASE_COLORS: dict[Phase, str] = {
    Phase.BEFORE: "#8a4b08",
    Phase.DURING: "#1f5fa8",
    Phase.AFTER: "#1e6b35",
    Phase.ACCEPTANCE: "#6a2c91",
}

STATUSES: dict[str, str] = {
    "imported": QT_TRANSLATE_NOOP("PhotoTexts", "Imported"),
    "duplicate": QT_TRANSLATE_NOOP("PhotoTexts", "Already imported"),
    "refused": QT_TRANSLATE_NOOP("PhotoTexts", "Refused"),
}

REFUSALS: dict[str, str] = {
    "photo_missing": QT_TRANSLATE_NOOP("PhotoTexts", "The file disappeared before it was read."),
    "photo_unreadable": QT_TRANSLATE_NOOP("PhotoTexts", "The file cannot be read."),
    "photo_not_a_file": QT_TRANSLATE_NOOP("PhotoTexts", "Not a regular file."),
    "photo_empty": QT_TRANSLATE_NOOP("PhotoTexts", "The file is empty."),
    "photo_too_large": QT_TRANSLATE_NOOP("PhotoTexts", "The file is too large."),
    "photo_unsupported": QT_TRANSLATE_NOOP(
        "PhotoTexts", "This image format is not accepted as evidence (use JPEG, PNG, HEIC, TIFF)."
    ),
    "photo_not_image": QT_TRANSLATE_NOOP("PhotoTexts", "Not a photo."),
    "photo_damaged": QT_TRANSLATE_NOOP("PhotoTexts", "The photo is damaged or unreadable."),
    "photo_bomb": QT_TRANSLATE_NOOP(
        "PhotoTexts", "Too many pixels (a decompression bomb or not a photo)."
    ),
    "disk_full": QT_TRANSLATE_NOOP("PhotoTexts", "The disk is full: not imported."),
    "not_imported": QT_TRANSLATE_NOOP("PhotoTexts", "Not imported: the import stopped."),
    "import_failed": QT_TRANSLATE_NOOP(
        "PhotoTexts", "Importing this file failed (the details are in the tooltip)."
    ),
}


def translate(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def phase_label(phase: Phase) -> str:
    return translate(PHASES[phase])


def status_label(status: str) -> str:
    return translate(STATUSES[status]) if status in STATUSES else status


def refusal_reason(code: str, reason: str) -> str:
    """The translated reason for a known code, else the importer's own text."""
    return translate(REFUSALS[code]) if code in REFUSALS else reason


def format_moment(moment: dt.datetime | None, *, with_offset: bool = False) -> str:
    """``2026-03-01 10:15`` (and ``+08:00`` when asked and known); empty when unknown."""
    if moment is None:
        return ""
    text = moment.strftime("%Y-%m-%d %H:%M")
    if with_offset and moment.tzinfo is not None:
        offset = moment.strftime("%z")
        text += f" {offset[:3]}:{offset[3:]}"
    return text
